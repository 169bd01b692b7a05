/**
 * "Stop Fetching" over stdio against our registry on 127.0.0.1: VS Code shows the fetching progress in the status
 * bar, without a cancel button, so the client offers a command instead. `cargoTrust.server.cancelFetching` is
 * advertised, the status says `fetching` while there is something to stop, and the command cancels as the progress's
 * cancel does (cancelFetching.test.ts): what was not fetched shows as cancelled, and "Refresh Data" fetches it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { ServerCommands } from '../../server/src/protocol';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import type { RegistryServer } from '../support/registryServer';

const cancelledUnsafe = '**Unsafe:** unknown (fetching cancelled (run Cargo Trust: Refresh Data to fetch again))';
/** The example's direct dependencies (its [dependencies] table). */
const direct = ['time', 'smallvec', 'tokio', 'serde', 'atty', 'ansi_term'];

void describe('the Stop Fetching command', () => {
	let registry: RegistryServer | undefined;
	let client: LspTestClient | undefined;

	after(async () => {
		await client?.shutdown();
		await registry?.close();
	});

	void it('is advertised, offered while fetching, drops queued fetches like the progress cancel, and Refresh Data fetches them', async () => {
		const started = await exampleWithRegistry(exampleCrates());
		registry = started.registry;
		const { ws } = started;
		const manifest = join(ws.dir, 'Cargo.toml');
		// Every .crate download (and publisher request) is held: four unsafe counts run (the per-host bound), the rest wait in the queue.
		registry.fault({ kind: 'hold', path: '/api/v1/crates/' });
		const downloadedNames = (): Set<string> =>
			new Set(registry!.requests.map((request) => request.path).filter((path) => path.endsWith('/download')).map((path) => path.split('/')[4]!));
		client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		const initialized = await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		assert.ok(initialized.capabilities.executeCommandProvider?.commands.includes(ServerCommands.cancelFetching), JSON.stringify(initialized.capabilities.executeCommandProvider));
		client.open(manifest);
		await registry.waitForHeld((paths) => paths.filter((path) => path.endsWith('/download')).length === 4);
		await client.waitFor('a status saying facts are being fetched', () => (client!.lastStatus?.fetching ? client!.lastStatus : undefined));

		await client.connection.sendRequest('workspace/executeCommand', { command: ServerCommands.cancelFetching, arguments: [] });
		registry.clearFaults();
		registry.releaseHeld();
		const quiet = await client.waitForQuiescent();
		assert.equal(quiet.fetching, false, 'nothing left to stop');
		const running = downloadedNames();
		assert.equal(running.size, 4, `only the four running downloads were made: ${[...running].join(', ')}`);

		const text = readFileSync(manifest, 'utf8');
		const hoverOf = async (name: string): Promise<string> => ((await client!.hover(manifest, text.indexOf(`\n${name} =`) + 1))?.contents as MarkupContent).value.replace(/\\/g, '');
		const cancelled = direct.find((name) => !running.has(name))!;
		assert.ok((await hoverOf(cancelled)).includes(cancelledUnsafe), await hoverOf(cancelled));

		await client.connection.sendRequest('workspace/executeCommand', { command: ServerCommands.refreshData, arguments: [] });
		await client.waitForQuiescent();
		assert.ok(downloadedNames().has(cancelled), `Refresh Data fetched ${cancelled}`);
		assert.ok(!(await hoverOf(cancelled)).includes('fetching cancelled'), await hoverOf(cancelled));
	});
});
