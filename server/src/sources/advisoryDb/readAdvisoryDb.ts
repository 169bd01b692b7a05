/**
 * Reads a RustSec advisory-db directory (the `crates/` collection, as cargo-audit does) into memory.
 * An entry that cannot be used (a file that fails to parse, a dangling link, a FIFO...) is logged with its path and
 * skipped; the rest load. Parsed results are cached in our cache dir keyed by a fingerprint of the directory, so a
 * warm start skips parsing; a damaged cache is discarded, said so in the log, and rebuilt.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Advisory } from '../../engine/advisory/types';
import type { Logger } from '../log';
import { readAdvisoryCache, writeAdvisoryCache } from './advisoryCache';
import { readGitHead } from './gitHead';
import { parseAdvisory } from './parseAdvisory';
import { type ReadResult, readRegularFile } from '../readRegularFile';
import { type AdvisoryFile, type AdvisoryScan, scanAdvisoryFiles } from './scanAdvisoryFiles';

export interface AdvisoryDbContents {
	advisories: Advisory[];
	/** Entries that were skipped (failed to parse, or could not be read as a regular file), with the reason. */
	errors: { file: string; error: string }[];
	/** The commit the directory is at, when it is a git checkout. */
	commit: string | undefined;
}

/** Files read at once: enough to keep the disk busy, few enough to stay far from the open-file limit. */
const readConcurrency = 32;

export async function readAdvisoryDb(dir: string, cacheDir: string | undefined, log: Logger): Promise<AdvisoryDbContents> {
	const head = await readGitHead(dir);
	const scan = head ? undefined : await scanAdvisoryFiles(dir);
	const fingerprint = head ? `git:${head}` : `files:${fingerprintScan(scan!)}`;
	const cachePath = cacheDir ? join(cacheDir, 'advisory-index', `${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.json`) : undefined;
	if (cachePath) {
		const cached = await readAdvisoryCache(cachePath, fingerprint);
		if (cached.status === 'hit') return cached.contents;
		if (cached.status === 'damaged') log.warn(`Discarded the advisory cache ${cachePath} (${cached.reason}); re-reading ${dir}`);
	}
	const contents = await parseDirectory(dir, scan ?? (await scanAdvisoryFiles(dir)), head, log);
	if (cachePath) {
		await writeAdvisoryCache(cachePath, fingerprint, contents).catch((error: Error) => log.warn(`Could not write the advisory cache ${cachePath}: ${error.message}`));
	}
	return contents;
}

/**
 * Without git, a directory is identified by the names, sizes and modification times of its advisory files,
 * and by the entries skipped while listing them (so fixing a broken link is noticed).
 */
function fingerprintScan(scan: AdvisoryScan): string {
	const hash = createHash('sha256');
	for (const file of scan.files) hash.update(`${file.file}\0${file.size}\0${file.mtimeMs}\n`);
	for (const entry of scan.skipped) hash.update(`${entry.file}\0skipped\0${entry.error}\n`);
	return hash.digest('hex');
}

async function parseDirectory(dir: string, scan: AdvisoryScan, commit: string | undefined, log: Logger): Promise<AdvisoryDbContents> {
	const advisories: Advisory[] = [];
	const errors = [...scan.skipped];
	const texts = await readAll(scan.files);
	scan.files.forEach((file, i) => {
		const read = texts[i]!;
		const parsed = 'text' in read ? parseAdvisory(read.text, file.file) : read;
		if ('advisory' in parsed) advisories.push(parsed.advisory);
		else errors.push({ file: file.file, error: parsed.error });
	});
	errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
	for (const error of errors) log.warn(`Skipped advisory ${join(dir, error.file)}: ${error.error}`);
	return { advisories, errors, commit };
}

async function readAll(files: AdvisoryFile[]): Promise<ReadResult[]> {
	const results: ReadResult[] = [];
	for (let start = 0; start < files.length; start += readConcurrency) {
		results.push(...(await Promise.all(files.slice(start, start + readConcurrency).map((file) => readRegularFile(file.path)))));
	}
	return results;
}
