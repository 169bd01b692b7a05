/**
 * A small JSON-file cache under cargo-trust's cache directory. Writes are atomic (temporary file, then rename)
 * so a crash or a second editor window never leaves half a file; an unreadable entry reads as absent.
 * An entry that is not JSON or fails the caller's shape check is damaged: it is removed (so the caller fetches it
 * again and overwrites it) and the log says so. It never throws: a cache that cannot be written only costs speed.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Logger, silentLogger } from '../log';

export class DiskCache {
	private sequence = 0;

	constructor(
		readonly root: string,
		private readonly log: Logger = silentLogger,
	) {}

	async read<T>(relativePath: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
		const path = join(this.root, relativePath);
		let text: string;
		try {
			text = await readFile(path, 'utf8');
		} catch {
			return undefined; // Absent, or unreadable: either way there is nothing to use.
		}
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			return this.discard(path, 'it is not JSON');
		}
		return isValid(value) ? value : this.discard(path, 'it has the wrong shape');
	}

	private async discard(path: string, reason: string): Promise<undefined> {
		this.log.warn(`Discarded the cache entry ${path} (${reason}); fetching it again`);
		await rm(path, { force: true }).catch(() => undefined);
		return undefined;
	}

	async write(relativePath: string, value: unknown): Promise<void> {
		const path = join(this.root, relativePath);
		const temporary = `${path}.${process.pid}.${this.sequence++}.tmp`;
		try {
			await mkdir(dirname(path), { recursive: true });
			await writeFile(temporary, JSON.stringify(value));
			await rename(temporary, path);
		} catch {
			await rm(temporary, { force: true }).catch(() => undefined);
		}
	}

	async remove(relativePath: string): Promise<void> {
		await rm(join(this.root, relativePath), { force: true }).catch(() => undefined);
	}
}

/**
 * A directory name for a URL's host, port and path (`index.crates.io`, `127.0.0.1_8080/index`): readable,
 * portable (no `:`), and unable to escape the cache root.
 */
export function urlCacheKey(url: string): string {
	const parsed = new URL(url);
	const host = `${parsed.hostname.replace(/[^A-Za-z0-9.-]/g, '_')}${parsed.port ? `_${parsed.port}` : ''}`;
	const segments = parsed.pathname
		.split('/')
		.filter((segment) => segment && segment !== '.' && segment !== '..')
		.map((segment) => segment.replace(/[^A-Za-z0-9._-]/g, '_'));
	return [host, ...segments].join('/');
}
