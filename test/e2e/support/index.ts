/**
 * The end-to-end harness: the packaged extension in a real VS Code (code-server 4.100.3), driven by Playwright
 * in Debian's Chromium. Scenario files import only this module.
 *
 * Running: `npm run test:e2e` packages cargo-trust.vsix, bundles the tests, and runs test/e2e/run.mjs, which runs
 * scripts/e2e/setup.sh (Debian packages, code-server in ~/.cache/cargo-trust-e2e; a no-op once done) and then
 * every `out/test/e2e/**\/*.test.js` one file at a time. Screenshots and, on failure, logs go to test-results/.
 *
 * Writing a scenario: one file per behaviour, `test/e2e/<behaviour>.test.ts` (esbuild bundles it to
 * out/test/e2e/<behaviour>.test.js), with its fixture workspace in `test/e2e/fixtures/<behaviour>/` (fixture
 * folders are not bundled, and the harness opens a copy, so edits never touch the fixture). For example:
 *
 * ```ts
 * import assert from 'node:assert/strict';
 * import { test } from 'node:test';
 * import { cargoTrustExtensionId, withEditor } from './support';
 *
 * void test('a vulnerable dependency gets a diagnostic and a hover', async () => {
 * 	await withEditor(
 * 		{
 * 			scenario: 'advisory',                          // test-results/advisory-<step>.png
 * 			workspace: 'test/e2e/fixtures/advisory',        // copied; must contain Cargo.toml (or pass readyEntry)
 * 			settings: { 'cargoTrust.network.offline': true },
 * 			env: { CARGO_HOME: `${process.cwd()}/test/e2e/fixtures/cargo-home` },
 * 		},
 * 		async (editor) => {
 * 			// Each step leaves test-results/advisory-<step>.png; a failing one leaves <step>-failed.png and the logs.
 * 			await editor.step('activated', () => editor.statusBarText(`${cargoTrustExtensionId}.status`, /Cargo Trust/));
 * 			await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
 *
 * 			const rows = await editor.step('problems', () =>
 * 				editor.waitForProblems('an advisory on time', (rows) => rows.some((row) => row.message.includes('RUSTSEC-2020-0071'))));
 * 			assert.deepEqual(rows.map((row) => `${row.severity} ${row.source} ${row.line}:${row.column} ${row.message}`), [
 * 				'warning cargo-trust 8:1 time 0.1.45: RUSTSEC-2020-0071 (segfault in localtime_r)',
 * 			]);
 *
 * 			// Waits for the expected text, re-hovering if the server answered before its data arrived.
 * 			const hover = await editor.step('hover', () => editor.hoverText('time = "0.1.45"', 'time', 'RUSTSEC-2020-0071'));
 * 			assert.match(hover, /Patched in `>= 0\.2\.23`/);
 *
 * 			await editor.step('edit', async () => {
 * 				await editor.replaceLine(8, 'time = "0.3.36"');   // or editor.setFileText(wholeText)
 * 				await editor.save();                            // waits until the file on disk holds the edit
 * 			});
 * 			await editor.step('fixed', () => editor.waitForProblems('no findings', (rows) => rows.length === 0));
 * 		},
 * 	);
 * });
 * ```
 *
 * Restricted Mode: `withEditor({ scenario, workspace, restricted: true }, …)` starts a profile with workspace trust
 * enabled and the folder untrusted; `editor.restrictedModeNotice()` returns the banner and status bar texts.
 *
 * Rules: never sleep; every helper polls what the workbench shows, for at most 60 s (CARGO_TRUST_E2E_WAIT_MS).
 * When a helper is missing, add it to editor.ts next to the others, with its selector in `sel`, rather than
 * driving `editor.page` from a scenario. Use `node:test`'s `test` (one editor per test, run one file at a time).
 *
 * Environment: CARGO_TRUST_E2E_VSIX (the .vsix), CARGO_TRUST_E2E_CACHE (code-server cache), CARGO_TRUST_E2E_KEEP=1
 * (keep passing runs' folders), CARGO_TRUST_E2E_RESULTS (artifacts folder), CARGO_TRUST_E2E_WAIT_MS.
 */
export { cargoTrustExtensionId, Editor, startEditor, withEditor } from './editor';
export type { EditorOptions, HoverContent, ProblemRow, RestrictedModeNotice } from './editor';
export { matches, waitFor, WaitTimeoutError } from './waitFor';
export type { TextMatcher } from './waitFor';
export { outputChannelName } from './artifacts';
