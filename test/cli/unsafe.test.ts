/**
 * `cargo-trust check` downloads the locked crates from a real-protocol registry on 127.0.0.1, verifies their
 * checksums, counts their unsafe code in memory, and reports it; a second run answers from the cache alone.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths';
import { RegistryServer } from '../support/registryServer';
import { runCliAsync } from '../support/runCli';
import { buildTar, tarEntry } from '../support/tarBuilder';
import { tempDir } from '../support/tempWorkspace';

function crate(name: string, version: string, files: Record<string, string>): Uint8Array {
	const prefix = `${name}-${version}`;
	const entries = Object.entries({ 'Cargo.toml': `[package]\nname = "${name}"\nversion = "${version}"\n`, ...files }).map(([path, data]) => tarEntry({ name: `${prefix}/${path}`, data }));
	return gzipSync(buildTar(entries));
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const ffi = crate('ffi-helper', '1.0.0', {
	'Cargo.toml': '[package]\nname = "ffi-helper"\nversion = "1.0.0"\nlinks = "z"\nbuild = "build.rs"\n',
	'build.rs': 'fn main() {}\n',
	'src/lib.rs': 'pub unsafe fn raw(p: *const u8) -> u8 { unsafe { *p } }\nunsafe extern "C" { fn compress(); }\nunsafe impl Send for X {}\n#[unsafe(no_mangle)] pub extern "C" fn f() {}\n// unsafe { in a comment }\nconst S: &str = "unsafe {";\n',
	'tests/it.rs': 'unsafe fn not_counted() {}\n',
});
const safe = crate('safe-lib', '0.3.1', { 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn add(a: u8, b: u8) -> u8 { a + b }\n' });

void describe('unsafe counts in cargo-trust check', () => {
	let registry: RegistryServer;
	after(() => registry.close());

	void it('downloads, verifies and counts every locked crate, then answers from the cache', async () => {
		registry = await RegistryServer.start({
			crates: [
				{ name: 'ffi-helper', versions: [{ vers: '1.0.0', pubtime: '2024-01-01T00:00:00Z', publishedBy: 'a', crate: ffi }] },
				{ name: 'safe-lib', versions: [{ vers: '0.3.1', pubtime: '2024-01-01T00:00:00Z', publishedBy: 'a', crate: safe }] },
			],
		});
		const base = tempDir();
		const dir = join(base, 'ws');
		mkdirSync(join(dir, '.cargo'), { recursive: true });
		writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nffi-helper = "1"\nsafe-lib = "0.3"\n');
		const source = 'registry+https://github.com/rust-lang/crates.io-index';
		writeFileSync(
			join(dir, 'Cargo.lock'),
			`version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "ffi-helper",\n "safe-lib",\n]\n\n[[package]]\nname = "ffi-helper"\nversion = "1.0.0"\nsource = "${source}"\nchecksum = "${sha256(ffi)}"\n\n[[package]]\nname = "safe-lib"\nversion = "0.3.1"\nsource = "${source}"\nchecksum = "${sha256(safe)}"\n`,
		);
		writeFileSync(join(dir, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`);
		const env = { CARGO_HOME: join(base, 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(base, 'cache') };
		const args = ['check', dir, '--advisory-db', join(repoRoot, 'examples', 'advisory-db'), '--format', 'json'];

		const run = await runCliAsync(args, env);
		assert.equal(run.status, 0, run.stderr);
		const report = JSON.parse(run.stdout) as { packages: { name: string; unsafe: unknown }[] };
		assert.deepEqual(report.packages.find((p) => p.name === 'ffi-helper')!.unsafe, {
			blocks: 1, functions: 1, impls: 1, traits: 0, externBlocks: 1, attributes: 1,
			files: 2, forbidsUnsafe: false, buildScript: true, procMacro: false, links: 'z', anomalies: [],
		});
		assert.deepEqual(report.packages.find((p) => p.name === 'safe-lib')!.unsafe, {
			blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0,
			files: 1, forbidsUnsafe: true, buildScript: false, procMacro: false, links: null, anomalies: [],
		});
		assert.equal(registry.count('/api/v1/crates/ffi-helper/1.0.0/download'), 1);

		const again = await runCliAsync([...args, '--offline'], env);
		const cached = JSON.parse(again.stdout) as { packages: { name: string; unsafe: { blocks: number } | null }[] };
		assert.equal(cached.packages.find((p) => p.name === 'ffi-helper')!.unsafe!.blocks, 1);
		assert.equal(registry.count('/api/v1/crates/ffi-helper/1.0.0/download'), 1, 'counted once, then never again');
	});
});
