/**
 * Restricted Mode (an untrusted workspace) in a real VS Code. The workspace tries to redirect paths and network
 * traffic: its .vscode/settings.json sets cargoTrust.advisoryDb.path (sample advisories), advisoryDb.url and
 * cargoHome (a cargo home with those advisories and a config that redirects crates.io), and its .cargo/config.toml
 * replaces crates.io by a registry on 127.0.0.1. None of it may be used: the Problems panel says advisory data is
 * unavailable (from the default database URL) with no RUSTSEC finding, and that registry sees zero requests.
 *
 * The run is online, so that zero requests means something: the user's own cargo home (CARGO_HOME, which a
 * workspace cannot change) replaces crates.io by a second registry on 127.0.0.1, which must be asked, and the
 * user's git configuration sends github.com to it too, so nothing leaves the machine and the default advisory
 * database URL fails there.
 */
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exampleCrates } from '../support/exampleRegistry';
import { RegistryServer } from '../support/registryServer';
import { cargoTrustStatusBarId, exampleAdvisoryDb, exampleWorkspace, scratchDir, waitFor, withEditor } from './support';

const replaceCratesIo = (name: string, registry: RegistryServer) =>
	`[source.crates-io]\nreplace-with = "${name}"\n\n[source.${name}]\nregistry = "sparse+${registry.indexUrl}"\n`;

void test('restricted mode: the notice shows, and the workspace cannot redirect paths or network traffic', async () => {
	// Everything the workspace points at; any request it receives is a failure.
	const workspaceRegistry = await RegistryServer.start({ crates: exampleCrates() });
	// The user's own mirror of crates.io, configured outside the workspace.
	const userRegistry = await RegistryServer.start({ crates: exampleCrates() });
	try {
		const userCargoHome = scratchDir('ct-e2e-cargo-home');
		writeFileSync(join(userCargoHome, 'config.toml'), replaceCratesIo('user-mirror', userRegistry));
		const gitConfig = join(scratchDir('ct-e2e-git'), 'gitconfig');
		writeFileSync(gitConfig, `[url "${userRegistry.url}/git/"]\n\tinsteadOf = https://github.com/\n`);

		// The cargo home the workspace's settings name: the sample advisories and a config redirecting crates.io.
		const workspaceCargoHome = scratchDir('ct-e2e-workspace-cargo-home');
		cpSync(exampleAdvisoryDb, join(workspaceCargoHome, 'advisory-db'), { recursive: true });
		writeFileSync(join(workspaceCargoHome, 'config.toml'), replaceCratesIo('workspace-home-registry', workspaceRegistry));

		await withEditor(
			{
				scenario: 'restricted',
				workspace: exampleWorkspace,
				restricted: true,
				files: {
					'.vscode/settings.json': `${JSON.stringify(
						{
							'cargoTrust.advisoryDb.path': exampleAdvisoryDb,
							'cargoTrust.advisoryDb.url': `${workspaceRegistry.url}/advisory-db.git`,
							'cargoTrust.cargoHome': workspaceCargoHome,
						},
						null,
						'\t',
					)}\n`,
					'.cargo/config.toml': replaceCratesIo('workspace-registry', workspaceRegistry),
				},
				env: { CARGO_HOME: userCargoHome, GIT_CONFIG_GLOBAL: gitConfig },
			},
			async (editor) => {
				const notice = await editor.step('notice', () => editor.restrictedModeNotice());
				assert.match(notice.banner, /Restricted Mode/);
				assert.equal(notice.statusBar, 'Restricted Mode');

				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
				// Done (no spinner): the advisory database failed to load, and registry data came from the user's mirror.
				await editor.step('status-bar', () => editor.statusBarLabel(cargoTrustStatusBarId, /^shield\s+Cargo Trust: 1 info(,|$)/));

				const rows = await editor.step('problems', () => editor.waitForProblems('advisory data unavailable', (rows) => rows.some((r) => r.code === 'advisories-unknown')));
				assert.deepEqual(
					rows.map((r) => `${r.file} ${r.severity} ${r.code} ${r.line}:${r.column}`),
					['Cargo.toml info advisories-unknown 1:1'],
					'one finding, and no RUSTSEC one',
				);
				// The default URL, not the workspace's: the user's git configuration sends it to their mirror, where it fails.
				assert.match(
					rows[0]!.message,
					/^Advisory data unavailable: git clone https:\/\/github\.com\/RustSec\/advisory-db\.git failed: .+\. Dependencies are not checked for RustSec advisories\.$/,
				);

				const hover = await editor.step('hover-time', () => editor.hoverText('time = "0.1"', 'time', 'RustSec advisories: unknown'));
				assert.doesNotMatch(hover, /RUSTSEC-/);
				assert.match(hover, /Published .*2024-03-01/, 'release data from the user\'s mirror');

				await editor.waitForExtensionLog(`ignored ${join(editor.workspaceDir, '.cargo', 'config.toml')}: the workspace is not trusted (restricted mode), so its cargo configuration is not read`);
				await waitFor('the user\'s mirror to be asked for the index', async () => userRegistry.count('/index/'), (count) => count > 0);
				assert.ok(userRegistry.count('/git/') > 0, 'the advisory database clone went to the default URL (rewritten to the mirror)');
				assert.deepEqual(workspaceRegistry.requests.map((r) => r.path), [], 'the workspace\'s registry got no request while the editor ran');
			},
		);
		assert.deepEqual(workspaceRegistry.requests.map((r) => r.path), [], 'nor while it shut down');
	} finally {
		await workspaceRegistry.close();
		await userRegistry.close();
	}
});
