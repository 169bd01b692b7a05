/**
 * `cargo-trust lsp --stdio`, the language server for other editors, is the same server as the extension's.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { it } from 'node:test';
import { startOfflineServer } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace } from '../support/tempWorkspace';

void it('serves diagnostics through `cargo-trust lsp --stdio` and exits cleanly', async () => {
	const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
	const client = startOfflineServer(ws, { entry: 'cli' });
	await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
	client.open(join(ws.dir, 'Cargo.toml'));
	const diagnostics = await client.waitForDiagnostics(join(ws.dir, 'Cargo.toml'), (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	assert.equal(diagnostics.length, 4);
	assert.equal(await client.shutdown(), 0);
});
