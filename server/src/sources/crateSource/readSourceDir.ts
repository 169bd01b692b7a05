/**
 * Reads a package's source directory on disk (a registry's extracted source, a vendored copy, a git checkout,
 * a path dependency) into memory with the same limits as a `.crate` archive: entry count, total bytes read,
 * single file size. Reads only what counting needs (`.rs` files and the root `Cargo.toml`), never follows a
 * symbolic link out of the package, never opens anything but regular files, never writes. Errors are values.
 */
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type CrateArchive, type CrateArchiveLimits, defaultCrateArchiveLimits, type FileAnomaly, type PackageFile } from './readCrateArchive';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface SourceDirOptions {
	limits?: Partial<CrateArchiveLimits>;
	/**
	 * A working tree (a git checkout, a path package) rather than a published package: leave out what
	 * `cargo package` would, subdirectories holding their own Cargo.toml (other packages of the repository or
	 * workspace), hidden folders (`.git`) and the root's `target/`. A published package is read as it is.
	 */
	workingTree: boolean;
}

/** Reading pauses for the event loop after about this much, so a huge package does not hold it for long. */
const PAUSE_BYTES = 1024 * 1024;

/** The same folders packageUnsafe.ts leaves out of the count; not reading them only saves time. */
const NOT_COUNTED = new Set(['tests', 'benches', 'examples']);

interface Budget {
	entries: number;
	bytes: number;
	/** Bytes read since the last pause. */
	sincePause: number;
}

export async function readSourceDir(dir: string, options: SourceDirOptions): Promise<CrateArchive> {
	const limits = { ...defaultCrateArchiveLimits, ...options.limits };
	let root: string;
	try {
		root = realpathSync(dir);
	} catch (error) {
		return { error: `cannot read ${dir}: ${(error as Error).message}` };
	}
	const files: PackageFile[] = [];
	const anomalies: FileAnomaly[] = [];
	const budget: Budget = { entries: 0, bytes: 0, sincePause: 0 };
	// Real paths of directories already walked, so a link back to a parent cannot loop.
	const visited = new Set<string>([root]);
	const pending: { real: string; path: string }[] = [{ real: root, path: '' }];
	for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
		const entries = listDir(next.real, next.path, anomalies);
		if (next.path !== '' && options.workingTree && entries.some((entry) => entry.name === 'Cargo.toml')) continue;
		for (const entry of entries) {
			if (++budget.entries > limits.maxEntries) return { error: `more than ${limits.maxEntries} entries` };
			const path = next.path === '' ? entry.name : `${next.path}/${entry.name}`;
			let real = join(next.real, entry.name);
			let isDirectory = entry.isDirectory();
			let isFile = entry.isFile();
			if (entry.isSymbolicLink()) {
				const target = followInside(root, real);
				if ('outside' in target) {
					if (target.matters || wanted(path)) anomalies.push({ path, reason: target.outside });
					continue;
				}
				({ real, isDirectory, isFile } = target);
			}
			if (isDirectory) {
				if (skippedDir(next.path, entry.name, options.workingTree) || visited.has(real)) continue;
				visited.add(real);
				pending.push({ real, path });
			} else if (isFile && wanted(path)) {
				const read = readWithin(real, path, limits, budget, anomalies);
				if (typeof read === 'string') return { error: read };
				if (read) files.push(read);
				if (budget.sincePause >= PAUSE_BYTES) {
					budget.sincePause = 0;
					await yieldToEventLoop();
				}
			}
		}
	}
	return { files, anomalies };
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

function skippedDir(parent: string, name: string, workingTree: boolean): boolean {
	if (parent === '' && NOT_COUNTED.has(name)) return true;
	return workingTree && (name.startsWith('.') || (parent === '' && name === 'target'));
}

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
	let isDirectory = false;
	let isFile = false;
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

/** The file, or undefined when it is skipped (reported), or a string when a limit for the whole package is passed. */
function readWithin(real: string, path: string, limits: CrateArchiveLimits, budget: Budget, anomalies: FileAnomaly[]): PackageFile | undefined | string {
	try {
		const size = statSync(real).size;
		if (size > limits.maxEntryBytes) {
			anomalies.push({ path, reason: `larger than ${limits.maxEntryBytes} bytes` });
			return undefined;
		}
		const bytes = readFileSync(real);
		budget.bytes += bytes.length;
		budget.sincePause += bytes.length;
		if (budget.bytes > limits.maxUncompressedBytes) return `files larger than ${limits.maxUncompressedBytes} bytes in total`;
		return { path, bytes };
	} catch (error) {
		anomalies.push({ path, reason: `cannot read: ${(error as Error).message}` });
		return undefined;
	}
}
