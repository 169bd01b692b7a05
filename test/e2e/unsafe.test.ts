/**
 * Unsafe counts in a real VS Code: the workspace's crates are downloaded from a registry on 127.0.0.1 (cargo's
 * source replacement), verified against Cargo.lock, counted in memory, and shown in hover and, above the
 * `cargoTrust.unsafe.warnAbove` threshold, in the Problems panel.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { unsafeRegistryCrates, writeUnsafeWorkspace } from '../support/crateBuilder';
import { RegistryServer } from '../support/registryServer';
import { cargoTrustStatusBarId, exampleAdvisoryDb, scratchDir, withEditor } from './support';

void test('unsafe counts and build-time capabilities show in hover and in the Problems panel', async () => {
	const registry = await RegistryServer.start({ crates: unsafeRegistryCrates });
	try {
		const workspace = join(scratchDir('ct-e2e-unsafe'), 'app');
		writeUnsafeWorkspace(workspace, registry.indexUrl);
		await withEditor(
			{
				scenario: 'unsafe',
				workspace,
				// These test crates carry no .cargo_vcs_info.json; their provenance-missing rows belong to the provenance scenario.
				settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb, 'cargoTrust.unsafe.warnAbove': 3, 'cargoTrust.provenance.severity.missing': 'off' },
				env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home') },
			},
			async (editor) => {
				await editor.step('activated', () => editor.statusBarText(cargoTrustStatusBarId, /Cargo Trust: 2 info/));
				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
				const rows = await editor.step('problems', () =>
					editor.waitForProblems('the unsafe-code finding', (r) => r.some((row) => row.file === 'Cargo.toml' && row.code === 'unsafe-code')),
				);
				assert.deepEqual(
					rows.filter((row) => row.file === 'Cargo.toml').map((row) => `${row.severity} ${row.code} ${row.message}`),
					['info unsafe-code ffi-helper 1.0.0 uses unsafe 5 times (1 block, 1 function, 1 impl, 1 extern block, 1 attribute), above your threshold of 3'],
				);
				const ffi = await editor.step('hover-ffi', () => editor.hoverText('ffi-helper = "1"', 'ffi-helper', 'Unsafe'));
				assert.match(ffi, /Unsafe: 5 \(1 block, 1 function, 1 impl, 1 extern block, 1 attribute\) in 2 files/);
				assert.match(ffi, /At build time: runs a build script, links the native library z/);
				const safe = await editor.step('hover-safe', () => editor.hoverText('safe-lib = "0.3"', 'safe-lib', 'forbid'));
				assert.match(safe, /#!\[forbid\(unsafe_code\)\]/);
				assert.match(safe, /no unsafe code in 1 file/);
			},
		);
		assert.equal(registry.count('/api/v1/crates/ffi-helper/1.0.0/download'), 1);
	} finally {
		await registry.close();
	}
});
