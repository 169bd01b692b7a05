/**
 * Where the end-to-end harness finds its tools and puts its output, and how long it waits.
 * Every value can be overridden from the environment; nothing here starts a process.
 */
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The code-server release the harness is written against (VS Code 1.100.3 inside). Keep in step with scripts/e2e/setup.sh. */
export const codeServerVersion = '4.100.3';

/** Tests run from the repository root, like the unit tests (test/support/paths.ts). */
export const repoRoot = process.cwd();

/** Screenshots and collected logs; CI uploads this folder. */
export const resultsDir = resolve(process.env.CARGO_TRUST_E2E_RESULTS ?? join(repoRoot, 'test-results'));

/** The packaged extension under test, built by `vsce package --no-dependencies -o cargo-trust.vsix`. */
export const defaultVsix = resolve(process.env.CARGO_TRUST_E2E_VSIX ?? join(repoRoot, 'cargo-trust.vsix'));

/**
 * The installed `code-server` package folder. test/e2e/run.mjs passes what scripts/e2e/setup.sh printed;
 * the fallback is the same default the script uses.
 */
export function codeServerDir(): string {
	if (process.env.CARGO_TRUST_E2E_CODE_SERVER) return resolve(process.env.CARGO_TRUST_E2E_CODE_SERVER);
	const cacheRoot = process.env.CARGO_TRUST_E2E_CACHE ?? join(homedir(), '.cache', 'cargo-trust-e2e');
	return join(cacheRoot, `code-server-${codeServerVersion}`, 'node_modules', 'code-server');
}

/**
 * Parent of the per-run folders. It lives under the system temporary folder rather than the checkout because
 * code-server puts Unix sockets in the run's TMPDIR, and socket paths must stay under 108 bytes.
 */
export const runsRoot = resolve(process.env.CARGO_TRUST_E2E_RUNS ?? tmpdir());

/** Keep a successful run's folder (profile, logs, workspace copy) instead of deleting it. */
export const keepRunDirs = process.env.CARGO_TRUST_E2E_KEEP === '1';

/**
 * Upper bound for each wait on what the editor shows. Both cores are saturated while the workbench starts,
 * so 60 s is deliberately generous; a wait that succeeds returns as soon as its condition holds.
 */
export const waitTimeoutMs = Number(process.env.CARGO_TRUST_E2E_WAIT_MS ?? 60_000);

/** Debian's Chromium; Playwright must never download a browser. */
export const chromiumPath = process.env.CARGO_TRUST_E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Chromium flags. The host resolver rule is the only thing that stops Chromium's own calls to Google hosts;
 * 127.0.0.1 stays reachable for code-server.
 */
export const chromiumArgs: readonly string[] = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--disable-dev-shm-usage',
	'--lang=en-US',
	'--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/**
 * User settings for every run. With these no dialog, notification or welcome page appears, and neither the
 * workbench nor code-server makes an outbound request.
 */
export const baseSettings: Readonly<Record<string, unknown>> = {
	'security.workspace.trust.enabled': false,
	'security.workspace.trust.startupPrompt': 'never',
	'security.workspace.trust.banner': 'never',
	'workbench.startupEditor': 'none',
	'workbench.welcomePage.walkthroughs.openOnInstall': false,
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'extensions.autoUpdate': false,
	'extensions.autoCheckUpdates': false,
	'extensions.ignoreRecommendations': true,
	'json.schemaDownload.enable': false,
	'git.autofetch': false,
	'git.openRepositoryInParentFolders': 'never',
	'remote.autoForwardPorts': false,
	'editor.hover.delay': 300,
	'editor.minimap.enabled': false,
	// Typing in tests must produce exactly the text typed: no suggestion accepted by Enter, no auto-closing quote.
	'editor.acceptSuggestionOnEnter': 'off',
	'editor.quickSuggestions': { other: false, comments: false, strings: false },
	'editor.suggestOnTriggerCharacters': false,
	'editor.autoClosingBrackets': 'never',
	'editor.autoClosingQuotes': 'never',
	'editor.autoIndent': 'none',
	'editor.autoSurround': 'never',
	'editor.formatOnType': false,
	'files.autoSave': 'off',
};

/**
 * Overrides for a restricted-mode run: workspace trust is on, nothing asks, and the folder stays untrusted.
 * code-server is then also started without `--disable-workspace-trust`.
 */
export const restrictedSettings: Readonly<Record<string, unknown>> = {
	'security.workspace.trust.enabled': true,
	'security.workspace.trust.startupPrompt': 'never',
	'security.workspace.trust.banner': 'always',
	'security.workspace.trust.untrustedFiles': 'open',
};
