/**
 * A workspace whose dependencies all come from the test registry (`registryServer.ts`), each published once as
 * 1.0.0: the registry's entries, and an application `app` that depends on them, locked with their checksums.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './crateBuilder';
import type { FakeCrate } from './registryServer';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

/** `.cargo/config.toml`: crates.io replaced by the test registry, as a mirror would be. */
export function replaceCratesIo(indexUrl: string): string {
	return `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${indexUrl}"\n`;
}

/** The registry entries of `crates` (name to `.crate` bytes), each one version 1.0.0. */
export function publishedOnce(crates: Record<string, Uint8Array>): FakeCrate[] {
	return Object.entries(crates).map(([name, crate]) => ({ name, versions: [{ vers: '1.0.0', pubtime: '2024-01-01T00:00:00Z', publishedBy: 'a', crate }] }));
}

/**
 * Writes `app` into `dir`: Cargo.toml depends on each crate ("1") in the order given, Cargo.lock locks each at 1.0.0
 * with the checksum of its bytes (sorted, as cargo writes it), and `.cargo/config.toml` sends crates.io to `indexUrl`.
 */
export function writeRegistryApp(dir: string, crates: Record<string, Uint8Array>, indexUrl: string): void {
	const names = Object.keys(crates);
	const sorted = [...names].sort();
	mkdirSync(join(dir, '.cargo'), { recursive: true });
	mkdirSync(join(dir, 'src'));
	writeFileSync(join(dir, 'src', 'main.rs'), 'fn main() {}\n');
	writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n${names.map((name) => `${name} = "1"\n`).join('')}`);
	const locked = (name: string): string => `[[package]]\nname = "${name}"\nversion = "1.0.0"\nsource = "${CRATES_IO}"\nchecksum = "${sha256(crates[name]!)}"\n`;
	writeFileSync(join(dir, 'Cargo.lock'), `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n${sorted.map((name) => ` "${name}",\n`).join('')}]\n\n${sorted.map(locked).join('\n')}`);
	writeFileSync(join(dir, '.cargo', 'config.toml'), replaceCratesIo(indexUrl));
}
