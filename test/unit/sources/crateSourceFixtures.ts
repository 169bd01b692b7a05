/**
 * What the crate-source and unsafe-facts tests share: `.crate` archives built byte by byte, locked packages as
 * Cargo.lock would give them, and a sandbox (a private CARGO_HOME, cache and workspace whose cargo configuration
 * points crates.io at a registry server of the test's own). Never touches the user's ~/.cargo.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { classifyLockSource } from '../../../server/src/engine/lockfile/lockSource';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import { readCargoConfig } from '../../../server/src/sources/cargoConfig/readCargoConfig';
import { registryAccessFromConfig, type RegistryAccess } from '../../../server/src/sources/crateSource/registryAccess';
import type { Environment } from '../../../server/src/sources/environment';
import { HttpClient } from '../../../server/src/sources/http/httpClient';
import { silentLogger } from '../../../server/src/sources/log';
import { fakeTimers } from '../../support/fakeTimers';
import { buildTar, tarEntry, type TarEntrySpec } from '../../support/tarBuilder';

export const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

export function sha256(bytes: Uint8Array | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** A gzip'd tar with every file under `NAME-VERSION/`, then any hostile entries written as given. */
export function crateFile(name: string, version: string, files: Record<string, string>, hostile: TarEntrySpec[] = []): Uint8Array {
	const entries = Object.entries(files).map(([path, data]) => tarEntry({ name: `${name}-${version}/${path}`, data }));
	return gzipSync(buildTar([...entries, ...hostile.map(tarEntry)]));
}

/** `source` is the Cargo.lock `source` string; undefined for a path package. */
export function lockedPackage(name: string, version: string, source: string | undefined, checksum?: string): LockedPackage {
	const range = { start: 0, end: 0 };
	return { index: 0, name, version, source: classifyLockSource(source), checksum, dependencies: [], headerRange: range, nameRange: range, range };
}

export function writeTree(root: string, files: Record<string, string>): void {
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
}

export interface Sandbox {
	root: string;
	cargoHome: string;
	cacheDir: string;
	workspace: string;
	http: HttpClient;
	registries: RegistryAccess;
}

const roots: string[] = [];
const clients: HttpClient[] = [];

/** Removes every sandbox and closes every HTTP client; for `after`. */
export async function cleanUpSandboxes(): Promise<void> {
	for (const client of clients.splice(0)) await client.close();
	for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/**
 * A workspace with `.cargo/config.toml` = `config` (plus any files), a private CARGO_HOME and cache, and an HTTP
 * client without retries, so a fault is seen once, on a fake clock that never waits.
 */
export function sandbox(config: string, options: { offline?: boolean; files?: Record<string, string> } = {}): Sandbox {
	const root = mkdtempSync(join(tmpdir(), 'cargo-trust-crate-source-'));
	roots.push(root);
	const workspace = join(root, 'ws');
	writeTree(workspace, { '.cargo/config.toml': config, ...options.files });
	const cargoHome = join(root, 'cargo-home');
	mkdirSync(cargoHome);
	const cacheDir = join(root, 'cache');
	const environment: Environment = { env: { CARGO_HOME: cargoHome }, homeDir: join(root, 'home'), now: () => new Date('2026-01-01T00:00:00Z') };
	const cargoConfig = readCargoConfig(workspace, environment, { trusted: true });
	if (cargoConfig.notices.length > 0) throw new Error(`unexpected config notices: ${JSON.stringify(cargoConfig.notices)}`);
	const timers = fakeTimers();
	const http = new HttpClient({ userAgent: 'cargo-trust-test', timers, retries: 0, random: () => 0, offline: options.offline ?? false });
	clients.push(http);
	const registries = registryAccessFromConfig(cargoConfig, { http, cacheDir, timers, log: silentLogger });
	return { root, cargoHome, cacheDir, workspace, http, registries };
}

export const CRATES_IO_DIR = 'index.crates.io-1949cf8c6b5b557f';

/**
 * A package cargo extracted into `$CARGO_HOME/registry/src/<registry>/NAME-VERSION/`, finished (`.cargo-ok`), with
 * the `.crate` it came from in `registry/cache/<registry>/`: `crate` stands for its bytes, whose sha256 is what
 * a lockfile must say for the directory to be used.
 */
export function extractedPackage(cargoHome: string, dirName: string, files: Record<string, string>, crate: Uint8Array | string, registry = CRATES_IO_DIR): string {
	const dir = join(cargoHome, 'registry', 'src', registry, dirName);
	writeTree(dir, { ...files, '.cargo-ok': '{"v":1}' });
	mkdirSync(join(cargoHome, 'registry', 'cache', registry), { recursive: true });
	writeFileSync(join(cargoHome, 'registry', 'cache', registry, `${dirName}.crate`), crate);
	return dir;
}

/** Debian's crate sources (librust-*-dev), laid out as `cargo vendor` does: NAME-VERSION/ with .cargo-checksum.json. */
export const DEBIAN_REGISTRY = '/usr/share/cargo/registry';

export interface DebianCrate {
	dirName: string;
	name: string;
	version: string;
	/** The crates.io checksum Debian recorded, when it did (many say "Could not get crate checksum"). */
	checksum: string | undefined;
}

export function debianCrates(): DebianCrate[] {
	if (!existsSync(DEBIAN_REGISTRY)) return [];
	const crates: DebianCrate[] = [];
	for (const dirName of readdirSync(DEBIAN_REGISTRY).sort()) {
		const match = /^(.+?)-(\d+\.\d+\.\d+.*)$/.exec(dirName);
		if (!match?.[1] || !match[2]) continue;
		let recorded: unknown;
		try {
			recorded = (JSON.parse(readFileSync(join(DEBIAN_REGISTRY, dirName, '.cargo-checksum.json'), 'utf8')) as { package?: unknown }).package;
		} catch {
			recorded = undefined;
		}
		crates.push({ dirName, name: match[1], version: match[2], checksum: typeof recorded === 'string' && /^[0-9a-f]{64}$/.test(recorded) ? recorded : undefined });
	}
	return crates;
}

/**
 * The crate as a Cargo.lock entry from crates.io. Where Debian recorded no checksum, a stand-in derived from the
 * directory name pins it just as well for the cache (nothing here is downloaded or verified against it).
 */
export function debianPackage(krate: DebianCrate): LockedPackage {
	return lockedPackage(krate.name, krate.version, CRATES_IO, krate.checksum ?? sha256(debianStandIn(krate)));
}

/** The crate as extractDebianCrates put it: pinned by the stand-in `.crate` it wrote to registry/cache. */
export function debianExtractedPackage(krate: DebianCrate): LockedPackage {
	return lockedPackage(krate.name, krate.version, CRATES_IO, sha256(debianStandIn(krate)));
}

/** Debian ships no `.crate` files; these bytes stand in for one in registry/cache (only their sha256 is read). */
function debianStandIn(krate: DebianCrate): string {
	return `debian ${krate.dirName}`;
}

/**
 * Puts the crates into `$CARGO_HOME/registry/src/<registry>/` as cargo extracts them, `.cargo-ok` last, with a
 * stand-in `.crate` each in registry/cache (debianExtractedPackage pins them by it). Files are
 * hard links where the file system allows (a copy of 150 MB costs seconds; nothing here writes to them), else copies.
 */
export function extractDebianCrates(cargoHome: string, crates: readonly DebianCrate[]): void {
	for (const krate of crates) {
		const dir = join(cargoHome, 'registry', 'src', CRATES_IO_DIR, krate.dirName);
		mirror(join(DEBIAN_REGISTRY, krate.dirName), dir);
		writeFileSync(join(dir, '.cargo-ok'), '{"v":1}');
		mkdirSync(join(cargoHome, 'registry', 'cache', CRATES_IO_DIR), { recursive: true });
		writeFileSync(join(cargoHome, 'registry', 'cache', CRATES_IO_DIR, `${krate.dirName}.crate`), debianStandIn(krate));
	}
}

function mirror(from: string, to: string): void {
	mkdirSync(to, { recursive: true });
	for (const entry of readdirSync(from, { withFileTypes: true })) {
		const source = join(from, entry.name);
		const target = join(to, entry.name);
		if (entry.isDirectory()) mirror(source, target);
		else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
		else {
			try {
				linkSync(source, target);
			} catch {
				copyFileSync(source, target);
			}
		}
	}
}
