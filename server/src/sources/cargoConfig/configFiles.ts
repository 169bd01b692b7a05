/**
 * Which cargo configuration files exist and in what order cargo reads them: `.cargo/config[.toml]` in the
 * workspace directory and each ancestor up to the root, then `$CARGO_HOME/config[.toml]` unless the walk already
 * passed it. Only looks at the file system; parsing is elsewhere.
 */
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConfigNotice } from './types';

export interface ConfigFile {
	path: string;
	/** The `.cargo` directory (or $CARGO_HOME) holding it. */
	dir: string;
	/** True for $CARGO_HOME's file, which belongs to the user and not to any workspace. */
	isHome: boolean;
}

/** The files, highest precedence first: the deepest directory first, $CARGO_HOME last. */
export function findConfigFiles(workspaceDir: string, cargoHome: string, notices: ConfigNotice[]): ConfigFile[] {
	const files: ConfigFile[] = [];
	const home = resolve(cargoHome);
	let homeSeen = false;
	for (let dir = resolve(workspaceDir); ; dir = dirname(dir)) {
		const configDir = join(dir, '.cargo');
		if (configDir === home) homeSeen = true;
		const path = configFilePath(configDir, 'config', notices);
		if (path) files.push({ path, dir: configDir, isHome: configDir === home });
		if (dirname(dir) === dir) break;
	}
	if (!homeSeen) {
		const path = configFilePath(home, 'config', notices);
		if (path) files.push({ path, dir: home, isHome: true });
	}
	return files;
}

/**
 * `<dir>/<name>` or `<dir>/<name>.toml`. When both exist cargo reads the one without the extension, for
 * backwards compatibility, and warns unless it is a symlink to the other.
 */
export function configFilePath(dir: string, name: string, notices: ConfigNotice[]): string | undefined {
	const legacy = join(dir, name);
	const modern = `${legacy}.toml`;
	if (isFile(legacy)) {
		if (isFile(modern) && !isSymlinkTo(legacy, modern)) {
			notices.push({
				code: 'config-legacy',
				message: `both \`${legacy}\` and \`${modern}\` exist; cargo uses \`${legacy}\`, and so does cargo-trust`,
				path: legacy,
			});
		}
		return legacy;
	}
	return isFile(modern) ? modern : undefined;
}

function isFile(path: string): boolean {
	try {
		return existsSync(path) && statSync(path).isFile();
	} catch {
		return false;
	}
}

function isSymlinkTo(link: string, target: string): boolean {
	try {
		return resolve(dirname(link), readlinkSync(link)) === target;
	} catch {
		return false;
	}
}
