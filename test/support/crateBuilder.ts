/**
 * Builds real `.crate` archives (gzip'd tar under `NAME-VERSION/`) and a workspace whose Cargo.lock pins them by
 * checksum, with its .cargo/config.toml pointing crates.io at a test registry by cargo's source replacement.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTar, tarEntry } from './tarBuilder';

export function buildCrate(name: string, version: string, files: Record<string, string>): Uint8Array {
	const prefix = `${name}-${version}`;
	const entries = Object.entries({ 'Cargo.toml': `[package]\nname = "${name}"\nversion = "${version}"\n`, ...files }).map(([path, data]) => tarEntry({ name: `${prefix}/${path}`, data }));
	return gzipSync(buildTar(entries));
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A crate with one of each kind of unsafe, a build script and a native library. */
export const ffiHelperCrate = buildCrate('ffi-helper', '1.0.0', {
	'Cargo.toml': '[package]\nname = "ffi-helper"\nversion = "1.0.0"\nlinks = "z"\nbuild = "build.rs"\n',
	'build.rs': 'fn main() {}\n',
	'src/lib.rs': 'pub unsafe fn raw(p: *const u8) -> u8 { unsafe { *p } }\nunsafe extern "C" { fn compress(); }\nunsafe impl Send for X {}\n#[unsafe(no_mangle)] pub extern "C" fn f() {}\n// unsafe { in a comment }\nconst S: &str = "unsafe {";\n',
	'tests/it.rs': 'unsafe fn not_counted() {}\n',
});

/** A crate whose root forbids unsafe code. */
export const safeLibCrate = buildCrate('safe-lib', '0.3.1', { 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn add(a: u8, b: u8) -> u8 { a + b }\n' });

/** Writes an `app` workspace depending on ffi-helper 1.0.0 and safe-lib 0.3.1, locked to the archives above. */
export function writeUnsafeWorkspace(dir: string, indexUrl: string): void {
	mkdirSync(join(dir, '.cargo'), { recursive: true });
	mkdirSync(join(dir, 'src'), { recursive: true });
	writeFileSync(join(dir, 'src', 'main.rs'), 'fn main() {}\n');
	writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nffi-helper = "1"\nsafe-lib = "0.3"\n');
	const source = 'registry+https://github.com/rust-lang/crates.io-index';
	writeFileSync(
		join(dir, 'Cargo.lock'),
		`version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "ffi-helper",\n "safe-lib",\n]\n\n[[package]]\nname = "ffi-helper"\nversion = "1.0.0"\nsource = "${source}"\nchecksum = "${sha256(ffiHelperCrate)}"\n\n[[package]]\nname = "safe-lib"\nversion = "0.3.1"\nsource = "${source}"\nchecksum = "${sha256(safeLibCrate)}"\n`,
	);
	writeFileSync(join(dir, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${indexUrl}"\n`);
}

export const unsafeRegistryCrates = [
	{ name: 'ffi-helper', versions: [{ vers: '1.0.0', pubtime: '2024-01-01T00:00:00Z', publishedBy: 'a', crate: ffiHelperCrate }] },
	{ name: 'safe-lib', versions: [{ vers: '0.3.1', pubtime: '2024-01-01T00:00:00Z', publishedBy: 'a', crate: safeLibCrate }] },
];
