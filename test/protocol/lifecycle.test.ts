/**
 * The server's lifecycle with a read that would never complete: a FIFO in the advisory database. A blocked read holds
 * a libuv thread that `process.exit` waits for, so the server must never block on one; then `exit` ends it.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { constants, cpSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startOfflineServer } from '../support/lspClient';
import { exampleAdvisoryDb, repoRoot } from '../support/paths';
import { copyWorkspace, tempDir } from '../support/tempWorkspace';

void describe('server lifecycle', () => {
	void it('loads the rest of the advisory database past a FIFO and exits on exit', { timeout: 30_000 }, async () => {
		const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		const advisoryDb = join(tempDir(), 'advisory-db');
		cpSync(exampleAdvisoryDb, advisoryDb, { recursive: true });
		const fifo = join(advisoryDb, 'crates', 'time', 'RUSTSEC-2099-0001.md');
		execFileSync('mkfifo', [fifo]);
		// Held open read-write (which Linux allows without blocking), a writer exists that never writes: any blocking read
		// of the FIFO would wait forever, as it would on a real pipe nobody feeds.
		const writer = await open(fifo, constants.O_RDWR);
		const client = startOfflineServer(ws, { advisoryDb });
		try {
			await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
			client.open(join(ws.dir, 'Cargo.toml'));
			await client.waitForDiagnostics(join(ws.dir, 'Cargo.toml'), (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'), 'the advisories past the FIFO');
			const status = await client.waitForQuiescent();
			assert.equal(status.message, `Advisories from ${advisoryDb}`);
			assert.equal(await client.shutdown(), 0);
		} finally {
			if (client.process && client.process.exitCode === null && client.process.signalCode === null) client.process.kill('SIGKILL');
			await writer.close();
		}
	});
});
