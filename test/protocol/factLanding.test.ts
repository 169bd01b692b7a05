/**
 * The server (over stdio, real clock) on the facts service's contract, against our registry on 127.0.0.1: each fact is
 * published as it lands (publishers, one request per second on crates.io, hold back nothing), "Refresh Data"
 * revalidates every index entry and republishes, and fact fetching runs under one progress per busy period.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { exampleCrates, examplePackages, exampleWithRegistry } from '../support/exampleRegistry';
import { startServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import type { RegistryServer } from '../support/registryServer';
import type { TempWorkspace } from '../support/tempWorkspace';

const fetchingTitle = 'Cargo Trust: fetching registry data and counting unsafe code';

void describe('facts landing in the language server', () => {
	let registry: RegistryServer | undefined;
	let client: LspTestClient | undefined;

	afterEach(async () => {
		await client?.shutdown();
		await registry?.close();
		client = undefined;
		registry = undefined;
	});

	/** The example on the test registry (which answers publishers as crates.io's API does), its tokio published two days ago. */
	async function start(): Promise<{ ws: TempWorkspace; manifest: string; registry: RegistryServer; client: LspTestClient }> {
		const published = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const started = await exampleWithRegistry(exampleCrates({ tokio: { pubtime: published } }));
		registry = started.registry;
		const manifest = join(started.ws.dir, 'Cargo.toml');
		client = startServer({ env: { CARGO_HOME: started.ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		return { ws: started.ws, manifest, registry, client };
	}

	void it('publishes young-release while every publisher request still hangs', async () => {
		const { ws, manifest, registry, client } = await start();
		// crates.io's API answers publishers; here it never does. Index data and downloads are unaffected.
		for (const { name } of examplePackages()) registry.fault({ kind: 'hang', path: `/api/v1/crates/${name}/versions` });
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(manifest);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release'), 'young-release before any publisher answered');
		assert.match(diagnostics.find((d) => d.code === 'young-release')!.message, /^tokio 1\.20\.0 was published 2 days ago/);
		// A publisher was asked for (one at a time, as crates.io wants) and has not answered: the server is not quiescent.
		await client.waitFor('a publisher request to arrive', () => registry.requests.some((request) => request.path.endsWith('/versions')));
		assert.equal(client.lastStatus?.quiescent, false);
	});

	void it('"Refresh Data" revalidates the index with conditional requests and republishes what changed', async () => {
		const { ws, manifest, registry, client } = await start();
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(manifest);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release'));
		await client.waitForQuiescent();
		assert.ok(!client.diagnostics.get(uri(manifest))?.some((d) => d.code === 'yanked'));
		registry.yank('smallvec', '1.6.0');
		const before = registry.requests.length;
		await client.connection.sendRequest('workspace/executeCommand', { command: 'cargoTrust.server.refreshData', arguments: [] });
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'yanked'), 'the yanked smallvec after the refresh');
		assert.equal(diagnostics.find((d) => d.code === 'yanked')!.message, 'smallvec 1.6.0 is yanked from crates.io');
		const conditional = registry.requests.slice(before).filter((request) => request.path.startsWith('/index/') && request.headers['if-none-match'] !== undefined);
		assert.ok(conditional.some((request) => request.path.endsWith('/tokio')), conditional.map((request) => request.path).join());
		assert.ok(conditional.some((request) => request.path.endsWith('/smallvec')), conditional.map((request) => request.path).join());
	});

	void it('reports one progress, begun and ended, around fetching facts', async () => {
		const { ws, manifest, client } = await start();
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(manifest);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release'));
		await client.waitForQuiescent();
		const begins = client.progress.filter((event) => event.kind === 'begin' && event.title === fetchingTitle);
		assert.ok(begins.length >= 1, JSON.stringify(client.progress));
		// Every period that began has ended, under the same token, after its reports.
		for (const begin of begins) {
			const events = client.progress.filter((event) => event.token === begin.token);
			assert.deepEqual([events[0]!.kind, events.at(-1)!.kind], ['begin', 'end'], JSON.stringify(events));
			assert.equal(events.filter((event) => event.kind === 'end').length, 1);
		}
		assert.ok(client.progress.some((event) => begins.some((begin) => begin.token === event.token) && /registry data: \d+ left/.test(event.message ?? '')), JSON.stringify(client.progress));
	});
});
