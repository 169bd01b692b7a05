/**
 * The one wording for file-system errors: a reason that reads after "cannot read <path>: ", the same in the CLI, the
 * editor's diagnostics, the advisory database's skipped entries and the audit store's notes.
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fsErrorReason, isAbsentError } from '../../../server/src/sources/fsErrors';
import { readRegularFile } from '../../../server/src/sources/readRegularFile';
import { readWorkspace } from '../../../server/src/sources/workspace/readWorkspace';
import { repoRoot } from '../../support/paths';

const nodeError = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

void describe('fsErrorReason', () => {
	void it('says what went wrong in a few words, without the syscall or the path', () => {
		const cases: [NodeJS.ErrnoException | Error, string][] = [
			[nodeError('EACCES', "EACCES: permission denied, open '/w/Cargo.lock'"), 'permission denied'],
			[nodeError('EPERM', "EPERM: operation not permitted, open '/w/Cargo.lock'"), 'permission denied'],
			[nodeError('ENOENT', "ENOENT: no such file or directory, open '/w/Cargo.lock'"), 'no such file'],
			[nodeError('EISDIR', "EISDIR: illegal operation on a directory, read '/w/Cargo.lock'"), 'is a directory'],
			[nodeError('ELOOP', "ELOOP: too many symbolic links encountered, open '/w/a'"), 'is a symbolic link loop'],
			[nodeError('ENOTDIR', "ENOTDIR: not a directory, open '/w/file/Cargo.lock'"), 'part of the path is not a directory'],
			[nodeError('ENOTREGULAR', 'is not a regular file (a FIFO)'), 'is not a regular file (a FIFO)'],
			[nodeError('EIO', "EIO: i/o error, read '/w/Cargo.lock'"), 'i/o error (EIO)'],
			[new Error('something else'), 'something else'],
		];
		for (const [error, reason] of cases) assert.equal(fsErrorReason(error), reason, (error as Error).message);
	});

	void it('tells an absent path from one that is there but unreadable', async () => {
		assert.deepEqual([isAbsentError(nodeError('ENOENT', '')), isAbsentError(nodeError('ENOTDIR', '')), isAbsentError(nodeError('EACCES', ''))], [true, true, false]);
		assert.deepEqual(await readRegularFile(join(repoRoot, 'no-such-file')), { error: 'no such file', absent: true });
		assert.deepEqual(await readRegularFile(repoRoot), { error: 'is not a regular file (a directory)' });
	});

	void it('reads naturally where the workspace reader composes it', async () => {
		const example = join(repoRoot, 'examples', 'basic');
		const denied = (path: string) => (path.endsWith('Cargo.lock') ? Promise.reject(nodeError('EIO', `EIO: i/o error, read '${path}'`)) : readFile(path, 'utf8'));
		const files = await readWorkspace(example, undefined, denied);
		assert.deepEqual(files.unreadable, [{ path: join(example, 'Cargo.lock'), kind: 'lockfile', reason: 'i/o error (EIO)' }]);
	});
});
