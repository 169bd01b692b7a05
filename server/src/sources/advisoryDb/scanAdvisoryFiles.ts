/**
 * Lists the advisory files of a database (`crates/<crate>/*.md`, as cargo-audit reads them) without reading them.
 * Every entry is `lstat`ed first: a symbolic link is followed only when it resolves inside the database, and only
 * regular files are kept. Anything else (a dangling link, a loop, a link out of the database, a FIFO, a device)
 * is one skipped entry with its reason, like a file that fails to parse; the rest of the database still loads.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fsErrorReason } from '../fsErrors';
import { fileKind } from '../readRegularFile';

export interface AdvisoryFile {
	/** Relative to the database root, with `/`: what advisories and messages name. */
	file: string;
	/** Where to read it: the entry itself, or the target of its symbolic link. */
	path: string;
	size: number;
	mtimeMs: number;
}

export interface SkippedEntry {
	file: string;
	error: string;
}

export interface AdvisoryScan {
	files: AdvisoryFile[];
	skipped: SkippedEntry[];
}

/** Throws only when `crates/` itself cannot be listed: then there is no database to speak of. */
export async function scanAdvisoryFiles(dir: string): Promise<AdvisoryScan> {
	const root = await realpath(dir);
	const crates = join(root, 'crates');
	const entries = (await readdir(crates, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const perCrate = await Promise.all(entries.map((entry) => scanCrate(root, entry, join(crates, entry.name), `crates/${entry.name}`)));
	return { files: perCrate.flatMap((scan) => scan.files), skipped: perCrate.flatMap((scan) => scan.skipped) };
}

async function scanCrate(root: string, dirent: Dirent, path: string, file: string): Promise<AdvisoryScan> {
	// The directory entry's type is what lstat would say; asking lstat for each of ~600 crates would double the
	// warm start's file-system calls. A link, or a type the file system does not report, goes through lstat.
	let directory = path;
	if (!dirent.isDirectory()) {
		if (dirent.isFile() || dirent.isFIFO() || dirent.isSocket() || dirent.isCharacterDevice() || dirent.isBlockDevice()) return { files: [], skipped: [] };
		const entry = await resolveEntry(root, path);
		if ('error' in entry) return { files: [], skipped: [{ file, error: entry.error }] };
		// A stray file beside the crate directories is not an advisory, as in cargo-audit.
		if (!entry.stats.isDirectory()) return { files: [], skipped: [] };
		directory = entry.path;
	}
	let names: string[];
	try {
		names = (await readdir(directory)).filter((name) => name.endsWith('.md')).sort();
	} catch (error) {
		return { files: [], skipped: [{ file, error: `cannot list the directory: ${fsErrorReason(error)}` }] };
	}
	const scan: AdvisoryScan = { files: [], skipped: [] };
	const resolved = await Promise.all(names.map((name) => resolveEntry(root, join(directory, name))));
	names.forEach((name, i) => {
		const result = resolved[i]!;
		const advisoryFile = `${file}/${name}`;
		if ('error' in result) scan.skipped.push({ file: advisoryFile, error: result.error });
		else if (!result.stats.isFile()) scan.skipped.push({ file: advisoryFile, error: `is not a regular file (${fileKind(result.stats)})` });
		else scan.files.push({ file: advisoryFile, path: result.path, size: result.stats.size, mtimeMs: result.stats.mtimeMs });
	});
	return scan;
}

/** The entry itself, or where its symbolic link leads when that is inside `root` (which is already a real path). */
async function resolveEntry(root: string, path: string): Promise<{ path: string; stats: Stats } | { error: string }> {
	try {
		const stats = await lstat(path);
		if (!stats.isSymbolicLink()) return { path, stats };
	} catch (error) {
		return { error: fsErrorReason(error) };
	}
	let target: string;
	try {
		target = await realpath(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return { error: code === 'ENOENT' ? 'is a dangling symbolic link' : fsErrorReason(error) };
	}
	const inside = relative(root, target);
	if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { error: `is a symbolic link to ${target}, outside the database` };
	try {
		return { path: target, stats: await stat(target) };
	} catch (error) {
		return { error: fsErrorReason(error) };
	}
}
