/**
 * The per-package rules (releaseAge, yanked, checksum, publisher, unsafeCode), each on a table of cases: what the
 * registry or the source says, and the issue it must (or must not) produce. Unknown or missing facts produce no issue
 * here: the report and hover say "unknown" for them, a rule never invents a finding from missing data.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { known, unknown, type Fact } from '../../../../server/src/engine/facts';
import type { PackageIssue } from '../../../../server/src/engine/findings';

/** The text of an issue; its data is checked on its own below. */
type IssueText = Omit<PackageIssue, 'data'>;
const withoutData = (issues: PackageIssue[]): IssueText[] => issues.map(({ data: _data, ...text }) => text);
import type { LockedPackage } from '../../../../server/src/engine/lockfile/types';
import { buildPolicy } from '../../../../server/src/engine/policy';
import type { Publisher, ReleaseFacts } from '../../../../server/src/engine/release/types';
import { assessChecksum } from '../../../../server/src/engine/rules/checksum';
import { assessPublisher } from '../../../../server/src/engine/rules/publisher';
import { assessReleaseAge } from '../../../../server/src/engine/rules/releaseAge';
import { assessUnsafe } from '../../../../server/src/engine/rules/unsafeCode';
import { assessYanked } from '../../../../server/src/engine/rules/yanked';
import type { UnsafeCounts, UnsafeFacts } from '../../../../server/src/engine/unsafe/types';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const SUM_A = 'a'.repeat(64);
const SUM_B = 'b'.repeat(64);

const pkg: LockedPackage = {
	index: 1,
	name: 'serde',
	version: '1.0.200',
	source: { kind: 'crates-io', raw: 'registry+https://github.com/rust-lang/crates.io-index' },
	checksum: SUM_A,
	dependencies: [],
	headerRange: { start: 0, end: 11 },
	nameRange: { start: 19, end: 26 },
	range: { start: 0, end: 60 },
};

function release(overrides: Partial<ReleaseFacts> = {}): Fact<ReleaseFacts> {
	return known(
		{
			registry: 'crates.io',
			publishedAt: known('2026-11-20T12:00:00Z', 'index pubtime', null),
			yanked: false,
			indexChecksum: SUM_A,
			registryKey: 'crates-io',
			versions: [{ version: '1.0.200', yanked: false, publishedAt: '2026-11-20T12:00:00Z', checksum: SUM_A, publisher: undefined }],
			publisher: undefined,
			previous: undefined,
			minimumAge: { ms: 7 * DAY, origin: 'setting cargoTrust.releaseAge.minimum' },
			origin: 'index.crates.io, fetched 2026-12-01T00:00:00Z',
			...overrides,
		},
		'index',
		'2026-12-01T00:00:00Z',
	);
}

describe('young-release', () => {
	const cases: { name: string; release: Fact<ReleaseFacts> | undefined; expected: string | null }[] = [
		{
			name: 'published 2 days ago under a 7-day policy',
			release: release({ publishedAt: known('2026-11-29T12:00:00Z', 'index pubtime', null) }),
			expected: 'serde 1.0.200 was published 2 days ago (2026-11-29); it is old enough on 2026-12-06 under your 7 days policy (setting cargoTrust.releaseAge.minimum)',
		},
		{
			name: 'published 5 hours ago under a 1-day policy from cargo',
			release: release({ publishedAt: known('2026-12-01T07:00:00Z', 'index pubtime', null), minimumAge: { ms: DAY, origin: 'registry.global-min-publish-age in /ws/.cargo/config.toml' } }),
			expected: 'serde 1.0.200 was published 5 hours ago (2026-12-01); it is old enough on 2026-12-02 under your 1 day policy (registry.global-min-publish-age in /ws/.cargo/config.toml)',
		},
		{
			name: 'a 1-hour policy is written in the singular',
			release: release({ publishedAt: known('2026-12-01T11:30:00Z', 'index pubtime', null), minimumAge: { ms: HOUR, origin: 'cargo' } }),
			expected: 'serde 1.0.200 was published less than an hour ago (2026-12-01); it is old enough on 2026-12-01 under your 1 hour policy (cargo)',
		},
		{
			name: 'a 1-minute policy is written in the singular',
			release: release({ publishedAt: known('2026-12-01T11:59:30Z', 'index pubtime', null), minimumAge: { ms: 60_000, origin: 'cargo' } }),
			expected: 'serde 1.0.200 was published less than an hour ago (2026-12-01); it is old enough on 2026-12-01 under your 1 minute policy (cargo)',
		},
		{
			name: 'a 72-hour policy is written as 3 days',
			release: release({ publishedAt: known('2026-11-30T12:00:00Z', 'index pubtime', null), minimumAge: { ms: 72 * HOUR, origin: 'cargo' } }),
			expected: 'serde 1.0.200 was published 1 day ago (2026-11-30); it is old enough on 2026-12-03 under your 3 days policy (cargo)',
		},
		{ name: 'exactly as old as the policy', release: release({ publishedAt: known('2026-11-24T12:00:00Z', 'index pubtime', null) }), expected: null },
		{ name: 'older than the policy', release: release(), expected: null },
		{ name: 'no minimum age', release: release({ publishedAt: known('2026-12-01T11:00:00Z', 'index pubtime', null), minimumAge: undefined }), expected: null },
		{ name: 'a zero minimum age', release: release({ publishedAt: known('2026-12-01T11:00:00Z', 'index pubtime', null), minimumAge: { ms: 0, origin: 'cargo' } }), expected: null },
		{ name: 'publish time unknown', release: release({ publishedAt: unknown('the index has no pubtime') }), expected: null },
		{ name: 'unparseable publish time', release: release({ publishedAt: known('yesterday', 'index pubtime', null) }), expected: null },
		{ name: 'registry data unknown', release: unknown('offline'), expected: null },
		{ name: 'registry data not fetched yet', release: undefined, expected: null },
	];
	for (const c of cases) {
		it(c.name, () => {
			const expected: IssueText[] = c.expected === null ? [] : [{ code: 'young-release', severity: 'warning', message: c.expected }];
			assert.deepEqual(withoutData(assessReleaseAge(pkg, c.release, NOW)), expected);
		});
	}
});

describe('yanked', () => {
	const cases: { name: string; release: Fact<ReleaseFacts> | undefined; expected: IssueText[] }[] = [
		{ name: 'yanked on crates.io', release: release({ yanked: true }), expected: [{ code: 'yanked', severity: 'warning', message: 'serde 1.0.200 is yanked from crates.io' }] },
		{
			name: 'yanked on an alternative registry',
			release: release({ yanked: true, registry: 'sparse+https://registry.example/index/' }),
			expected: [{ code: 'yanked', severity: 'warning', message: 'serde 1.0.200 is yanked from sparse+https://registry.example/index/' }],
		},
		{ name: 'not yanked', release: release(), expected: [] },
		{ name: 'registry data unknown', release: unknown('registry unreachable'), expected: [] },
		{ name: 'not fetched yet', release: undefined, expected: [] },
	];
	for (const c of cases) it(c.name, () => assert.deepEqual(withoutData(assessYanked(pkg, c.release)), c.expected));
});

describe('checksum-mismatch', () => {
	const cases: { name: string; lock: string | undefined; index: string | undefined; release?: Fact<ReleaseFacts>; expected: IssueText[] }[] = [
		{
			name: 'the lockfile and the index disagree',
			lock: SUM_A,
			index: SUM_B,
			expected: [
				{
					code: 'checksum-mismatch',
					severity: 'error',
					message: "Cargo.lock's checksum for serde 1.0.200 (aaaaaaaaaaaaaaaa…) differs from crates.io's (bbbbbbbbbbbbbbbb…): the lockfile or the registry was tampered with",
				},
			],
		},
		{ name: 'equal', lock: SUM_A, index: SUM_A, expected: [] },
		{ name: 'equal but in another case', lock: SUM_A.toUpperCase(), index: SUM_A, expected: [] },
		{ name: 'no checksum in the lockfile (path or git package)', lock: undefined, index: SUM_B, expected: [] },
		{ name: 'no checksum in the index', lock: SUM_A, index: undefined, expected: [] },
		{ name: 'registry data unknown', lock: SUM_A, index: SUM_B, release: unknown('offline'), expected: [] },
	];
	for (const c of cases) {
		it(c.name, () => assert.deepEqual(withoutData(assessChecksum({ ...pkg, checksum: c.lock }, c.release ?? release({ indexChecksum: c.index }))), c.expected));
	}
});

describe('publisher-changed', () => {
	const alice: Publisher = { kind: 'user', login: 'alice', name: 'Alice Liddell' };
	const bob: Publisher = { kind: 'user', login: 'bob', name: null };
	const actions = (repository: string, sha: string | null): Publisher => ({ kind: 'trusted-publishing', provider: 'github', repository, runId: '42', sha });
	const withPublishers = (current: Fact<Publisher> | undefined, previous: Fact<Publisher> | undefined): Fact<ReleaseFacts> =>
		release({ publisher: current, previous: previous ? { version: '1.0.199', publisher: previous } : undefined });
	const cases: { name: string; release: Fact<ReleaseFacts> | undefined; expected: string | null }[] = [
		{ name: 'another account', release: withPublishers(known(bob, 'api', null), known(alice, 'api', null)), expected: 'serde 1.0.200 was published by bob; 1.0.199 was published by alice (Alice Liddell)' },
		{
			name: 'from an account to trusted publishing',
			release: withPublishers(known(actions('serde-rs/serde', '0123456789abcdef'), 'api', null), known(alice, 'api', null)),
			expected: 'serde 1.0.200 was published by github trusted publishing from serde-rs/serde at 0123456789; 1.0.199 was published by alice (Alice Liddell)',
		},
		{
			name: 'trusted publishing from another repository',
			release: withPublishers(known(actions('evil/serde', null), 'api', null), known(actions('serde-rs/serde', null), 'api', null)),
			expected: 'serde 1.0.200 was published by github trusted publishing from evil/serde; 1.0.199 was published by github trusted publishing from serde-rs/serde',
		},
		{ name: 'the same account (display name changed)', release: withPublishers(known(alice, 'api', null), known({ ...alice, name: 'Alice' }, 'api', null)), expected: null },
		{ name: 'the same repository at another commit', release: withPublishers(known(actions('serde-rs/serde', 'aaaa'), 'api', null), known(actions('serde-rs/serde', 'bbbb'), 'api', null)), expected: null },
		{ name: 'previous publisher unknown', release: withPublishers(known(bob, 'api', null), unknown('API unreachable')), expected: null },
		{ name: 'current publisher unknown', release: withPublishers(unknown('API unreachable'), known(alice, 'api', null)), expected: null },
		{ name: 'publisher not fetched', release: withPublishers(undefined, known(alice, 'api', null)), expected: null },
		{ name: 'first version (no previous)', release: withPublishers(known(bob, 'api', null), undefined), expected: null },
		{ name: 'registry data unknown', release: unknown('offline'), expected: null },
	];
	for (const c of cases) {
		it(c.name, () => {
			const expected: IssueText[] = c.expected === null ? [] : [{ code: 'publisher-changed', severity: 'information', message: c.expected }];
			assert.deepEqual(withoutData(assessPublisher(pkg, c.release)), expected);
		});
	}
});

describe('unsafe-code', () => {
	const counts = (overrides: Partial<UnsafeCounts>): UnsafeCounts => ({ blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0, ...overrides });
	const facts = (c: UnsafeCounts): Fact<UnsafeFacts> =>
		known({ counts: c, files: 3, forbidsUnsafe: false, capabilities: { buildScript: false, procMacro: false, links: null }, anomalies: [], origin: 'registry src' }, 'source', null);
	const cases: { name: string; facts: Fact<UnsafeFacts> | undefined; warnAbove: number | undefined; expected: string | null }[] = [
		{
			name: 'every kind counts towards the total',
			facts: facts(counts({ blocks: 28, functions: 64, impls: 1, traits: 1, externBlocks: 2, attributes: 3 })),
			warnAbove: 10,
			expected: 'serde 1.0.200 uses unsafe 99 times (28 blocks, 64 functions, 1 impl, 1 trait, 2 extern blocks, 3 attributes), above your threshold of 10',
		},
		{ name: 'one above the threshold', facts: facts(counts({ blocks: 6 })), warnAbove: 5, expected: 'serde 1.0.200 uses unsafe 6 times (6 blocks), above your threshold of 5' },
		{ name: 'exactly at the threshold', facts: facts(counts({ blocks: 5 })), warnAbove: 5, expected: null },
		{ name: 'threshold off', facts: facts(counts({ blocks: 500 })), warnAbove: undefined, expected: null },
		{ name: 'not counted', facts: unknown('source not available offline'), warnAbove: 0, expected: null },
		{ name: 'not counted yet', facts: undefined, warnAbove: 0, expected: null },
	];
	for (const c of cases) {
		it(c.name, () => {
			const expected: IssueText[] = c.expected === null ? [] : [{ code: 'unsafe-code', severity: 'information', message: c.expected }];
			assert.deepEqual(withoutData(assessUnsafe(pkg, c.facts, buildPolicy([], c.warnAbove))), expected);
		});
	}
});

describe('issue data (what code actions read back from Diagnostic.data)', () => {
	it('young-release carries the publish time and the policy it was measured against', () => {
		const [issue] = assessReleaseAge(pkg, release({ publishedAt: known('2026-11-30T12:00:00Z', 'index pubtime', null) }), NOW);
		assert.deepEqual(issue?.data, { signal: 'young-release', publishedAt: '2026-11-30T12:00:00Z', minimumAgeMs: 7 * DAY, policy: 'setting cargoTrust.releaseAge.minimum' });
	});
	it('yanked carries the registry', () => {
		assert.deepEqual(assessYanked(pkg, release({ yanked: true }))[0]?.data, { signal: 'yanked', registry: 'crates.io' });
	});
	it('checksum-mismatch carries both checksums', () => {
		assert.deepEqual(assessChecksum({ ...pkg, checksum: SUM_A }, release({ indexChecksum: SUM_B }))[0]?.data, { signal: 'checksum-mismatch', registry: 'crates.io', lockChecksum: SUM_A, indexChecksum: SUM_B });
	});
	it('publisher-changed carries both publishers', () => {
		const alice: Publisher = { kind: 'user', login: 'alice', name: null };
		const bob: Publisher = { kind: 'user', login: 'bob', name: null };
		const [issue] = assessPublisher(pkg, release({ publisher: known(bob, 'api', null), previous: { version: '1.0.199', publisher: known(alice, 'api', null) } }));
		assert.deepEqual(issue?.data, { signal: 'publisher-changed', publisher: bob, previous: { version: '1.0.199', publisher: alice } });
	});
	it('unsafe-code carries the counts and the threshold', () => {
		const counts: UnsafeCounts = { blocks: 7, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 };
		const facts = known({ counts, files: 1, forbidsUnsafe: false, capabilities: { buildScript: false, procMacro: false, links: null }, anomalies: [], origin: 'src' }, 'source', null);
		assert.deepEqual(assessUnsafe(pkg, facts, buildPolicy([], 5))[0]?.data, { signal: 'unsafe-code', total: 7, counts, warnAbove: 5 });
	});
});
