/**
 * Where the unsafe facts of a package are remembered, and for how long. A registry package is pinned by its
 * checksum and a git package by its commit, so their facts never change and are kept on disk forever, one JSON
 * file each under `<cacheDir>/unsafe/v<COUNTER_VERSION>/`. A path package is the user's own tree, edited while
 * we look, and a registry package without a checksum is pinned by nothing: both are kept in memory only.
 * Writes only under the cache directory; never throws. Every file read is checked whole: one that is not what
 * this counter writes (damaged, truncated, edited) is deleted and its package counted again, and the log says so.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { UnsafeFacts } from '../../engine/unsafe/types';
import { DiskCache } from '../cratesIndex/diskCache';
import type { Logger } from '../log';
import { fsErrorReason } from '../fsErrors';

/**
 * Bump when the lexer, the counting rules or the capability rules change: cached facts are never recomputed,
 * so a new counter must not read an old counter's answers.
 */
export const COUNTER_VERSION = 1;

export interface CacheKey {
	/** Identifies the package's content within this process. */
	memory: string;
	/** The file name on disk; undefined when the content is not pinned and must not outlive the process. */
	disk: string | undefined;
}

export interface CachedFacts {
	facts: UnsafeFacts;
	/** ISO time the package was counted. */
	countedAt: string;
}

/** Keys by package object: the parse cache hands every analysis the same lockfile objects, and each analysis peeks at every package. */
const keys = new WeakMap<LockedPackage, CacheKey>();

export function cacheKeyOf(pkg: LockedPackage): CacheKey {
	let key = keys.get(pkg);
	if (!key) keys.set(pkg, (key = computeCacheKey(pkg)));
	return key;
}

function computeCacheKey(pkg: LockedPackage): CacheKey {
	const id = `${pkg.name}@${pkg.version}`;
	switch (pkg.source.kind) {
		case 'crates-io':
		case 'registry':
		case 'sparse':
			// Equal checksums are equal bytes, whichever registry served them.
			if (pkg.checksum !== undefined) return { memory: `${id}+${pkg.checksum.toLowerCase()}`, disk: fileName(`${id}+${pkg.checksum.toLowerCase()}`) };
			return { memory: `${id} ${pkg.source.raw}`, disk: undefined };
		case 'git':
			// A commit pins the whole tree; the name picks the package inside it.
			if (pkg.source.commit !== undefined) return { memory: `${id} git#${pkg.source.commit.toLowerCase()}`, disk: fileName(`git-${pkg.source.commit.toLowerCase()}-${id}`) };
			return { memory: `${id} ${pkg.source.raw}`, disk: undefined };
		case 'path':
			return { memory: `${id} path`, disk: undefined };
		case 'other':
			return { memory: `${id} ${pkg.source.raw}`, disk: undefined };
	}
}

export class UnsafeFactsCache {
	private readonly disk: DiskCache;

	constructor(
		cacheDir: string,
		private readonly log: Logger,
	) {
		this.disk = new DiskCache(join(cacheDir, 'unsafe', `v${COUNTER_VERSION}`));
	}

	/** The cached facts; undefined when there are none, or when the file was damaged (then it is gone). */
	async read(file: string): Promise<CachedFacts | undefined> {
		const path = join(this.disk.root, file);
		let text: string;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`unsafe: cannot read the cache file ${path}: ${fsErrorReason(error)}; counting again`);
			return undefined;
		}
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			return this.discard(path, file, `not JSON (${(error as Error).message})`);
		}
		const problem = cachedFactsProblem(value);
		return problem === undefined ? (value as CachedFacts) : this.discard(path, file, problem);
	}

	write(file: string, entry: CachedFacts): Promise<void> {
		return this.disk.write(file, entry);
	}

	private async discard(path: string, file: string, problem: string): Promise<undefined> {
		this.log.warn(`unsafe: the cache file ${path} is damaged (${problem}); discarded, counting again`);
		await this.disk.remove(file);
		return undefined;
	}
}

/** Only characters that are safe in a file name on every system; the key's own characters are already close. */
function fileName(key: string): string {
	return `${key.replace(/[^A-Za-z0-9._+@-]/g, '_')}.json`;
}

const COUNT_KEYS = ['blocks', 'functions', 'impls', 'traits', 'externBlocks', 'attributes'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
	return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** What is wrong with a cache file's value, or undefined when it has exactly the shape this counter writes. */
function cachedFactsProblem(value: unknown): string | undefined {
	if (!isRecord(value)) return 'not an object';
	if (typeof value.countedAt !== 'string' || Number.isNaN(Date.parse(value.countedAt))) return 'countedAt is not a time';
	const facts = value.facts;
	if (!isRecord(facts)) return 'facts is not an object';
	const counts = facts.counts;
	if (!isRecord(counts)) return 'facts.counts is not an object';
	for (const key of COUNT_KEYS) if (!isCount(counts[key])) return `facts.counts.${key} is not a count`;
	if (!isCount(facts.files)) return 'facts.files is not a count';
	if (typeof facts.forbidsUnsafe !== 'boolean') return 'facts.forbidsUnsafe is not a boolean';
	if (typeof facts.origin !== 'string') return 'facts.origin is not a string';
	if (!Array.isArray(facts.anomalies) || !facts.anomalies.every((anomaly) => isRecord(anomaly) && typeof anomaly.path === 'string' && typeof anomaly.reason === 'string')) {
		return 'facts.anomalies is not a list of {path, reason}';
	}
	const capabilities = facts.capabilities;
	if (!isRecord(capabilities) || typeof capabilities.buildScript !== 'boolean' || typeof capabilities.procMacro !== 'boolean' || !(capabilities.links === null || typeof capabilities.links === 'string')) {
		return 'facts.capabilities is not {buildScript, procMacro, links}';
	}
	return undefined;
}
