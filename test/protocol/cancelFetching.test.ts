/**
 * Cancelling fact fetching from its progress, over stdio against our registry on 127.0.0.1: the progress is
 * cancellable; a cancel drops what is queued and lets running fetches finish, the server then goes quiescent, and
 * what was not fetched shows as unknown with the reason; "Refresh Data" fetches it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { exampleCrates, examplePackages, exampleWithRegistry } from '../support/exampleRegistry';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import type { RegistryServer } from '../support/registryServer';

const fetchingTitle = 'Cargo Trust: fetching registry data and counting unsafe code';
const cancelledUnsafe = '**Unsafe:** unknown (fetching cancelled (run Cargo Trust: Refresh Data to fetch again))';
/** The example's direct dependencies (its [dependencies] table). */
const direct = ['time', 'smallvec', 'tokio', 'serde', 'atty', 'ansi_term'];

void describe('cancelling fact fetching', () => {
	let registry: RegistryServer | undefined;
	let client: LspTestClient | undefined;

	after(async () => {
		await client?.shutdown();
		await registry?.close();
	});

	void it('drops queued fetches, lets running ones finish, shows the rest as cancelled, and Refresh Data fetches them', async () => {
		const started = await exampleWithRegistry(exampleCrates());
		registry = started.registry;
		const { ws } = started;
		const manifest = join(ws.dir, 'Cargo.toml');
		// Every .crate download (and publisher request) is held: four unsafe counts run (the per-host bound), the rest wait in the queue.
		registry.fault({ kind: 'hold', path: '/api/v1/crates/' });
		const downloads = (paths: string[]): string[] => paths.filter((path) => path.endsWith('/download'));
		const downloadedNames = (): Set<string> => new Set(downloads(registry!.requests.map((request) => request.path)).map((path) => path.split('/')[4]!));
		client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		const lockfile = join(ws.dir, 'Cargo.lock');
		client.open(manifest);
		client.open(lockfile);
		await registry.waitForHeld((paths) => downloads(paths).length === 4);

		const begin = await client.waitFor('the fetching progress', () => client!.progress.findLast((event) => event.kind === 'begin' && event.title === fetchingTitle));
		assert.equal(begin.cancellable, true, JSON.stringify(begin));
		await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
		// The server handles messages in order: once this hover is answered, the cancel has been handled.
		const text = readFileSync(manifest, 'utf8');
		await client.hover(manifest, 0);
		// What was running finishes; anything started after the cancel is answered at once, and counted below.
		registry.clearFaults();
		registry.releaseHeld();
		await client.waitForQuiescent();
		const running = downloadedNames();
		assert.equal(running.size, 4, `only the four running downloads were made: ${[...running].join(', ')}`);
		assert.ok(client.progress.some((event) => event.token === begin.token && event.kind === 'end'), 'the cancelled progress ended');

		const hoverOf = async (name: string): Promise<string> => ((await client!.hover(manifest, text.indexOf(`\n${name} =`) + 1))?.contents as MarkupContent).value.replace(/\\/g, '');
		const cancelled = direct.find((name) => !running.has(name))!;
		assert.ok((await hoverOf(cancelled)).includes(cancelledUnsafe), await hoverOf(cancelled));
		// Which four ran depends on which index reads landed first, so one of them is hovered in Cargo.lock, where every
		// package has an entry. The example's .crate bytes are no archives: what ran has its own answer, not the cancel's.
		const counted = [...running][0]!;
		const lockHover = await client.hover(lockfile, readFileSync(lockfile, 'utf8').indexOf(`name = "${counted}"`) + 'name = "'.length);
		assert.match((lockHover?.contents as MarkupContent).value.replace(/\\/g, ''), /\*\*Unsafe:\*\* unknown \(downloaded /);

		await client.connection.sendRequest('workspace/executeCommand', { command: 'cargoTrust.server.refreshData', arguments: [] });
		await client.waitForQuiescent();
		assert.deepEqual([...downloadedNames()].sort(), [...new Set(examplePackages().map((pkg) => pkg.name))].sort(), 'Refresh Data fetched every package the cancel had left');
		assert.ok(!(await hoverOf(cancelled)).includes('fetching cancelled'), await hoverOf(cancelled));
	});
});
