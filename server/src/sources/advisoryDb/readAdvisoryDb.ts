/**
 * Reads a RustSec advisory-db directory (the `crates/` collection, as cargo-audit does) into memory.
 * A file that fails to parse is logged with its path and skipped; the rest load.
 * Parsed results are cached in our cache dir keyed by a fingerprint of the directory, so a warm start skips parsing.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Advisory } from '../../engine/advisory/types';
import type { Logger } from '../log';
import { readRegularFile } from '../readRegularFile';
import { parseAdvisory } from './parseAdvisory';
import { readGitHead } from './gitHead';

export interface AdvisoryDbContents {
	advisories: Advisory[];
	/** Files that failed to parse, with the reason. */
	errors: { file: string; error: string }[];
	/** The commit the directory is at, when it is a git checkout. */
	commit: string | undefined;
}

/** Bump when the cached shape or the parser's output changes, so old caches are not trusted. */
const cacheFormat = 1;

export async function readAdvisoryDb(dir: string, cacheDir: string | undefined, log: Logger): Promise<AdvisoryDbContents> {
	const head = await readGitHead(dir);
	const files = head ? undefined : await listAdvisoryFiles(dir);
	const fingerprint = head ? `git:${head}` : `files:${await fingerprintFiles(dir, files ?? [])}`;
	const cachePath = cacheDir ? join(cacheDir, 'advisory-index', `${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.json`) : undefined;
	if (cachePath) {
		const cached = await readCache(cachePath, fingerprint);
		if (cached) return cached;
	}
	const contents = await parseDirectory(dir, files ?? (await listAdvisoryFiles(dir)), head, log);
	if (cachePath) await writeCache(cachePath, fingerprint, contents, log);
	return contents;
}

async function listAdvisoryFiles(dir: string): Promise<string[]> {
	const crates = join(dir, 'crates');
	const files: string[] = [];
	for (const crate of await readdir(crates)) {
		let names: string[];
		try {
			names = await readdir(join(crates, crate));
		} catch {
			continue; // A stray file in crates/ rather than a directory.
		}
		for (const name of names) if (name.endsWith('.md')) files.push(`crates/${crate}/${name}`);
	}
	return files.sort();
}

/** Without git, a directory is identified by the names, sizes and modification times of its advisory files. */
async function fingerprintFiles(dir: string, files: string[]): Promise<string> {
	const hash = createHash('sha256');
	const stats = await Promise.all(files.map((file) => stat(join(dir, file))));
	files.forEach((file, i) => hash.update(`${file}\0${stats[i]!.size}\0${stats[i]!.mtimeMs}\n`));
	return hash.digest('hex');
}

async function parseDirectory(dir: string, files: string[], commit: string | undefined, log: Logger): Promise<AdvisoryDbContents> {
	const advisories: Advisory[] = [];
	const errors: { file: string; error: string }[] = [];
	const texts = await Promise.all(files.map((file) => readRegularFile(join(dir, file)).catch((error: Error) => error)));
	files.forEach((file, i) => {
		const text = texts[i]!;
		const parsed = typeof text === 'string' ? parseAdvisory(text, file) : { error: text.message };
		if ('advisory' in parsed) {
			advisories.push(parsed.advisory);
		} else {
			errors.push({ file, error: parsed.error });
			log.warn(`Skipped advisory ${join(dir, file)}: ${parsed.error}`);
		}
	});
	return { advisories, errors, commit };
}

async function readCache(path: string, fingerprint: string): Promise<AdvisoryDbContents | undefined> {
	try {
		const cached = JSON.parse(await readFile(path, 'utf8')) as { format: number; fingerprint: string; contents: AdvisoryDbContents };
		return cached.format === cacheFormat && cached.fingerprint === fingerprint ? cached.contents : undefined;
	} catch {
		return undefined;
	}
}

async function writeCache(path: string, fingerprint: string, contents: AdvisoryDbContents, log: Logger): Promise<void> {
	try {
		await mkdir(join(path, '..'), { recursive: true });
		// Write then rename, so a concurrent reader (the CLI beside the editor) never sees half a file.
		const temp = `${path}.${process.pid}.tmp`;
		await writeFile(temp, JSON.stringify({ format: cacheFormat, fingerprint, contents }));
		await rename(temp, path);
	} catch (error) {
		log.warn(`Could not write the advisory cache ${path}: ${(error as Error).message}`);
	}
}
