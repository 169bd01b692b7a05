/**
 * Files the client watches besides manifests and lockfiles: a changed `.cargo/audit.toml`, announced through
 * `workspace/didChangeWatchedFiles`, is read again and its ignores apply without a restart.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startOfflineServer } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace } from '../support/tempWorkspace';

void describe('watched files', () => {
	void it('re-analyses with the new ignores when .cargo/audit.toml changes on disk', async () => {
		const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		const manifest = join(ws.dir, 'Cargo.toml');
		const client = startOfflineServer(ws);
		try {
			await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
			client.open(manifest);
			await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
			const auditToml = join(ws.dir, '.cargo', 'audit.toml');
			mkdirSync(join(ws.dir, '.cargo'), { recursive: true });
			writeFileSync(auditToml, '[advisories]\nignore = ["RUSTSEC-2020-0071"]\n');
			client.filesChanged([auditToml]);
			const diagnostics = await client.waitForDiagnostics(manifest, (d) => !d.some((x) => x.code === 'RUSTSEC-2020-0071'), 'the time advisory to be ignored');
			assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ['RUSTSEC-2021-0003', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019']);
			assert.equal(await client.shutdown(), 0);
		} finally {
			if (client.process && client.process.exitCode === null && client.process.signalCode === null) client.process.kill('SIGKILL');
		}
	});
});
