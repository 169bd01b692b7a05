/**
 * `cargo-trust check` downloads the locked crates from a real-protocol registry on 127.0.0.1, verifies their
 * checksums, counts their unsafe code in memory, and reports it; a second run answers from the cache alone.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unsafeRegistryCrates, writeUnsafeWorkspace } from '../support/crateBuilder';
import { repoRoot } from '../support/paths';
import { RegistryServer } from '../support/registryServer';
import { runCliAsync } from '../support/runCli';
import { tempDir } from '../support/tempWorkspace';

void describe('unsafe counts in cargo-trust check', () => {
	let registry: RegistryServer;
	after(() => registry.close());

	void it('downloads, verifies and counts every locked crate, then answers from the cache', async () => {
		registry = await RegistryServer.start({ crates: unsafeRegistryCrates });
		const base = tempDir();
		const dir = join(base, 'ws');
		writeUnsafeWorkspace(dir, registry.indexUrl);
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
