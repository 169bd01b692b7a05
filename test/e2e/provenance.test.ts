/**
 * Provenance in a real VS Code: two crates from a registry on 127.0.0.1, each built from a repository served by
 * git's smart HTTP on 127.0.0.1 and reached as https://github.com/… through the user's git configuration (an
 * insteadOf rewrite in GIT_CONFIG_GLOBAL). One matches its commit; the other was published with a changed line in
 * src/lib.rs: hover shows both verdicts, the Problems panel the finding, and its code action opens a diff editor
 * whose sides are the repository's line and the published one. With `cargoTrust.provenance.enabled: false` in the
 * folder's settings, the hover says the setting turned provenance off, no git fetch is made and no provenance row shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repositoryLine, startProvenanceFixture, tamperedLine } from '../support/provenanceFixture';
import { cargoTrustStatusBarId, exampleAdvisoryDb, scratchDir, withEditor } from './support';

void test('provenance verdicts show in hover and Problems, and the diff editor shows the tampered line', async () => {
	const fixture = await startProvenanceFixture(scratchDir('ct-e2e-provenance'));
	try {
		await withEditor(
			{
				scenario: 'provenance',
				workspace: fixture.workspace,
				settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb },
				env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home'), GIT_CONFIG_GLOBAL: fixture.gitEnv.GIT_CONFIG_GLOBAL! },
			},
			async (editor) => {
				await editor.step('activated', () => editor.statusBarText(cargoTrustStatusBarId, /Cargo Trust: \d+ warnings?/));
				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
				const rows = await editor.step('problems', () =>
					editor.waitForProblems('the provenance-modified finding', (r) => r.some((row) => row.file === 'Cargo.toml' && row.code === 'provenance-modified')),
				);
				assert.deepEqual(
					rows.filter((row) => row.file === 'Cargo.toml').map((row) => `${row.severity} ${row.code} ${row.message}`),
					[`warning provenance-modified tampered-lib 1.0.0 differs from its repository in src/lib.rs (commit ${fixture.commits.tampered.slice(0, 12)})`],
				);
				const verified = await editor.step('hover-verified', () => editor.hoverText('verified-lib = "1"', 'verified-lib', 'Provenance'));
				assert.match(verified, /verified: every file matches its repository/);
				assert.match(verified, new RegExp(`commit ${fixture.commits.verified.slice(0, 12)}`));
				const tampered = await editor.step('hover-modified', () => editor.hoverText('tampered-lib = "1"', 'tampered-lib', 'Differ from the repository'));
				assert.match(tampered, /modified: the published files do not all match the repository/);
				assert.match(tampered, /Differ from the repository: src\/lib\.rs/);
				assert.match(tampered, /Show the differences/);
				await editor.step('diff-action', () => editor.applyQuickFix('tampered-lib = "1"', 'tampered-lib', /^Show how tampered-lib 1\.0\.0 differs/));
				const diff = await editor.step('diff-editor', () => editor.diffEditor('the tampered line', (d) => d.modified.includes('process::Command')));
				assert.match(diff.title, /src\/lib\.rs \(tampered-lib 1\.0\.0\)/);
				assert.ok(diff.original.includes(repositoryLine), `the repository side: ${diff.original}`);
				assert.ok(diff.modified.includes(tamperedLine), `the published side: ${diff.modified}`);
				assert.ok(!diff.original.includes('process::Command'));
			},
		);
	} finally {
		await fixture.close();
	}
});

void test('provenance turned off in the folder settings: the hover says so, and Problems has no provenance row', async () => {
	const fixture = await startProvenanceFixture(scratchDir('ct-e2e-provenance-off'));
	try {
		await withEditor(
			{
				scenario: 'provenance-off',
				workspace: fixture.workspace,
				// The folder's own settings, as a user turns it off for one project.
				files: { '.vscode/settings.json': JSON.stringify({ 'cargoTrust.provenance.enabled': false }) },
				settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb },
				env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home'), GIT_CONFIG_GLOBAL: fixture.gitEnv.GIT_CONFIG_GLOBAL! },
			},
			async (editor) => {
				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
				const hover = await editor.step('hover-off', () => editor.hoverText('tampered-lib = "1"', 'tampered-lib', 'Provenance: not checked'));
				assert.match(hover, /Provenance: not checked \(turned off by the setting cargoTrust\.provenance\.enabled\)/);
				// Quiescent, counted from what was published: with provenance on, tampered-lib's provenance-modified is a warning.
				await editor.step('quiescent', () => editor.statusBarLabel(cargoTrustStatusBarId, /^shield\s+Cargo Trust: no findings(,|$)/));
				const rows = await editor.step('problems', () => editor.waitForProblems('the findings once quiescent', () => true));
				assert.deepEqual(rows.filter((row) => row.code?.startsWith('provenance')), [], JSON.stringify(rows));
				assert.equal(fixture.git.requests, 0, 'no git fetch reached the repositories');
			},
		);
	} finally {
		await fixture.close();
	}
});
