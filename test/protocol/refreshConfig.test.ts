/**
 * "Refresh Data" reads cargo's configuration again, over stdio: a root's `.cargo/config.toml` pointed at another
 * registry on disk, with no watched-file event (a watcher missing, an edit outside the editor), is picked up by the
 * refresh command alone, and the new registry's answers are what the diagnostics show.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exampleCrates } from '../support/exampleRegistry';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { RegistryServer } from '../support/registryServer';
import { copyWorkspace } from '../support/tempWorkspace';

/** The workspace's cargo configuration: crates.io replaced by `registry`. */
const replacedBy = (registry: RegistryServer): string => `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`;

void describe('Refresh Data and cargo configuration', () => {
	const closing: (() => Promise<unknown>)[] = [];
	after(async () => {
		for (const close of closing.reverse()) await close();
	});

	void it('sends requests to the registry a config.toml edited outside the watchers names', async () => {
		// Each registry's answer shows as a diagnostic: the first has tokio published two days ago, the second smallvec 1.6.0 yanked.
		const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const first = await RegistryServer.start({ crates: exampleCrates({ tokio: { pubtime: twoDaysAgo } }) });
		closing.push(() => first.close());
		const second = await RegistryServer.start({ crates: exampleCrates({ smallvec: { yanked: true } }) });
		closing.push(() => second.close());
		const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		mkdirSync(join(ws.dir, '.cargo'));
		writeFileSync(join(ws.dir, '.cargo', 'config.toml'), replacedBy(first));
		const manifest = join(ws.dir, 'Cargo.toml');
		const client: LspTestClient = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		closing.push(() => client.shutdown());
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true, watchesCargoFiles: true });
		client.open(manifest);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release'), "the first registry's young tokio");
		assert.equal(second.count(), 0);

		writeFileSync(join(ws.dir, '.cargo', 'config.toml'), replacedBy(second));
		await client.connection.sendRequest('workspace/executeCommand', { command: 'cargoTrust.server.refreshData', arguments: [] });
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'yanked') && !d.some((x) => x.code === 'young-release'), "the second registry's answers: smallvec yanked, tokio old");
		assert.equal(diagnostics.find((d) => d.code === 'yanked')!.message, 'smallvec 1.6.0 is yanked from crates.io');
		assert.ok(second.count('/index/') > 0, 'the second registry was asked');
	});
});
