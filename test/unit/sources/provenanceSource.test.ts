/**
 * ProvenanceSource's memory of verdicts: final verdicts hold forever, but `commit-not-found` only for a day (in
 * memory and on disk), since a later push can bring the commit. The clock and the repository are injected.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import type { ProvenanceFacts } from '../../../server/src/engine/provenance/types';
import { blobId } from '../../../server/src/sources/crateSource/blobId';
import type { SourceFiles } from '../../../server/src/sources/crateSource/crateSourceTypes';
import type { CommitTrees, TreeListing } from '../../../server/src/sources/git/commitTrees';
import { type Logger, silentLogger } from '../../../server/src/sources/log';
import { COMMIT_NOT_FOUND_TTL_MS, ProvenanceSource } from '../../../server/src/sources/provenance/provenanceSource';
import { tempDir } from '../../support/tempWorkspace';

const SHA = 'ab'.repeat(20);
const LIB = 'pub fn f() {}\n';
const encoder = new TextEncoder();
const silent: Logger = silentLogger;

const pkg: LockedPackage = {
	index: 0,
	name: 'demo',
	version: '1.0.0',
	source: { kind: 'crates-io', raw: 'registry+https://github.com/rust-lang/crates.io-index' },
	checksum: 'c'.repeat(64),
	dependencies: [],
	headerRange: { start: 0, end: 1 },
	nameRange: { start: 0, end: 1 },
	range: { start: 0, end: 1 },
};

function source(): SourceFiles {
	const file = (path: string, text: string): { path: string; bytes: Uint8Array } => ({ path, bytes: encoder.encode(text) });
	return {
		files: [file('Cargo.toml', '[package]\nname = "demo"\nversion = "1.0.0"\nrepository = "https://github.com/o/demo"\n'), file('.cargo_vcs_info.json', JSON.stringify({ git: { sha1: SHA } })), file('src/lib.rs', LIB)],
		anomalies: [],
		origin: 'test',
	};
}

/** A repository that does not have the commit until `pushed` is set. */
function repository(): { trees: Pick<CommitTrees, 'list'>; calls: number; pushed: boolean } {
	const state = {
		calls: 0,
		pushed: false,
		trees: {
			list: async (): Promise<TreeListing> => {
				state.calls++;
				if (!state.pushed) return { status: 'commit-not-found', reason: 'no such commit' };
				return { status: 'found', entries: new Map([['src/lib.rs', { mode: '100644', type: 'blob', id: blobId(encoder.encode(LIB)) }]]) };
			},
		},
	};
	return state;
}

function sourceWith(cacheDir: string, trees: Pick<CommitTrees, 'list'>, clock: { now: number }): ProvenanceSource {
	return new ProvenanceSource({ cargoHome: '/nonexistent', cacheDir, registries: undefined as never, http: undefined as never, trees: trees as CommitTrees, now: () => new Date(clock.now), log: silent });
}

const statusOf = (s: ProvenanceSource): string | undefined => {
	const fact = s.peek(pkg);
	return fact?.status === 'known' ? (fact.value as ProvenanceFacts).status : fact?.status;
};

describe('ProvenanceSource: commit-not-found is kept a day', () => {
	it('is not asked again within the day, and is checked again after it (in memory)', async () => {
		const repo = repository();
		const clock = { now: Date.parse('2026-12-01T00:00:00Z') };
		const provenance = sourceWith(tempDir(), repo.trees, clock);
		const signal = new AbortController().signal;
		provenance.offer(pkg, source());
		await provenance.fetch([pkg], () => undefined, signal);
		assert.equal(statusOf(provenance), 'commit-not-found');
		repo.pushed = true;
		clock.now += COMMIT_NOT_FOUND_TTL_MS - 1;
		provenance.offer(pkg, source());
		await provenance.fetch([pkg], () => undefined, signal);
		assert.equal(repo.calls, 1);
		clock.now += 1;
		provenance.offer(pkg, source());
		await provenance.fetch([pkg], () => undefined, signal);
		assert.equal(repo.calls, 2);
		assert.equal(statusOf(provenance), 'verified');
	});

	it('a verdict cached on disk holds a day for a new session, then is computed again', async () => {
		const repo = repository();
		const cacheDir = tempDir();
		const clock = { now: Date.parse('2026-12-01T00:00:00Z') };
		const signal = new AbortController().signal;
		const first = sourceWith(cacheDir, repo.trees, clock);
		first.offer(pkg, source());
		await first.fetch([pkg], () => undefined, signal);
		repo.pushed = true;
		const sameDay = sourceWith(cacheDir, repo.trees, clock);
		sameDay.offer(pkg, source());
		await sameDay.fetch([pkg], () => undefined, signal);
		assert.deepEqual([statusOf(sameDay), repo.calls], ['commit-not-found', 1]);
		clock.now += COMMIT_NOT_FOUND_TTL_MS;
		const nextDay = sourceWith(cacheDir, repo.trees, clock);
		nextDay.offer(pkg, source());
		await nextDay.fetch([pkg], () => undefined, signal);
		assert.deepEqual([statusOf(nextDay), repo.calls], ['verified', 2]);
	});
});
