/**
 * The parsed-advisory cache: one file per database directory under `<cacheDir>/advisory-index/`.
 * A header line (format, the directory's fingerprint, the SHA-256 of the rest) and then the parsed contents as JSON.
 * A cache is trusted only when the checksum matches and every entry has the shape the engine relies on:
 * a truncated, edited or corrupted file must never stand in for the database (it could hide every advisory)
 * nor reach the engine malformed. Anything else is reported as damaged, and the caller rebuilds from the source.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Advisory } from '../../engine/advisory/types';
import { readRegularFile } from '../readRegularFile';
import type { AdvisoryDbContents } from './readAdvisoryDb';

/** Bump when the cached shape or the parser's output changes, so old caches are not trusted. */
const cacheFormat = 2;

export type CacheRead = { status: 'hit'; contents: AdvisoryDbContents } | { status: 'miss' } | { status: 'damaged'; reason: string };

export async function readAdvisoryCache(path: string, fingerprint: string): Promise<CacheRead> {
	const read = await readRegularFile(path);
	if ('error' in read) return read.absent ? { status: 'miss' } : { status: 'damaged', reason: `cannot read it: ${read.error}` };
	const newline = read.text.indexOf('\n');
	let header: unknown;
	try {
		header = JSON.parse(newline === -1 ? read.text : read.text.slice(0, newline));
	} catch {
		return { status: 'damaged', reason: 'the header is not JSON' };
	}
	// Another format (an older version's cache) or another state of the directory: stale, not damaged.
	if (!isRecord(header) || header.format !== cacheFormat || header.fingerprint !== fingerprint) return { status: 'miss' };
	const body = read.text.slice(newline + 1);
	if (newline === -1 || header.sha256 !== sha256(body)) return { status: 'damaged', reason: 'the contents do not match their checksum' };
	let contents: unknown;
	try {
		contents = JSON.parse(body);
	} catch {
		return { status: 'damaged', reason: 'the contents are not JSON' };
	}
	const problem = contentsProblem(contents);
	return problem ? { status: 'damaged', reason: problem } : { status: 'hit', contents: contents as AdvisoryDbContents };
}

/** Writes then renames, so a concurrent reader (the CLI beside the editor) never sees half a file. Throws on failure. */
export async function writeAdvisoryCache(path: string, fingerprint: string, contents: AdvisoryDbContents): Promise<void> {
	const body = JSON.stringify(contents);
	const temporary = `${path}.${process.pid}.tmp`;
	await mkdir(dirname(path), { recursive: true });
	try {
		await writeFile(temporary, `${JSON.stringify({ format: cacheFormat, fingerprint, sha256: sha256(body) })}\n${body}`);
		await rename(temporary, path);
	} finally {
		await rm(temporary, { force: true });
	}
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** What is wrong with the cached contents, or undefined when every field has the type `AdvisoryDbContents` says. */
function contentsProblem(value: unknown): string | undefined {
	if (!isRecord(value) || !Array.isArray(value.advisories) || !Array.isArray(value.errors)) return 'the contents have the wrong shape';
	if (value.commit !== undefined && typeof value.commit !== 'string') return 'the commit has the wrong shape';
	const badError = value.errors.findIndex((error) => !isRecord(error) || typeof error.file !== 'string' || typeof error.error !== 'string');
	if (badError !== -1) return `skipped entry ${badError} has the wrong shape`;
	const badAdvisory = value.advisories.findIndex((advisory) => !isAdvisory(advisory));
	if (badAdvisory !== -1) return `advisory ${badAdvisory} has the wrong shape`;
	return undefined;
}

const kinds: ReadonlySet<unknown> = new Set<Advisory['kind']>(['vulnerability', 'unsound', 'unmaintained', 'notice']);
const stringKeys = ['id', 'package', 'title', 'description', 'date', 'file'] as const;
const optionalStringKeys = ['url', 'cvss', 'informational', 'withdrawn', 'source'] as const;
const stringArrayKeys = ['aliases', 'related', 'categories', 'patched', 'unaffected', 'affectedOs', 'affectedArch'] as const;

function isAdvisory(value: unknown): value is Advisory {
	if (!isRecord(value) || !kinds.has(value.kind)) return false;
	if (!stringKeys.every((key) => typeof value[key] === 'string')) return false;
	if (!optionalStringKeys.every((key) => value[key] === undefined || typeof value[key] === 'string')) return false;
	if (!stringArrayKeys.every((key) => isStringArray(value[key]))) return false;
	const { affected, affectedFunctions } = value;
	if (!Array.isArray(affected) || !affected.every((range) => isRecord(range) && typeof range.introduced === 'string' && (range.fixed === undefined || typeof range.fixed === 'string'))) return false;
	return isRecord(affectedFunctions) && Object.values(affectedFunctions).every(isStringArray);
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
