/**
 * Provenance verdicts on disk, one JSON file per (name, version, checksum) under
 * `<cacheDir>/provenance/verdicts/v<VERDICT_VERSION>/`: equal checksums are equal bytes and a commit never
 * changes, so a verdict holds forever. Only final verdicts are written (never `unreachable`, nor a git failure).
 * A file that is not exactly what we write is discarded (and logged) and the verdict computed again.
 */
import { join } from 'node:path';
import type { ProvenanceFacts, ProvenanceStatus } from '../../engine/provenance/types';
import { DiskCache } from '../cratesIndex/diskCache';
import type { Logger } from '../log';

/** Bump when the comparison rules change: cached verdicts are never recomputed. */
export const VERDICT_VERSION = 1;

export interface CachedVerdict {
	facts: ProvenanceFacts;
	/** ISO time of the comparison. */
	checkedAt: string;
}

const STATUSES: readonly ProvenanceStatus[] = ['verified', 'modified', 'dirty', 'no-vcs-info', 'no-repository', 'commit-not-found', 'unreachable', 'unsupported-repository', 'error'];

export class ProvenanceCache {
	private readonly disk: DiskCache;

	constructor(cacheDir: string, log: Logger) {
		this.disk = new DiskCache(join(cacheDir, 'provenance', 'verdicts', `v${VERDICT_VERSION}`), log);
	}

	read(file: string): Promise<CachedVerdict | undefined> {
		return this.disk.read(file, isCachedVerdict);
	}

	write(file: string, verdict: CachedVerdict): Promise<void> {
		return this.disk.write(file, verdict);
	}
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNullOr = (value: unknown, test: (value: unknown) => boolean): boolean => value === null || test(value);
const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every(isString);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCachedVerdict(value: unknown): value is CachedVerdict {
	if (!isRecord(value) || !isString(value.checkedAt) || Number.isNaN(Date.parse(value.checkedAt))) return false;
	const facts = value.facts;
	if (!isRecord(facts)) return false;
	return (
		STATUSES.includes(facts.status as ProvenanceStatus) &&
		facts.status !== 'unreachable' &&
		isNullOr(facts.repository, isString) &&
		isNullOr(facts.commit, (commit) => isString(commit) && /^[0-9a-f]{40}$/.test(commit)) &&
		isNullOr(facts.pathInVcs, isString) &&
		isNullOr(facts.dirty, (dirty) => typeof dirty === 'boolean') &&
		isNullOr(facts.modified, isStrings) &&
		isNullOr(facts.added, isStrings) &&
		isNullOr(facts.reason, isString) &&
		isStrings(facts.repositorySymlinks) &&
		Array.isArray(facts.skipped) &&
		facts.skipped.every((entry) => isRecord(entry) && isString(entry.path) && isString(entry.reason))
	);
}
