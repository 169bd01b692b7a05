/**
 * Start-up time of the packaged extension in a real VS Code, on the example workspace (offline, sample
 * advisories): from the extension host's "activating extension" log line to the first diagnostics the language
 * client receives, and to the Problems panel showing all 8 findings. Not a scenario (test/e2e/run.mjs never runs
 * it); docs/performance.md records its results.
 *
 *   npm run package && node esbuild.mjs && node out/test/e2e/support/runStartupBench.js [runs] [--no-trace]
 *
 * Each run starts a fresh code-server and measures three kinds of start:
 * - cold: the first start in a new profile (empty extension storage, so the advisory database is parsed for the
 *   first time; the OS file cache is warm from earlier runs);
 * - warm: two window reloads (Developer: Reload Window): a new extension host activates the extension, which
 *   starts its language server with the storage and cache files of the first start, while the workbench loads;
 * - restart: two "Cargo Trust: Restart Server" in the idle window: the language server alone, from the command to
 *   its first diagnostics (no activation: the time the extension's own process and data need);
 * - server: the installed extension's dist/server.js spawned over stdio by this script, no editor at all, from the
 *   spawn to the first diagnostics on Cargo.toml (same settings, warm cache folder), twice per run.
 * Times come from the logs the extension host writes with millisecond timestamps, with
 * `cargoTrust.trace.server: "verbose"` so that the output channel records each message of the protocol. A line is
 * stamped when the extension host writes it, so on a busy host a burst of lines can share a later stamp. The
 * Problems panel time is when a poll (every 100 ms) first saw all 8 rows, on the same clock. With --no-trace the
 * trace stays off (to check that tracing does not slow the start) and only the Problems panel time is measured.
 * Prints a table and the medians, and writes test-results/startup-bench.json.
 */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { resultPath } from './artifacts';
import { cargoTrustStatusBarId, startEditor, type Editor } from './editor';
import { waitFor } from './waitFor';
import { exampleWorkspace, offlineExampleSettings, scratchDir } from './workspaces';

type Kind = 'cold' | 'warm' | 'restart' | 'server';

/** Milliseconds from the start (activation, or the restart command) to each point; null when not measured. */
interface Start {
	run: number;
	kind: Kind;
	/** The client sends `initialize`: the extension is loaded and its server process spawned (traced runs). */
	initializeSentMs: number | null;
	/** The server's `initialize` response: the server has loaded (traced runs). */
	initializedMs: number | null;
	/** The server's "Loaded N advisories" log line. */
	advisoriesLoadedMs: number | null;
	/** The first non-empty publishDiagnostics the client received (traced runs). */
	firstDiagnosticsMs: number | null;
	/** The publishDiagnostics that completed both files' findings (traced runs). */
	allDiagnosticsMs: number | null;
	/** The Problems panel shows all 8 findings (not measured for restarts). */
	problemsPanelMs: number | null;
}

/** `2026-11-25 08:42:28.363 [info] …`: the extension host's local time. */
const stamp = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) /;

/** Log entries: a stamped line and the unstamped lines after it (a traced message's parameters). */
function entries(text: string): { at: number; text: string }[] {
	const result: { at: number; text: string }[] = [];
	for (const line of text.split('\n')) {
		const match = stamp.exec(line);
		if (match) result.push({ at: new Date(`${match[1]}T${match[2]}`).getTime(), text: line });
		else if (result.length) result[result.length - 1]!.text += `\n${line}`;
	}
	return result;
}

/** The log folder of the `index`-th extension host of this run (one per window load). */
function exthostDir(editor: Editor, index: number): string {
	const logs = join(editor.runDir, 'user-data', 'logs');
	for (const session of readdirSync(logs).sort().reverse()) {
		if (readdirSync(join(logs, session)).includes(`exthost${index}`)) return join(logs, session, `exthost${index}`);
	}
	throw new Error(`No exthost${index} log folder under ${logs}`);
}

/** When the `index`-th extension host started activating the extension. */
function activationTime(editor: Editor, index: number): number {
	const file = join(exthostDir(editor, index), 'remoteexthost.log');
	const activation = entries(readFileSync(file, 'utf8')).find((entry) => /_doActivateExtension cargo-trust\.cargo-trust\b/.test(entry.text));
	if (!activation) throw new Error(`No activation line for cargo-trust in ${file}`);
	return activation.at;
}

interface ChannelTimes {
	initializeSentAt: number | undefined;
	initializedAt: number | undefined;
	advisoriesLoadedAt: number | undefined;
	firstAt: number | undefined;
	allAt: number | undefined;
}

/** What the `index`-th extension host's output channel recorded at or after `since`: the server's start and its diagnostics. */
function channelTimes(editor: Editor, index: number, since = 0): ChannelTimes {
	const file = join(exthostDir(editor, index), 'cargo-trust.cargo-trust', 'Cargo Trust.log');
	const logged = entries(readFileSync(file, 'utf8')).filter((entry) => entry.at >= since);
	const find = (pattern: RegExp) => logged.find((entry) => pattern.test(entry.text))?.at;
	const times: ChannelTimes = {
		initializeSentAt: find(/Sending request 'initialize - /),
		initializedAt: find(/Received response 'initialize - /),
		advisoriesLoadedAt: find(/Loaded \d+ advisories from /),
		firstAt: undefined,
		allAt: undefined,
	};
	const seen = new Map<string, number>();
	for (const [position, entry] of logged.entries()) {
		if (!entry.text.includes("Received notification 'textDocument/publishDiagnostics'")) continue;
		// The trace writes the parameters as the next entry: `<time> [info] Params: {…}`.
		const next = logged[position + 1]?.text ?? '';
		const at = next.indexOf('Params: ');
		if (at < 0) continue; // NOTE: its parameters are not written yet.
		const params = JSON.parse(next.slice(at + 'Params: '.length)) as { uri: string; diagnostics: unknown[] };
		if (params.diagnostics.length === 0) continue;
		times.firstAt ??= entry.at;
		seen.set(params.uri.replace(/^.*\//, ''), params.diagnostics.length);
		if (seen.get('Cargo.toml') === 4 && seen.get('Cargo.lock') === 4) {
			times.allAt = entry.at;
			break;
		}
	}
	return times;
}

async function waitForFindings(editor: Editor): Promise<number> {
	await editor.waitForProblems('the 8 findings of the example', (rows) => rows.filter((row) => row.code?.startsWith('RUSTSEC-')).length === 8);
	const seenAt = Date.now();
	await editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 6 errors, 2 warnings(,|$)/);
	return seenAt;
}

function measured(run: number, kind: Kind, from: number, logged: ChannelTimes | undefined, panelAt: number | undefined): Start {
	const since = (at: number | undefined) => (at === undefined ? null : at - from);
	return {
		run,
		kind,
		initializeSentMs: since(logged?.initializeSentAt),
		initializedMs: since(logged?.initializedAt),
		advisoriesLoadedMs: since(logged?.advisoriesLoadedAt),
		firstDiagnosticsMs: since(logged?.firstAt),
		allDiagnosticsMs: since(logged?.allAt),
		problemsPanelMs: since(panelAt),
	};
}

async function measureRun(run: number, trace: boolean): Promise<Start[]> {
	const starts: Start[] = [];
	const editor = await startEditor({
		scenario: 'startup-bench',
		workspace: exampleWorkspace,
		settings: { ...offlineExampleSettings(), 'cargoTrust.trace.server': trace ? 'verbose' : 'off' },
		env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home') },
	});
	try {
		await editor.openProblems();
		const panelTimes = [await editor.step(`run-${run}-cold`, () => waitForFindings(editor))];
		for (let reload = 1; reload <= 2; reload++) {
			await editor.step(`run-${run}-reload-${reload}`, async () => {
				// The old page answers every selector until the reload has happened: wait for the new page's load.
				const reloaded = editor.page.waitForEvent('load');
				await editor.runCommand('Developer: Reload Window');
				await reloaded;
				await editor.waitForWorkbench('Cargo.toml');
				await editor.openProblems();
				panelTimes.push(await waitForFindings(editor));
			});
		}
		panelTimes.forEach((panelAt, index) => {
			starts.push(measured(run, index === 0 ? 'cold' : 'warm', activationTime(editor, index + 1), trace ? channelTimes(editor, index + 1) : undefined, panelAt));
		});
		if (!trace) return starts;
		const host = panelTimes.length;
		for (let restart = 1; restart <= 2; restart++) {
			await editor.step(`run-${run}-restart-${restart}`, async () => {
				// The command's handler runs once the palette has closed, a few ms after this.
				const commandAt = Date.now();
				await editor.runCommand('Cargo Trust: Restart Server');
				const logged = await waitFor('the restarted server\'s complete diagnostics in the output channel', async () => channelTimes(editor, host, commandAt), (times) => times.allAt !== undefined);
				starts.push(measured(run, 'restart', commandAt, logged, undefined));
				await editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 6 errors, 2 warnings(,|$)/);
			});
		}
		// The bundle the editor installed from the .vsix, and the storage folder it has been using (warm).
		const extension = join(editor.runDir, 'extensions', readdirSync(join(editor.runDir, 'extensions')).find((name) => name.startsWith('cargo-trust.cargo-trust-'))!);
		const cacheDir = join(editor.runDir, 'user-data', 'User', 'globalStorage', 'cargo-trust.cargo-trust');
		for (let alone = 1; alone <= 2; alone++) starts.push(await measureServerAlone(run, join(extension, 'dist', 'server.js'), cacheDir));
		return starts;
	} finally {
		await editor.close();
	}
}

/**
 * The shipped server bundle with no editor: spawned over stdio on a copy of the example with the bench's settings,
 * timed from the spawn to its `initialize` response and to its first non-empty diagnostics for Cargo.toml.
 */
async function measureServerAlone(run: number, serverJs: string, cacheDir: string): Promise<Start> {
	const workspace = join(scratchDir('ct-e2e-server-bench'), 'basic');
	cpSync(exampleWorkspace, workspace, { recursive: true });
	const settings = { advisoryDb: { path: offlineExampleSettings()['cargoTrust.advisoryDb.path'] }, network: { offline: true } };
	const spawnedAt = Date.now();
	const child = spawn(process.execPath, [serverJs, '--stdio'], { env: { ...process.env, CARGO_HOME: scratchDir('ct-e2e-cargo-home') }, stdio: ['pipe', 'pipe', 'ignore'] });
	const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
	try {
		const manifest = pathToFileURL(join(workspace, 'Cargo.toml')).href;
		let diagnosedAt: number | undefined;
		connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: unknown[] }) => {
			if (params.uri === manifest && params.diagnostics.length > 0) diagnosedAt ??= Date.now();
		});
		connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
		connection.onRequest(() => null);
		connection.onNotification(() => undefined);
		connection.listen();
		const folder = pathToFileURL(workspace).href;
		await connection.sendRequest('initialize', {
			processId: process.pid,
			rootUri: folder,
			workspaceFolders: [{ uri: folder, name: 'basic' }],
			capabilities: { workspace: { configuration: true } },
			initializationOptions: { cacheDir, trusted: true, settings },
		});
		const initializedAt = Date.now();
		await connection.sendNotification('initialized', {});
		await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: manifest, languageId: 'toml', version: 1, text: readFileSync(join(workspace, 'Cargo.toml'), 'utf8') } });
		// The time is taken when the notification arrives; the wait only bounds how long to expect it.
		const firstAt = await waitFor('the server\'s first diagnostics', async () => diagnosedAt, (at) => at !== undefined);
		return { ...measured(run, 'server', spawnedAt, undefined, undefined), initializedMs: initializedAt - spawnedAt, firstDiagnosticsMs: firstAt! - spawnedAt };
	} finally {
		connection.dispose();
		child.kill();
	}
}

function median(values: (number | null)[]): number | null {
	const sorted = values.filter((value) => value !== null).sort((a, b) => a - b);
	if (sorted.length === 0) return null;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

async function main(): Promise<void> {
	const trace = !process.argv.includes('--no-trace');
	const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 3);
	const starts: Start[] = [];
	for (let run = 1; run <= runs; run++) starts.push(...(await measureRun(run, trace)));

	const columns = ['initializeSentMs', 'initializedMs', 'advisoriesLoadedMs', 'firstDiagnosticsMs', 'allDiagnosticsMs', 'problemsPanelMs'] as const;
	const headings = ['initialize sent', 'initialized', 'advisories loaded', 'first diagnostics', 'all diagnostics', 'Problems panel'];
	const line = (cells: string[]) => cells.map((cell, index) => (index < 2 ? cell.padEnd(index === 0 ? 6 : 7) : cell.padStart(headings[index - 2]!.length))).join('  ');
	console.log('ms after the "activating extension" line of the extension host log (restart: after the command; server: after the spawn)');
	console.log(line(['run', 'start', ...headings]));
	for (const start of starts) console.log(line([String(start.run), start.kind, ...columns.map((column) => String(start[column] ?? '-'))]));
	const summary: Record<string, Record<string, number | null>> = {};
	for (const kind of ['cold', 'warm', 'restart', 'server'] as const) {
		const of = starts.filter((start) => start.kind === kind);
		if (of.length === 0) continue;
		summary[kind] = { starts: of.length, ...Object.fromEntries(columns.map((column) => [column, median(of.map((start) => start[column]))])) };
		console.log(line(['median', kind, ...columns.map((column) => String(summary[kind]![column] ?? '-'))]));
	}
	writeFileSync(resultPath(`startup-bench${trace ? '' : '-no-trace'}.json`), `${JSON.stringify({ date: new Date().toISOString(), trace, starts, median: summary }, null, '\t')}\n`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
