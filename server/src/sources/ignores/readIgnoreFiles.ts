/**
 * Reads the advisory ignores teams already keep for cargo-audit and cargo-deny, so they need not repeat them:
 * `[advisories] ignore` in `<root>/.cargo/audit.toml`, `$CARGO_HOME/audit.toml` and `<root>/deny.toml`
 * (cargo-deny's strings and `{ id, reason }` tables). A file that does not parse is logged and skipped.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type { IgnoreEntry } from '../../engine/policy';
import type { Logger } from '../log';

export function ignoreFilePaths(root: string, cargoHome: string): string[] {
	return [join(root, '.cargo', 'audit.toml'), join(cargoHome, 'audit.toml'), join(root, 'deny.toml'), join(root, '.deny.toml')];
}

export async function readIgnoreFiles(root: string, cargoHome: string, log: Logger): Promise<IgnoreEntry[]> {
	const lists = await Promise.all(ignoreFilePaths(root, cargoHome).map((path) => readIgnoreFile(path, log)));
	return lists.flat();
}

async function readIgnoreFile(path: string, log: Logger): Promise<IgnoreEntry[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch {
		return [];
	}
	let data: unknown;
	try {
		data = getStaticTOMLValue(parseTOML(text));
	} catch (error) {
		log.warn(`Ignored ${path}: it is not valid TOML (${(error as Error).message})`);
		return [];
	}
	const ignore = (data as { advisories?: { ignore?: unknown } }).advisories?.ignore;
	if (ignore === undefined) return [];
	if (!Array.isArray(ignore)) {
		log.warn(`Ignored [advisories] ignore in ${path}: it is not an array`);
		return [];
	}
	return ignore.flatMap((item: unknown): IgnoreEntry[] => {
		if (typeof item === 'string') return [{ id: item, reason: null, origin: path }];
		// cargo-deny also allows `{ crate = "...", reason = "..." }` for yanked crates; only advisory ids concern us.
		if (item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string') {
			const reason = (item as { reason?: unknown }).reason;
			return [{ id: (item as { id: string }).id, reason: typeof reason === 'string' ? reason : null, origin: path }];
		}
		return [];
	});
}
