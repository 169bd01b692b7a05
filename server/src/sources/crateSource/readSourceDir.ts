/**
 * Reads a package's source directory on disk (a registry's extracted source, a vendored copy, a git checkout,
 * a path dependency) into memory with the same limits as a `.crate` archive: entry count, total bytes read,
 * single file size. Reads only what counting needs (`.rs` files and the root `Cargo.toml`; with `digestAll`, the
 * blob id of every file too), never follows a
 * symbolic link out of the package, never opens anything but regular files, never writes. Errors are values.
 */
import { closeSync, type Dirent, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type ByteLease, sharedByteBudget } from './byteBudget';
import { blobId, BlobHasher } from './blobId';
import { type CrateArchive, type CrateArchiveLimits, defaultCrateArchiveLimits, type FileAnomaly, type FileDigest, type PackageFile } from './readCrateArchive';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface SourceDirOptions {
	limits?: Partial<CrateArchiveLimits>;
	/**
	 * A working tree (a git checkout, a path package) rather than a published package: leave out what
	 * `cargo package` would, subdirectories holding their own Cargo.toml (other packages of the repository or
	 * workspace), hidden folders (`.git`) and the root's `target/`. A published package is read as it is.
	 */
	workingTree: boolean;
	/** Holds the bytes read until the caller releases it (after counting); without one, only while reading. */
	lease?: ByteLease;
	signal?: AbortSignal;
	/**
	 * Provenance wants every file: walk the folders counting skips too, give every regular file's blob id in
	 * `digests` (files counting does not need are hashed chunk by chunk, not kept), keep `.cargo_vcs_info.json`,
	 * and name the package's own symbolic links in `linked`.
	 */
	digestAll?: boolean;
	/** Also keep these files' bytes (the provenance diff view shows one file). */
	keepFile?: string;
}

/** Reading pauses for the event loop after about this much, so a huge package does not hold it for long. */
const PAUSE_BYTES = 1024 * 1024;

/** The same folders packageUnsafe.ts leaves out of the count; not reading them only saves time. */
const NOT_COUNTED = new Set(['tests', 'benches', 'examples']);

/** A file to read, found by the walk. */
interface Wanted {
	real: string;
	path: string;
	size: number;
	/** Read into memory (counting needs it); otherwise only digested. */
	keep: boolean;
	/** Reached through a symbolic link of the package: read for counting, never digested. */
	viaLink: boolean;
}

/**
 * Walks first and reads after: the walk's sizes say how much the package will hold, which is reserved from the
 * memory budget whole before a byte is read (byteBudget.ts explains why whole).
 */
export async function readSourceDir(dir: string, options: SourceDirOptions): Promise<CrateArchive> {
	const limits = { ...defaultCrateArchiveLimits, ...options.limits };
	let root: string;
	try {
		root = realpathSync(dir);
	} catch (error) {
		return { error: `cannot read ${dir}: ${(error as Error).message}` };
	}
	const anomalies: FileAnomaly[] = [];
	const digestAll = options.digestAll === true;
	const linked: string[] = [];
	const walked = walk(root, { workingTree: options.workingTree, digestAll: digestAll || options.keepFile !== undefined, linked }, limits, anomalies);
	if ('error' in walked) return walked;
	for (const file of walked) if (file.path === options.keepFile) file.keep = true;
	const total = walked.reduce((sum, file) => sum + (file.keep ? file.size : 0), 0);
	if (total > limits.maxUncompressedBytes) return { error: `files larger than ${limits.maxUncompressedBytes} bytes in total` };
	const lease = options.lease ?? sharedByteBudget.lease();
	try {
		const granted = await lease.reserve(total, options.signal);
		if (granted === undefined) return { error: 'cancelled' };
		if (granted < total) return { error: `files larger than ${granted} bytes in total` };
		const files: PackageFile[] = [];
		const digests: FileDigest[] = [];
		let held = 0;
		let sincePause = 0;
		for (const file of walked) {
			if (!file.keep) {
				const digest = digestFile(file, anomalies);
				if (digest !== undefined) digests.push(digest);
				sincePause += file.size;
			} else {
				const bytes = readWithin(file, granted - held, anomalies);
				if (bytes === undefined) continue;
				files.push({ path: file.path, bytes });
				if (digestAll && !file.viaLink) digests.push({ path: file.path, size: bytes.length, blobId: blobId(bytes) });
				held += bytes.length;
				sincePause += bytes.length;
			}
			if (sincePause >= PAUSE_BYTES) {
				sincePause = 0;
				await yieldToEventLoop();
			}
		}
		lease.shrinkTo(held);
		return digestAll ? { files, anomalies, digests, linked } : { files, anomalies };
	} finally {
		if (options.lease === undefined) lease.release();
	}
}

/** The files worth reading, in a stable order, with their sizes; files over the entry limit are reported, not listed. */
function walk(
	root: string,
	{ workingTree, digestAll, linked }: { workingTree: boolean; digestAll: boolean; linked: string[] },
	limits: CrateArchiveLimits,
	anomalies: FileAnomaly[],
): Wanted[] | { error: string } {
	const found: Wanted[] = [];
	let entries = 0;
	// Real paths of directories already walked, so a link back to a parent cannot loop.
	const visited = new Set<string>([root]);
	const pending: { real: string; path: string; viaLink: boolean }[] = [{ real: root, path: '', viaLink: false }];
	for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
		const listed = listDir(next.real, next.path, anomalies);
		if (next.path !== '' && workingTree && listed.some((entry) => entry.name === 'Cargo.toml')) continue;
		for (const entry of listed) {
			if (++entries > limits.maxEntries) return { error: `more than ${limits.maxEntries} entries` };
			const path = next.path === '' ? entry.name : `${next.path}/${entry.name}`;
			let real = join(next.real, entry.name);
			let isDirectory = entry.isDirectory();
			let isFile = entry.isFile();
			let viaLink = next.viaLink;
			if (entry.isSymbolicLink()) {
				if (digestAll && !viaLink) linked.push(path);
				viaLink = true;
				const target = followInside(root, real);
				if ('outside' in target) {
					if (target.matters || wanted(path)) anomalies.push({ path, reason: target.outside });
					continue;
				}
				({ real, isDirectory, isFile } = target);
			}
			if (isDirectory) {
				if (skippedDir(next.path, entry.name, workingTree, digestAll) || visited.has(real)) continue;
				visited.add(real);
				pending.push({ real, path, viaLink });
			} else if (isFile && (wanted(path) || (digestAll && !viaLink))) {
				const size = sizeOf(real, path, anomalies);
				if (size === undefined) continue;
				if (size > limits.maxEntryBytes) anomalies.push({ path, reason: `larger than ${limits.maxEntryBytes} bytes` });
				else found.push({ real, path, size, keep: wanted(path) || (digestAll && path === VCS_INFO), viaLink });
			}
		}
	}
	return found;
}

/** Entries sorted by name, so files and anomalies come out in the same order on every file system. */
function listDir(real: string, path: string, anomalies: FileAnomaly[]): Dirent[] {
	try {
		return readdirSync(real, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	} catch (error) {
		anomalies.push({ path: path === '' ? '.' : path, reason: `cannot read directory: ${(error as Error).message}` });
		return [];
	}
}

function skippedDir(parent: string, name: string, workingTree: boolean, digestAll: boolean): boolean {
	if (parent === '' && NOT_COUNTED.has(name) && !digestAll) return true;
	return workingTree && (name.startsWith('.') || (parent === '' && name === 'target'));
}

/** Provenance reads it; the reader keeps it whole (it is a few hundred bytes; the entry limit bounds a hostile one). */
const VCS_INFO = '.cargo_vcs_info.json';

function wanted(path: string): boolean {
	return path.endsWith('.rs') || path === 'Cargo.toml';
}

/**
 * Where a symbolic link leads, when that is inside the package. `matters` says whether a link leaving it hid a
 * directory (which could hold source); a README pointing at the repository's is not worth an anomaly.
 */
function followInside(root: string, link: string): { real: string; isDirectory: boolean; isFile: boolean } | { outside: string; matters: boolean } {
	let real: string;
	try {
		real = realpathSync(link);
	} catch {
		return { outside: 'broken symbolic link', matters: false };
	}
	let isDirectory: boolean;
	let isFile: boolean;
	try {
		const stats = statSync(real);
		isDirectory = stats.isDirectory();
		isFile = stats.isFile();
	} catch {
		return { outside: 'symbolic link to something that cannot be read', matters: false };
	}
	const rel = relative(root, real);
	if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
		return { outside: 'symbolic link to outside the package; not followed', matters: isDirectory };
	}
	return { real, isDirectory, isFile };
}

function sizeOf(real: string, path: string, anomalies: FileAnomaly[]): number | undefined {
	try {
		return statSync(real).size;
	} catch (error) {
		anomalies.push({ path, reason: `cannot read: ${(error as Error).message}` });
		return undefined;
	}
}

/**
 * The file's bytes, read into a buffer of the size the walk saw, never more than `room`; undefined when it is
 * skipped and reported (unreadable, or grown past what was reserved for it since the walk).
 */
function readWithin(file: Wanted, room: number, anomalies: FileAnomaly[]): Uint8Array | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(file.real, 'r');
		const size = fstatSync(fd).size;
		if (size > room) {
			anomalies.push({ path: file.path, reason: `grew from ${file.size} to ${size} bytes while being read; skipped` });
			return undefined;
		}
		const bytes = new Uint8Array(size);
		let filled = 0;
		for (let read = -1; filled < size && read !== 0; filled += read) read = readSync(fd, bytes, filled, size - filled, null);
		return filled === size ? bytes : bytes.subarray(0, filled);
	} catch (error) {
		anomalies.push({ path: file.path, reason: `cannot read: ${(error as Error).message}` });
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/** The file's blob id, read in chunks that are not kept; undefined when it is skipped and reported. */
function digestFile(file: Wanted, anomalies: FileAnomaly[]): FileDigest | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(file.real, 'r');
		const size = fstatSync(fd).size;
		const hasher = new BlobHasher(size);
		const chunk = new Uint8Array(Math.min(size, 256 * 1024) || 1);
		let filled = 0;
		for (let read = -1; filled < size && read !== 0; filled += read) {
			read = readSync(fd, chunk, 0, Math.min(chunk.length, size - filled), null);
			hasher.update(chunk.subarray(0, read));
		}
		if (filled !== size) {
			anomalies.push({ path: file.path, reason: `shrank from ${size} to ${filled} bytes while being read; skipped` });
			return undefined;
		}
		return { path: file.path, size, blobId: hasher.digest() };
	} catch (error) {
		anomalies.push({ path: file.path, reason: `cannot read: ${(error as Error).message}` });
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
