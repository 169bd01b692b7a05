/**
 * Hostile and broken input through the real server: a Cargo.toml with a syntax error still yields the other
 * dependencies, an unsupported lockfile version and an out-of-date lockfile get clear messages, nothing crashes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { startOfflineServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

void describe('bad input', () => {
	let ws: TempWorkspace;
	let client: LspTestClient;
	let manifest: string;
	let lockfile: string;

	// Each test gets its own workspace and server: none relies on what another did.
	beforeEach(async () => {
		ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		manifest = join(ws.dir, 'Cargo.toml');
		lockfile = join(ws.dir, 'Cargo.lock');
		client = startOfflineServer(ws);
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
		client.open(manifest);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	});

	afterEach(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	void it('reports a TOML syntax error and still checks every other dependency', async () => {
		const text = readFileSync(manifest, 'utf8').replace('smallvec = "1.6"', 'smallvec = "1.6\nbroken = = ]');
		client.change(manifest, text);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'toml-parse'));
		assert.ok(diagnostics.some((d) => d.code === 'RUSTSEC-2020-0071'), 'time is still checked');
		assert.ok(diagnostics.some((d) => d.code === 'RUSTSEC-2021-0145'), 'atty is still checked');
	});

	void it('says which dependency the lockfile does not satisfy', async () => {
		const text = readFileSync(manifest, 'utf8').replace('time = "0.1"', 'time = "0.3"');
		client.change(manifest, text);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'not-locked'));
		const notLocked = diagnostics.find((d) => d.code === 'not-locked')!;
		assert.match(notLocked.message, /time/);
		assert.match(notLocked.message, /0\.3/);
		assert.match(notLocked.message, /out of date/);
	});

	void it('reports an unsupported lockfile version and keeps going', async () => {
		const lockText = readFileSync(lockfile, 'utf8').replace('version = 4', 'version = 9');
		writeFileSync(lockfile, lockText);
		client.filesChanged([lockfile]);
		const diagnostics = await client.waitForDiagnostics(lockfile, (d) => d.some((x) => x.code === 'lockfile-version'));
		assert.match(diagnostics.find((d) => d.code === 'lockfile-version')!.message, /9/);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	});

	void it('answers malformed request parameters with InvalidParams, not a stack trace', async () => {
		const requests: [string, unknown][] = [
			['textDocument/hover', { position: { line: 0, character: 0 } }],
			['textDocument/hover', { textDocument: { uri: 'file:///x/Cargo.toml' }, position: { line: 'one' } }],
			['textDocument/hover', null],
			['workspace/executeCommand', { arguments: [] }],
		];
		for (const [method, params] of requests) {
			const error = await client.connection.sendRequest(method, params).then(
				() => undefined,
				(e: unknown) => e,
			);
			assert.ok(error instanceof ResponseError, `${method} ${JSON.stringify(params)} was answered`);
			assert.equal(error.code, ErrorCodes.InvalidParams, error.message);
		}
		client.notify('workspace/didChangeWatchedFiles', { changes: [{ type: 2 }, null, { uri: 'file://remote-host/x/Cargo.toml', type: 2 }] });
		// A well-formed request after them is answered normally; by then every earlier message was handled.
		await assert.doesNotReject(client.hover(manifest, readFileSync(manifest, 'utf8').indexOf('time = ') + 2));
		assert.deepEqual(client.logs.filter((line) => /TypeError|failed:/.test(line)), []);
	});

	void it('survives a lockfile that is not TOML at all', async () => {
		writeFileSync(lockfile, '\u0000\u0001 garbage [[[ "unterminated\n'.repeat(50));
		client.filesChanged([lockfile]);
		const diagnostics = await client.waitForDiagnostics(lockfile, (d) => d.some((x) => x.code === 'toml-parse'));
		// One syntax error per garbage line, each on its own line.
		assert.deepEqual(
			diagnostics.map((d) => [d.range.start.line, d.severity, d.code, d.message]),
			Array.from({ length: 50 }, (_, line) => [line, 1, 'toml-parse', 'Unexpected character']),
		);
		const manifestDiagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'not-locked'));
		// Nothing is locked any more, so every dependency says so, and nothing else is claimed about it.
		assert.deepEqual(
			manifestDiagnostics.map((d) => [d.code, d.message.split(' ')[0]]),
			['trust-demo', 'time', 'smallvec', 'tokio', 'serde', 'atty', 'ansi_term', 'tempfile'].map((name) => ['not-locked', name]),
		);
	});
});
