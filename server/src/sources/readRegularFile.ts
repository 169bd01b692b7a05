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

// O_NONBLOCK and O_NOFOLLOW are absent on Windows, where neither FIFOs nor this race exist in the same form.
const nonBlocking = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Inside the advisory database a link is followed only after checking it stays inside, so the last component never is. */
const flags = nonBlocking | (constants.O_NOFOLLOW ?? 0);

export type ReadResult = { text: string } | { error: string };

export async function readRegularFile(path: string): Promise<ReadResult> {
	let handle;
	try {
		handle = await open(path, flags);
	} catch (error) {
		return { error: describeFsError(error) };
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) return { error: `is not a regular file (${fileKind(stats)})` };
		return { text: await handle.readFile('utf8') };
	} catch (error) {
		return { error: describeFsError(error) };
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

/** A short reason from a Node file-system error: its code's meaning, not a stack or a full path. */
export function describeFsError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'ENOENT':
			return 'does not exist';
		case 'EACCES':
		case 'EPERM':
			return 'cannot be read: permission denied';
		case 'ELOOP':
			return 'is a symbolic link loop';
		case 'ENOTDIR':
			return 'is not inside a directory';
		default:
			return `cannot be read: ${code ?? (error as Error).message}`;
	}
}
