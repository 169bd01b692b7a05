/**
 * Reads a file only if it is a regular file, without ever blocking on what it turns out to be.
 * A workspace, the advisory database and our cache are directories anyone may have put a FIFO or a device into;
 * opening a FIFO for reading waits for a writer forever, and holds a libuv thread that even `process.exit` then waits
 * for (so the language server could not end on `exit`). We open non-blocking (no effect on regular files) and check
 * the open handle (not the path, which could change in between) before reading.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fsErrorReason } from './fsErrors';

// O_NONBLOCK and O_NOFOLLOW are absent on Windows, where neither FIFOs nor this race exist in the same form.
const nonBlocking = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Inside the advisory database a link is followed only after checking it stays inside, so the last component never is. */
const flags = nonBlocking | (constants.O_NOFOLLOW ?? 0);

/** `absent`: the path is not there, which callers such as a cache tell from a file that is there but unreadable. */
export type ReadResult = { text: string } | { error: string; absent?: true };

export async function readRegularFile(path: string): Promise<ReadResult> {
	let handle;
	try {
		handle = await open(path, flags);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { error: fsErrorReason(error), absent: true } : { error: fsErrorReason(error) };
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) return { error: `is not a regular file (${fileKind(stats)})` };
		return { text: await handle.readFile('utf8') };
	} catch (error) {
		return { error: fsErrorReason(error) };
	} finally {
		await handle.close().catch(() => undefined);
	}
}

/**
 * A workspace file's bytes (links followed, as cargo does); throws Node's error for a missing file, EISDIR for a
 * directory and ENOTREGULAR for a FIFO, socket or device, so callers can tell "absent" from "cannot be read".
 */
export async function readRegularBytes(path: string): Promise<Buffer> {
	const handle = await open(path, nonBlocking);
	try {
		const stats = await handle.stat();
		if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
		if (!stats.isFile()) throw Object.assign(new Error(`is not a regular file (${fileKind(stats)})`), { code: 'ENOTREGULAR' });
		return await handle.readFile();
	} finally {
		await handle.close().catch(() => undefined);
	}
}

/** What a non-regular file is, for messages. */
export function fileKind(stats: Stats): string {
	if (stats.isDirectory()) return 'a directory';
	if (stats.isFIFO()) return 'a FIFO';
	if (stats.isSocket()) return 'a socket';
	if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
	if (stats.isSymbolicLink()) return 'a symbolic link';
	return stats.isFile() ? 'a regular file' : 'an unknown kind of file';
}
