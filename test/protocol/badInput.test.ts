/**
 * Hostile and broken input through the real server: a Cargo.toml with a syntax error still yields the other
 * dependencies, an unsupported lockfile version and an out-of-date lockfile get clear messages, nothing crashes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

void describe('bad input', () => {
	let ws: TempWorkspace;
	let client: LspTestClient;
	let manifest: string;
	let lockfile: string;

	before(async () => {
		ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		manifest = join(ws.dir, 'Cargo.toml');
		lockfile = join(ws.dir, 'Cargo.lock');
		client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') }, network: { offline: true } } });
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
		client.open(manifest);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	});

	after(async () => {
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
		client.change(manifest, readFileSync(manifest, 'utf8'));
		const lockText = readFileSync(lockfile, 'utf8').replace('version = 4', 'version = 9');
		writeFileSync(lockfile, lockText);
		client.filesChanged([lockfile]);
		const diagnostics = await client.waitForDiagnostics(lockfile, (d) => d.some((x) => x.code === 'lockfile-version'));
		assert.match(diagnostics.find((d) => d.code === 'lockfile-version')!.message, /9/);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	});

	void it('survives a lockfile that is not TOML at all', async () => {
		writeFileSync(lockfile, '\u0000\u0001 garbage [[[ "unterminated\n'.repeat(50));
		client.filesChanged([lockfile]);
		const diagnostics = await client.waitForDiagnostics(lockfile, (d) => d.some((x) => x.code === 'toml-parse'));
		assert.ok(diagnostics.length > 0);
		const manifestDiagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'not-locked'));
		assert.ok(manifestDiagnostics.length > 0);
	});
});
