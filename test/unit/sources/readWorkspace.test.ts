/**
 * Reading a workspace from disk: a file that exists but cannot be read is reported with the reason, never taken
 * for a missing one. Permission errors are injected, because tests run as root, which reads files whatever their mode.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { constants, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeWorkspace } from '../../../server/src/engine/analyze';
import { unknown } from '../../../server/src/engine/facts';
import { buildPolicy } from '../../../server/src/engine/policy';
import { readLoneLockfile, readWorkspace, type ReadFile } from '../../../server/src/sources/workspace/readWorkspace';
import { repoRoot } from '../../support/paths';
import { copyWorkspace } from '../../support/tempWorkspace';

const example = join(repoRoot, 'examples', 'basic');
const denied = (name: string): ReadFile => (path) =>
	path.endsWith(name) ? Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' })) : readFile(path, 'utf8');
const noFacts = { advisories: unknown<never>('not loaded in this test'), release: () => undefined, unsafe: () => undefined };

void describe('readWorkspace', () => {
	void it('reports a Cargo.lock it may not read as unreadable, with the reason, and the analysis says so instead of no-lockfile', async () => {
		const files = await readWorkspace(example, undefined, denied('Cargo.lock'));
		assert.equal(files.lockfile, undefined);
		assert.deepEqual(files.unreadable, [{ path: join(example, 'Cargo.lock'), kind: 'lockfile', reason: 'permission denied' }]);
		const analysis = analyzeWorkspace(files, noFacts, buildPolicy([], undefined), new Date('2026-11-24T00:00:00Z'));
		assert.deepEqual(analysis.unreadable, files.unreadable);
		const codes = analysis.findings.map((f) => f.code);
		assert.ok(!codes.includes('no-lockfile'), codes.join());
		const finding = analysis.findings.find((f) => f.code === 'lockfile-unreadable')!;
		assert.equal(finding.file, join(example, 'Cargo.toml'));
		assert.equal(finding.severity, 'error');
		assert.equal(finding.message, `Cannot read ${join(example, 'Cargo.lock')}: permission denied. The versions in use are unknown, so nothing can be checked.`);
	});

	void it('reports a root Cargo.toml it may not read with the reason', async () => {
		const files = await readWorkspace(example, undefined, denied('Cargo.toml'));
		assert.deepEqual(files.manifests, []);
		assert.deepEqual(files.unreadable, [{ path: join(example, 'Cargo.toml'), kind: 'manifest', reason: 'permission denied' }]);
	});

	void it('refuses a Cargo.lock that is a FIFO instead of blocking on it', async () => {
		const ws = copyWorkspace(example);
		const lockfile = join(ws.dir, 'Cargo.lock');
		rmSync(lockfile);
		execFileSync('mkfifo', [lockfile]);
		// A writer that never writes: a blocking read would never return.
		const writer = await open(lockfile, constants.O_RDWR);
		try {
			const files = await readWorkspace(ws.dir);
			assert.deepEqual(files.unreadable, [{ path: lockfile, kind: 'lockfile', reason: 'is not a regular file (a FIFO)' }]);
		} finally {
			await writer.close();
		}
	});

	void it('still treats a missing Cargo.lock as missing', async () => {
		const missing: ReadFile = (path) => (path.endsWith('Cargo.lock') ? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })) : readFile(path, 'utf8'));
		const files = await readWorkspace(example, undefined, missing);
		assert.deepEqual(files.unreadable, []);
		const analysis = analyzeWorkspace(files, noFacts, buildPolicy([], undefined), new Date('2026-11-24T00:00:00Z'));
		assert.ok(analysis.findings.some((f) => f.code === 'no-lockfile'));
	});

	void it('reads a lone Cargo.lock, and says why when it cannot', async () => {
		const lockfile = join(example, 'Cargo.lock');
		const files = await readLoneLockfile(lockfile);
		assert.deepEqual([files.root, files.manifests, files.lockfile?.path, files.unreadable], [example, [], lockfile, []]);
		const refused = await readLoneLockfile(lockfile, undefined, denied('Cargo.lock'));
		assert.deepEqual(refused.unreadable, [{ path: lockfile, kind: 'lockfile', reason: 'permission denied' }]);
	});
});
