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
 * import { cargoTrustStatusBarId, withEditor } from './support';
 *
 * void test('a vulnerable dependency gets a diagnostic, a hover and a fix', async () => {
 * 	await withEditor(
 * 		{
 * 			scenario: 'advisory',                          // test-results/advisory-<step>.png
 * 			workspace: 'test/e2e/fixtures/advisory',        // copied; has Cargo.toml at its root (else pass readyEntry)
 * 			settings: { 'cargoTrust.network.offline': true, 'cargoTrust.advisoryDb.path': `${process.cwd()}/examples/advisory-db` },
 * 		},
 * 		async (editor) => {
 * 			// Each step leaves test-results/advisory-<step>.png; a failing one leaves <step>-failed.png and the logs.
 * 			// The item first reads "Cargo Trust: starting": wait for the text that means the work is done.
 * 			await editor.step('activated', () => editor.statusBarText(cargoTrustStatusBarId, /\d+ errors?/));
 * 			await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
 *
 * 			// Workspace diagnostics include Cargo.lock, which is not open: filter by file.
 * 			const rows = await editor.step('problems', () =>
 * 				editor.waitForProblems('the advisory on time', (rows) => rows.some((row) => row.file === 'Cargo.toml')));
 * 			assert.deepEqual(rows.filter((row) => row.file === 'Cargo.toml').map((row) => `${row.severity} ${row.code} ${row.line}:${row.column} ${row.message}`), [
 * 				'error RUSTSEC-2020-0071 8:1 time 0.1.43 is vulnerable: Potential segfault in the time crate (RUSTSEC-2020-0071); patched in >= 0.2.23',
 * 			]);
 *
 * 			// Waits for the expected text, hovering again if the server answered before its data arrived.
 * 			const hover = await editor.step('hover', () => editor.hoverText('time = "0.1"', 'time', 'RUSTSEC-2020-0071'));
 * 			assert.match(hover, /patched: >= 0\.2\.23/);
 *
 * 			await editor.step('fix', async () => {
 * 				await editor.applyQuickFix('time = "0.1"', 'time', /^Update time/); // once the server offers it; or replaceLine(8, …)
 * 				await editor.save();                            // waits until the tab is clean (and the disk holds edits)
 * 			});
 * 			await editor.step('fixed', () => editor.waitForProblems('no findings in Cargo.toml', (rows) => !rows.some((row) => row.file === 'Cargo.toml')));
 * 		},
 * 	);
 * });
 * ```
 *
 * Restricted Mode: `withEditor({ scenario, workspace, restricted: true }, …)` starts a profile with workspace trust
 * enabled and the folder untrusted; `editor.restrictedModeNotice()` returns the banner and status bar texts.
 * Settings in `restrictedConfigurations` (advisoryDb.path, …) then keep their defaults, as for a user.
 *
 * Other helpers: `runCommand('Cargo Trust: Refresh Data')`, `pickFromStatusItem(cargoTrustStatusBarId, 'Stop Fetching')` (a click on the status bar item, then an entry of its menu), `diffEditor(description, accept)` (the two sides of the active diff editor), `quickFixes(lineText, word)`, `setFileText(text)`,
 * `deleteLine(n)`, `goToLine(n)`, `filterProblems(text)` (more findings than the panel shows),
 * `extensionLog()` / `waitForExtensionLog(text)` (the "Cargo Trust" output channel), `statusBarLabel(id, expected?)`
 * (icon names and tooltip too, so `/^error\s+Cargo Trust: 6 errors/` waits past the `sync~spin` of a busy server).
 * A line whose text repeats (`[[package]]` in Cargo.lock) is named by number: `hover({ line: 58 }, '[[package]]')`.
 * HOME is the run's own, so ~/.cargo is never the developer's: pass `env: { CARGO_HOME: scratchDir('…') }` (an
 * empty folder, removed at exit) for cargo data. `exampleWorkspace`, `exampleAdvisoryDb` and
 * `offlineExampleSettings()` (workspaces.ts) name the bundled example and its sample advisories.
 *
 * Settings: `settings` go into the profile's user settings and, because the workbench is a remote window that reads
 * `machine-overridable` settings (advisoryDb.path, network.offline, …) only from the remote machine, into
 * code-server's machine settings too (codeServer.ts).
 *
 * Start-up time: `node out/test/e2e/support/runStartupBench.js [runs]` (not a scenario; see docs/performance.md).
 *
 * Rules: never sleep; every helper polls what the workbench shows, for at most 60 s (CARGO_TRUST_E2E_WAIT_MS).
 * When a helper is missing, add it to editor.ts next to the others, with its selector in `sel`, rather than
 * driving `editor.page` from a scenario. Use `node:test`'s `test` (one editor per test, run one file at a time).
 *
 * Environment: CARGO_TRUST_E2E_VSIX (the .vsix), CARGO_TRUST_E2E_CACHE (code-server cache), CARGO_TRUST_E2E_KEEP=1
 * (keep passing runs' folders), CARGO_TRUST_E2E_RESULTS (artifacts folder), CARGO_TRUST_E2E_WAIT_MS.
 */
export { cargoTrustExtensionId, cargoTrustStatusBarId, Editor, startEditor, withEditor } from './editor';
export type { EditorOptions, HoverContent, LineTarget, ProblemRow, RestrictedModeNotice } from './editor';
export { exampleAdvisoryDb, exampleWorkspace, offlineExampleSettings, scratchDir } from './workspaces';
export { matches, waitFor, WaitTimeoutError } from './waitFor';
export type { TextMatcher } from './waitFor';
export { outputChannelName } from './artifacts';
