/**
 * Reads a file that must be a regular file, without ever blocking on one that is not.
 * Opening a FIFO for reading blocks until a writer appears, and reading it blocks until data arrives; either
 * holds a libuv thread that even `process.exit` then waits for, so the language server could not end on `exit`.
 * O_NONBLOCK makes the open return at once (it has no effect on regular files), and fstat refuses anything else.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Windows has no O_NONBLOCK (and no FIFOs in the file system). */
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export async function readRegularFile(path: string): Promise<string> {
	const handle = await open(path, openFlags);
	try {
		const info = await handle.stat();
		if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
		if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR' });
		return await handle.readFile('utf8');
	} finally {
		await handle.close();
	}
}
