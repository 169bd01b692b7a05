/**
 * Typing in a manifest over the protocol (issue 16 items 1 and 5): a parse problem on the line being typed waits for
 * the pause or the save; findings of untouched lines stay while the file does not parse; the status says "loading"
 * until the first analysis with data is published, its counts are those of the published diagnostics, and it lists
 * each data source.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { StatusParams } from '../../server/src/protocol';
import { startOfflineServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

const brief = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)}`).sort();

/** One incremental change, as VS Code sends a keystroke: insert `text` at a position. */
function type(client: LspTestClient, path: string, version: number, line: number, character: number, text: string): void {
	const position = { line, character };
	client.notify('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: [{ range: { start: position, end: position }, text }] });
}

/** Types `text` one character at a time on a new line inserted before `line` (0-based); returns the next version. */
function typeNewLine(client: LspTestClient, path: string, line: number, text: string, version = 2): number {
	type(client, path, version++, line, 0, '\n');
	for (let i = 0; i < text.length; i++) type(client, path, version++, line, i, text[i]!);
	return version;
}

/** Every error, warning and information diagnostic the client holds, counted as the status counts them. */
function publishedCounts(held: Map<string, Diagnostic[]>): StatusParams['counts'] {
	const counts = { error: 0, warning: 0, information: 0 };
	for (const diagnostics of held.values()) for (const d of diagnostics) if (d.severity === 1) counts.error++; else if (d.severity === 2) counts.warning++; else if (d.severity === 3) counts.information++;
	return counts;
}

async function started(pauseMs: number): Promise<{ ws: TempWorkspace; client: LspTestClient; manifest: string }> {
	const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
	const manifest = join(ws.dir, 'Cargo.toml');
	const client = startOfflineServer(ws);
	await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true, typingPauseMs: pauseMs });
	client.open(manifest);
	await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003'));
	return { ws, client, manifest };
}

void describe('typing a dependency, held until the pause or the save', () => {
	let client: LspTestClient;
	let manifest: string;

	// A pause longer than any test: only the save can show the held problem, so nothing here depends on timing.
	before(async () => ({ client, manifest } = await started(3_600_000)));
	after(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	it('says loading, with no count, until the first analysis with advisory data is published', async () => {
		const { statuses } = client;
		const first = await client.waitFor('a status after loading', () => statuses.find(({ status }) => !status.loading));
		assert.equal(statuses[0]?.status.loading, true, JSON.stringify(statuses[0]?.status));
		assert.ok(first.status.counts.error > 0, JSON.stringify(first.status));
		for (const { status, diagnostics } of statuses.filter(({ status }) => !status.loading)) assert.deepEqual(status.counts, publishedCounts(diagnostics), 'the counts are those of the published diagnostics');
	});

	it('lists each data source, and the checks skipped offline', async () => {
		const status = await client.waitFor('registry state in the status', () => (client.lastStatus?.quiescent && client.lastStatus.sources.some((s) => s.label.startsWith('Registry')) ? client.lastStatus : undefined));
		const lines = status.sources.map((s) => `${s.label}: ${s.state}`);
		assert.match(lines[0]!, /^Advisories: RustSec advisory-db at .*examples\/advisory-db/);
		assert.ok(lines.some((line) => /^Registry crates-io: offline.*, 19 locked packages checked$/.test(line)), lines.join('\n'));
		assert.ok(lines.includes('Skipped: release age, yanked and checksum checks (crates-io offline)'), lines.join('\n'));
	});

	it('while typing an unterminated string, shows no parse problem and keeps every finding below it', async () => {
		// `instant = """` leaves the rest of the file inside a string: the parser loses smallvec, tokio and atty.
		const text = readFileSync(manifest, 'utf8');
		typeNewLine(client, manifest, 8, 'instant = """');
		const typed = text.replace('time = "0.1"\n', 'time = "0.1"\ninstant = """\n');
		// A hover answers from an analysis of the typed text, published before the answer is sent.
		await client.hoverIn(manifest, typed, typed.indexOf('time'));
		assert.deepEqual(brief(client.diagnostics.get(uri(manifest))!), ['10 RUSTSEC-2021-0003', '11 RUSTSEC-2024-0019', '13 RUSTSEC-2021-0145', '8 RUSTSEC-2020-0071']);
		assert.deepEqual(client.lastStatus?.counts, publishedCounts(client.diagnostics));
	});

	it('shows the one parse problem, on its line, on save, still keeping the other findings', async () => {
		void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uri(manifest) } });
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'toml-parse'));
		assert.deepEqual(brief(diagnostics), ['10 RUSTSEC-2021-0003', '11 RUSTSEC-2024-0019', '13 RUSTSEC-2021-0145', '8 RUSTSEC-2020-0071', '9 toml-parse']);
		await client.waitFor('counts with the parse problem', () => client.lastStatus?.counts.error === publishedCounts(client.diagnostics).error);
	});
});

void describe('typing a dependency, shown after the pause', () => {
	let client: LspTestClient;
	let manifest: string;

	before(async () => ({ client, manifest } = await started(20)));
	after(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	it('publishes the parse problem of a bare key on its own line once typing pauses, with every other finding', async () => {
		typeNewLine(client, manifest, 8, 'instant');
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'toml-parse'));
		assert.deepEqual(brief(diagnostics), ['10 RUSTSEC-2021-0003', '11 RUSTSEC-2024-0019', '13 RUSTSEC-2021-0145', '8 RUSTSEC-2020-0071', '9 toml-parse']);
	});
});
