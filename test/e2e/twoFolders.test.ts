/**
 * Settings per folder in a two-folder window (a `.code-workspace` with folders alpha and beta, each a copy of the
 * example workspace): `cargoTrust.advisories.ignore` set in one folder's `.vscode/settings.json` only applies to
 * that folder's diagnostics, and changing a folder's setting changes that folder's diagnostics only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cargoTrustStatusBarId, exampleWorkspace, offlineExampleSettings, scratchDir, withEditor } from './support';

const example = Object.fromEntries(readdirSync(exampleWorkspace, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, readFileSync(join(exampleWorkspace, e.name), 'utf8')]));
const folder = (name: string, ignore: string[]): Record<string, string> => ({
	...Object.fromEntries(Object.entries(example).map(([file, text]) => [`${name}/${file}`, text])),
	[`${name}/src/main.rs`]: 'fn main() {}\n',
	[`${name}/.vscode/settings.json`]: `${JSON.stringify({ 'cargoTrust.advisories.ignore': ignore }, null, '\t')}\n`,
});

void test('two folders: each folder follows its own cargoTrust.advisories.ignore', async () => {
	await withEditor(
		{
			scenario: 'two-folders',
			files: {
				...folder('alpha', ['RUSTSEC-2020-0071']),
				...folder('beta', []),
				'two.code-workspace': `${JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }] }, null, '\t')}\n`,
			},
			workspaceFile: 'two.code-workspace',
			readyEntry: 'alpha',
			settings: offlineExampleSettings(),
			env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home') },
		},
		async (editor) => {
			// Both folders analysed: alpha's 3 + 3 rows (time ignored) and beta's 4 + 4.
			await editor.step('problems', () => editor.waitForProblems('both folders analysed', (rows) => rows.some((r) => r.file?.startsWith('beta')) && rows.some((r) => r.file?.startsWith('alpha'))));
			await editor.step('status-bar', () => editor.statusBarLabel(cargoTrustStatusBarId, /Cargo Trust: 10 errors, 4 warnings/));
			// The panel shows only as many rows as fit: filter by advisory, as a user does.
			const filesWith = async (step: string, code: string, expected: string[]): Promise<void> => {
				await editor.step(step, async () => {
					await editor.filterProblems(code);
					const rows = await editor.waitForProblems(`${code} in ${expected.join(', ')}`, (rows) => rows.filter((r) => r.code === code).map((r) => r.file).sort().join() === expected.join());
					assert.ok(rows.length > 0);
				});
			};
			// alpha ignores the time advisory, beta does not.
			await filesWith('time-in-beta-only', 'RUSTSEC-2020-0071', ['beta/Cargo.lock', 'beta/Cargo.toml']);
			await filesWith('smallvec-in-both', 'RUSTSEC-2021-0003', ['alpha/Cargo.lock', 'alpha/Cargo.toml', 'beta/Cargo.lock', 'beta/Cargo.toml']);

			// beta now ignores smallvec's advisory: beta's rows go, alpha's stay, and alpha's own ignore still holds.
			writeFileSync(join(editor.workspaceDir, 'beta', '.vscode', 'settings.json'), `${JSON.stringify({ 'cargoTrust.advisories.ignore': ['RUSTSEC-2021-0003'] })}\n`);
			await filesWith('smallvec-in-alpha-only', 'RUSTSEC-2021-0003', ['alpha/Cargo.lock', 'alpha/Cargo.toml']);
			await filesWith('time-still-in-beta-only', 'RUSTSEC-2020-0071', ['beta/Cargo.lock', 'beta/Cargo.toml']);
		},
	);
});
