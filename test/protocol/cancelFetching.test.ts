/**
 * Cancelling fact fetching, over stdio against our registry on 127.0.0.1, both ways a client can: the cancellable
 * progress (editors that show a cancel button), and the `cargoTrust.server.cancelFetching` command behind "Stop
 * Fetching" (VS Code shows the progress in the status bar, without one; the status says `fetching` while there is
 * something to stop). Either drops what is queued and lets running fetches finish; the server then goes quiescent,
 * what was not fetched shows as unknown with the reason, and "Refresh Data" fetches it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { ServerCommands } from '../../server/src/protocol';
import { exampleCrates, examplePackages, exampleWithRegistry } from '../support/exampleRegistry';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';

const fetchingTitle = 'Cargo Trust: fetching registry data and counting unsafe code';
const cancelledUnsafe = '**Unsafe:** unknown (fetching cancelled (run Cargo Trust: Refresh Data to fetch again))';
/** The example's direct dependencies (its [dependencies] table). */
const direct = ['time', 'smallvec', 'tokio', 'serde', 'atty', 'ansi_term'];

/** The example on our registry with every .crate download (and publisher request) held: four run, the rest wait in the queue. */
async function heldFetching(cleanup: (() => Promise<void>)[]) {
	const { registry, ws } = await exampleWithRegistry(exampleCrates());
	const manifest = join(ws.dir, 'Cargo.toml');
	const lockfile = join(ws.dir, 'Cargo.lock');
	registry.fault({ kind: 'hold', path: '/api/v1/crates/' });
	const client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
	cleanup.push(async () => void (await client.shutdown()), () => registry.close());
	const initialized = await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
	client.open(manifest);
	client.open(lockfile);
	const downloads = (paths: string[]): string[] => paths.filter((path) => path.endsWith('/download'));
	await registry.waitForHeld((paths) => downloads(paths).length === 4);
	const text = readFileSync(manifest, 'utf8');
	return {
		registry,
		client,
		manifest,
		lockfile,
		initialized,
		downloadedNames: (): Set<string> => new Set(downloads(registry.requests.map((request) => request.path)).map((path) => path.split('/')[4]!)),
		hoverOf: async (name: string): Promise<string> => ((await client.hover(manifest, text.indexOf(`\n${name} =`) + 1))?.contents as MarkupContent).value.replace(/\\/g, ''),
		/** What was running finishes; anything started after the cancel is answered at once, and counted by the caller. */
		release: async () => {
			registry.clearFaults();
			registry.releaseHeld();
			return client.waitForQuiescent();
		},
	};
}

/** Refresh Data fetches what the cancel left: `cancelled` no longer says so. */
async function refreshFetches(client: LspTestClient, hoverOf: (name: string) => Promise<string>, cancelled: string): Promise<void> {
	await client.connection.sendRequest('workspace/executeCommand', { command: ServerCommands.refreshData, arguments: [] });
	await client.waitForQuiescent();
	assert.ok(!(await hoverOf(cancelled)).includes('fetching cancelled'), await hoverOf(cancelled));
}

void describe('cancelling fact fetching', () => {
	const cleanup: (() => Promise<void>)[] = [];
	after(async () => {
		for (const step of cleanup) await step();
	});

	void it('from the progress: drops queued fetches, lets running ones finish, shows the rest as cancelled, and Refresh Data fetches them', async () => {
		const { client, lockfile, manifest, downloadedNames, hoverOf, release } = await heldFetching(cleanup);
		const begin = await client.waitFor('the fetching progress', () => client.progress.findLast((event) => event.kind === 'begin' && event.title === fetchingTitle));
		assert.equal(begin.cancellable, true, JSON.stringify(begin));
		await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
		// The server handles messages in order: once this hover is answered, the cancel has been handled.
		await client.hover(manifest, 0);
		await release();
		const running = downloadedNames();
		assert.equal(running.size, 4, `only the four running downloads were made: ${[...running].join(', ')}`);
		assert.ok(client.progress.some((event) => event.token === begin.token && event.kind === 'end'), 'the cancelled progress ended');

		const cancelled = direct.find((name) => !running.has(name))!;
		assert.ok((await hoverOf(cancelled)).includes(cancelledUnsafe), await hoverOf(cancelled));
		// Which four ran depends on which index reads landed first, so one of them is hovered in Cargo.lock, where every
		// package has an entry. The example's .crate bytes are no archives: what ran has its own answer, not the cancel's.
		const counted = [...running][0]!;
		const lockHover = await client.hover(lockfile, readFileSync(lockfile, 'utf8').indexOf(`name = "${counted}"`) + 'name = "'.length);
		assert.match((lockHover?.contents as MarkupContent).value.replace(/\\/g, ''), /\*\*Unsafe:\*\* unknown \(downloaded /);

		await refreshFetches(client, hoverOf, cancelled);
		assert.deepEqual([...downloadedNames()].sort(), [...new Set(examplePackages().map((pkg) => pkg.name))].sort(), 'Refresh Data fetched every package the cancel had left');
	});

	void it('from the Stop Fetching command: advertised, offered while fetching, cancels as the progress does', async () => {
		const { client, initialized, downloadedNames, hoverOf, release } = await heldFetching(cleanup);
		assert.ok(initialized.capabilities.executeCommandProvider?.commands.includes(ServerCommands.cancelFetching), JSON.stringify(initialized.capabilities.executeCommandProvider));
		await client.waitFor('a status saying facts are being fetched', () => (client.lastStatus?.fetching ? client.lastStatus : undefined));

		await client.connection.sendRequest('workspace/executeCommand', { command: ServerCommands.cancelFetching, arguments: [] });
		const quiet = await release();
		assert.equal(quiet.fetching, false, 'nothing left to stop');
		const running = downloadedNames();
		assert.equal(running.size, 4, `only the four running downloads were made: ${[...running].join(', ')}`);

		const cancelled = direct.find((name) => !running.has(name))!;
		assert.ok((await hoverOf(cancelled)).includes(cancelledUnsafe), await hoverOf(cancelled));
		await refreshFetches(client, hoverOf, cancelled);
		assert.ok(downloadedNames().has(cancelled), `Refresh Data fetched ${cancelled}`);
	});
});
