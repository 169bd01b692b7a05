/**
 * The one wording for file-system errors. A reason is what follows "cannot read <path>: " (the CLI's line, the
 * `lockfile-unreadable` diagnostic, a skipped advisory, a note on the audit store), in the words of the C library's
 * messages: short, lower-case, without Node's syscall name or the full path (the caller names the file).
 */

/** Why a file or directory could not be read. */
export function fsErrorReason(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'ENOENT':
			return 'no such file';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EISDIR':
			return 'is a directory';
		case 'ELOOP':
			return 'is a symbolic link loop';
		case 'ENOTDIR':
			return 'part of the path is not a directory';
		case 'ENOTREGULAR':
			// Raised by readRegularBytes with the kind of file in its message ("is not a regular file (a FIFO)").
			return (error as Error).message;
	}
	const message = error instanceof Error ? error.message : String(error);
	// Node's "EIO: i/o error, read '/the/path'": the meaning and the code, not the syscall or the path.
	const meaning = code ? new RegExp(`^${code}: ([^,]+)`).exec(message)?.[1] : undefined;
	return meaning ? `${meaning} (${code})` : message;
}

/** A path that is not there (or cannot be, under a file): absent, as opposed to there but unreadable. */
export function isAbsentError(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
