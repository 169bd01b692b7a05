/**
 * Where the unsafe facts of a package are remembered, and for how long. A registry package is pinned by its
 * checksum and a git package by its commit, so their facts never change and are kept on disk forever, one JSON
 * file each under `<cacheDir>/unsafe/v<COUNTER_VERSION>/`. A path package is the user's own tree, edited while
 * we look, and a registry package without a checksum is pinned by nothing: both are kept in memory only.
 * Writes only under the cache directory; an unreadable entry reads as absent; never throws.
 */
import { join } from 'node:path';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { UnsafeFacts } from '../../engine/unsafe/types';
import { DiskCache } from '../cratesIndex/diskCache';

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

export function cacheKeyOf(pkg: LockedPackage): CacheKey {
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

	constructor(cacheDir: string) {
		this.disk = new DiskCache(join(cacheDir, 'unsafe', `v${COUNTER_VERSION}`));
	}

	read(file: string): Promise<CachedFacts | undefined> {
		return this.disk.read(file, isCachedFacts);
	}

	write(file: string, entry: CachedFacts): Promise<void> {
		return this.disk.write(file, entry);
	}
}

/** Only characters that are safe in a file name on every system; the key's own characters are already close. */
function fileName(key: string): string {
	return `${key.replace(/[^A-Za-z0-9._+@-]/g, '_')}.json`;
}

function isCachedFacts(value: unknown): value is CachedFacts {
	const entry = value as Partial<CachedFacts> | null;
	const facts = entry?.facts as Partial<UnsafeFacts> | undefined;
	if (typeof entry?.countedAt !== 'string' || facts === undefined || facts === null) return false;
	const counts = facts.counts as unknown as Record<string, unknown> | undefined;
	const capabilities = facts.capabilities;
	return (
		counts !== undefined &&
		['blocks', 'functions', 'impls', 'traits', 'externBlocks', 'attributes'].every((key) => typeof counts[key] === 'number') &&
		typeof facts.files === 'number' &&
		typeof facts.forbidsUnsafe === 'boolean' &&
		typeof facts.origin === 'string' &&
		Array.isArray(facts.anomalies) &&
		facts.anomalies.every((anomaly) => typeof anomaly?.path === 'string' && typeof anomaly.reason === 'string') &&
		typeof capabilities?.buildScript === 'boolean' &&
		typeof capabilities.procMacro === 'boolean' &&
		(capabilities.links === null || typeof capabilities.links === 'string')
	);
}
