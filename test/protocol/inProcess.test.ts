/**
 * The server in this process with a manual clock: debounced analyses run when the clock says so, not after real
 * waits. Shows the harness the faster protocol tests build on.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { manualClock, startInProcessServer } from '../support/inProcessServer';
import { uri } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace } from '../support/tempWorkspace';

const settings = { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') }, network: { offline: true } };

void describe('in-process server with a manual clock', () => {
	void it('analyses only when the debounce falls due, once for a burst of edits', async () => {
		const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		const manifest = join(ws.dir, 'Cargo.toml');
		const clock = manualClock({ auto: false });
		const client = startInProcessServer({ env: { CARGO_HOME: ws.cargoHome }, settings, clock });
		try {
			await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
			await client.waitFor('the first analysis to be scheduled', () => clock.pending() > 0);
			assert.equal(client.diagnostics.size, 0);
			// The database load re-schedules every root when it lands: run each debounce as it falls due.
			for (;;) {
				await client.waitFor('a timer or quiescence', () => clock.pending() > 0 || client.lastStatus?.quiescent);
				if (clock.pending() === 0) break;
				clock.advance(150);
			}
			await client.waitForQuiescent();
			assert.ok(client.diagnostics.get(uri(manifest))?.some((d) => d.code === 'RUSTSEC-2020-0071'));
			const text = readFileSync(manifest, 'utf8');
			client.open(manifest);
			client.change(manifest, text.replace('time = "0.1"\n', ''));
			client.change(manifest, text.replace('smallvec = "1.6"\n', ''));
			await client.waitFor('the edits to be scheduled', () => client.lastStatus?.received === 4 && clock.pending() > 0);
			const before = client.publications.length;
			clock.advance(149);
			assert.equal(client.publications.length, before);
			clock.advance(1);
			await client.waitForQuiescent();
			const codes = client.diagnostics.get(uri(manifest))!.map((d) => String(d.code));
			assert.ok(codes.includes('RUSTSEC-2020-0071') && !codes.includes('RUSTSEC-2021-0003'), codes.join());
		} finally {
			await client.shutdown();
		}
	});

	void it('re-reads from disk only the files a watched-file event reported changed', async () => {
		const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		const manifest = join(ws.dir, 'Cargo.toml');
		const lockfile = join(ws.dir, 'Cargo.lock');
		const client = startInProcessServer({ env: { CARGO_HOME: ws.cargoHome }, settings });
		try {
			await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true, watchesCargoFiles: true });
			client.open(manifest);
			await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003'));
			const lockText = readFileSync(lockfile, 'utf8');
			writeFileSync(lockfile, lockText.replace('name = "smallvec"\nversion = "1.6.0"', 'name = "smallvec"\nversion = "1.6.1"'));
			// An edit of the manifest re-analyses with the lockfile text kept from before: no event said it changed.
			client.change(manifest, `${readFileSync(manifest, 'utf8')}# edited\n`);
			await client.waitForQuiescent();
			assert.ok(client.diagnostics.get(uri(manifest))!.some((d) => d.code === 'RUSTSEC-2021-0003'));
			client.filesChanged([lockfile]);
			await client.waitForDiagnostics(manifest, (d) => d.length > 0 && !d.some((x) => x.code === 'RUSTSEC-2021-0003'), 'the smallvec diagnostic to go');
		} finally {
			await client.shutdown();
		}
	});

	void it('fetches publishers from crates.io\'s API at one request per second although its clock stands still', async () => {
		const { ws, registry } = await exampleWithRegistry(exampleCrates());
		const manifest = join(ws.dir, 'Cargo.toml');
		const client = startInProcessServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: settings.advisoryDb } });
		try {
			await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
			client.open(manifest);
			const direct = ['time', 'smallvec', 'tokio', 'serde', 'atty', 'ansi_term'];
			// The manual clock only moves when a debounce falls due: the API's rate limiter used to wait for it forever.
			await client.waitFor('every direct dependency\'s publisher request', () => direct.every((name) => registry.requests.some((r) => r.path === `/api/v1/crates/${name}/versions`)), 20_000);
			await client.waitForQuiescent();
			const text = readFileSync(manifest, 'utf8');
			const hover = await client.hover(manifest, text.indexOf('\nserde =') + 1);
			assert.match((hover?.contents as MarkupContent).value, /by maintainer/);
		} finally {
			await client.shutdown();
			await registry.close();
		}
	});
});
