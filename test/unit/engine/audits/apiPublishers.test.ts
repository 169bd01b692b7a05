/**
 * Publisher records from crates.io's API (through the release facts) for wildcard and trusted entries, when
 * imports.lock has none for the locked version: who published it and when decide, and nothing else vets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vetPasses, type VetResult } from '../../../../server/src/engine/audits/auditGraph';
import { needsApiPublisher, releasePublisherLookup } from '../../../../server/src/engine/audits/apiPublishers';
import type { AuditData } from '../../../../server/src/engine/audits/auditData';
import { buildAuditStore } from '../../../../server/src/engine/audits/buildAuditStore';
import type { AuditStore } from '../../../../server/src/engine/audits/types';
import { known, unknown, type Fact } from '../../../../server/src/engine/facts';
import { parseLockfile } from '../../../../server/src/engine/lockfile/parseLockfile';
import type { Lockfile } from '../../../../server/src/engine/lockfile/types';
import { DEFAULT_TRUST_POLICY } from '../../../../server/src/engine/policy';
import { prepareAudits } from '../../../../server/src/engine/policy/auditView';
import type { Publisher, ReleaseFacts } from '../../../../server/src/engine/release/types';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

function store(audits: string, importsLock = ''): AuditStore {
	const text = (path: string, body: string) => ({ path, text: body });
	return buildAuditStore(
		{ directory: '/ws/supply-chain', paths: { config: 'config.toml', audits: 'audits.toml', importsLock: 'imports.lock' }, config: text('config.toml', ''), audits: text('audits.toml', audits), importsLock: text('imports.lock', importsLock) },
		[],
	);
}

function lockfile(packages: [string, string][]): Lockfile {
	const body = packages.map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"\nchecksum = "${'0'.repeat(64)}"\n`).join('\n');
	return parseLockfile(`version = 4\n\n${body}`).value;
}

function release(publisher: Fact<Publisher> | undefined, publishedAt: string): Fact<ReleaseFacts> {
	return known(
		{ registry: 'crates.io', publishedAt: known(publishedAt, 'index pubtime', null), yanked: false, indexChecksum: undefined, registryKey: 'crates-io', versions: [], publisher, previous: undefined, minimumAge: undefined, origin: 'test' },
		'test',
		null,
	);
}

const user = (id: number | undefined, login = `user${id}`): Fact<Publisher> => known({ kind: 'user', ...(id === undefined ? {} : { id }), login, name: null }, 'crates.io API', null);

/** The verdict of each locked package, vetting through `prepareAudits` with the release facts given per `name@version`. */
function verdicts(s: AuditStore, lock: Lockfile, releases: Record<string, Fact<ReleaseFacts> | undefined>): Map<string, VetResult> {
	const data: AuditData = { status: 'known', store: s, notes: [], texts: new Map() };
	const lookup = releasePublisherLookup(lock.packages.map((pkg) => ({ pkg, release: releases[`${pkg.name}@${pkg.version}`] })));
	const view = prepareAudits(data, lock, [], DEFAULT_TRUST_POLICY, lookup);
	return new Map(lock.packages.map((pkg) => [`${pkg.name}@${pkg.version}`, view.statuses!.verdicts.get(pkg.index)!]));
}

const WILDCARD_42 = `
[[wildcard-audits.pub]]
who = "acme"
criteria = "safe-to-deploy"
user-id = 42
start = "2024-01-01"
end = "2025-01-01"
`;

test('a wildcard audit of user-id 42 vets a version user 42 published within the window, known only from the API', () => {
	const s = store(WILDCARD_42);
	const lock = lockfile([['pub', '1.0.0'], ['pub', '2.0.0'], ['pub', '3.0.0'], ['pub', '4.0.0'], ['pub', '5.0.0'], ['pub', '6.0.0']]);
	const results = verdicts(s, lock, {
		'pub@1.0.0': release(user(42), '2024-06-01T12:00:00Z'),
		'pub@2.0.0': release(user(7), '2024-06-01T12:00:00Z'),
		'pub@3.0.0': undefined,
		'pub@4.0.0': release(user(42), '2025-01-01T00:00:00Z'),
		'pub@5.0.0': release(user(undefined, 'user42'), '2024-06-01T12:00:00Z'),
		'pub@6.0.0': release(unknown('crates.io recorded no publisher for this version'), '2024-06-01T12:00:00Z'),
	});
	const one = results.get('pub@1.0.0')!;
	assert.ok(vetPasses(one));
	assert.deepEqual(one.by, [{ source: 'local', kind: 'wildcard', detail: '1.0.0 (user-id 42, 2024-01-01 to 2025-01-01)', who: ['acme'] }]);
	assert.equal(vetPasses(results.get('pub@2.0.0')!), false, 'published by someone else');
	assert.equal(vetPasses(results.get('pub@3.0.0')!), false, 'no release facts: no record, unvetted');
	assert.equal(vetPasses(results.get('pub@4.0.0')!), false, 'published on the exclusive end');
	assert.equal(vetPasses(results.get('pub@5.0.0')!), false, 'a login without a user id is no match');
	assert.equal(vetPasses(results.get('pub@6.0.0')!), false, 'crates.io recorded nobody');
});

test('the API date is the UTC date of publication', () => {
	const s = store(WILDCARD_42);
	const lock = lockfile([['pub', '1.0.0']]);
	// 2025-01-01 in UTC+2 is still 2024-12-31 in UTC: within the window.
	assert.ok(vetPasses(verdicts(s, lock, { 'pub@1.0.0': release(user(42), '2025-01-01T01:00:00+02:00') }).get('pub@1.0.0')!));
});

test("imports.lock's record wins over the API's for the same version", () => {
	const lock = '[[publisher.pub]]\nversion = "1.0.0"\nwhen = "2024-06-01"\nuser-id = 7\n';
	const s = store(WILDCARD_42, lock);
	const [pkg] = lockfile([['pub', '1.0.0']]).packages;
	assert.equal(needsApiPublisher(s, pkg!), false);
	assert.equal(vetPasses(verdicts(s, lockfile([['pub', '1.0.0']]), { 'pub@1.0.0': release(user(42), '2024-06-01T00:00:00Z') }).get('pub@1.0.0')!), false);
});

test('a local trusted entry for a GitHub trusted publisher matches the API\'s trustpub_data', () => {
	const s = store('[[trusted.pub]]\ncriteria = "safe-to-deploy"\ntrusted-publisher = "github:o/r"\nstart = 2020-01-01\nend = 2030-01-01\n');
	const github: Fact<Publisher> = known({ kind: 'trusted-publishing', provider: 'github', repository: 'o/r', runId: null, sha: null }, 'crates.io API', null);
	const gitlab: Fact<Publisher> = known({ kind: 'trusted-publishing', provider: 'gitlab', repository: 'o/r', runId: null, sha: null }, 'crates.io API', null);
	const results = verdicts(s, lockfile([['pub', '1.0.0'], ['pub', '2.0.0']]), { 'pub@1.0.0': release(github, '2024-06-01T00:00:00Z'), 'pub@2.0.0': release(gitlab, '2024-06-01T00:00:00Z') });
	assert.equal(results.get('pub@1.0.0')!.by[0]?.kind, 'trusted');
	assert.equal(vetPasses(results.get('pub@2.0.0')!), false, 'cargo-vet knows only GitHub');
});

test('publishers are wanted only for crates with wildcard or trusted entries and no imports.lock record', () => {
	const s = store(WILDCARD_42, '[[publisher.pub]]\nversion = "1.0.0"\nwhen = "2024-06-01"\nuser-id = 42\n');
	const lock = lockfile([['pub', '1.0.0'], ['pub', '2.0.0'], ['other', '1.0.0']]);
	assert.deepEqual(lock.packages.map((pkg) => needsApiPublisher(s, pkg)), [false, true, false]);
});

test('verdicts are reused while nothing they depend on changed, and vetted again when a publisher lands', () => {
	const s = store(WILDCARD_42);
	const lock = lockfile([['pub', '1.0.0']]);
	const data: AuditData = { status: 'known', store: s, notes: [], texts: new Map() };
	const view = (publisher: Fact<Publisher> | undefined) =>
		prepareAudits(data, lock, [], DEFAULT_TRUST_POLICY, releasePublisherLookup(lock.packages.map((pkg) => ({ pkg, release: release(publisher, '2024-06-01T12:00:00Z') }))));
	const before = view(user(7));
	assert.equal(view(user(7)).statuses, before.statuses, 'the same inputs: the same verdicts, not vetted again');
	assert.ok(!vetPasses(before.statuses!.verdicts.get(0)!));
	// Same store, same lockfile: only the publisher crates.io reports changed, and with it the verdict.
	assert.ok(vetPasses(view(user(42)).statuses!.verdicts.get(0)!));
});

test('a wildcard audit vets an older candidate version that user 42 published, known only from the release facts\' versions', () => {
	const s = store(WILDCARD_42, '[[publisher.pub]]\nversion = "1.1.0"\nwhen = "2024-07-01"\nuser-id = 7\n');
	const lock = lockfile([['pub', '2.0.0']]);
	const listed = (version: string, publisher: Fact<Publisher> | undefined, publishedAt: string | null) => ({ version, yanked: false, publishedAt, checksum: '0'.repeat(64), publisher });
	const locked = release(user(7), '2025-03-01T00:00:00Z');
	assert.equal(locked.status, 'known');
	const withVersions: Fact<ReleaseFacts> = {
		...locked,
		value: {
			...locked.value,
			versions: [
				listed('1.0.0', user(42), '2024-06-01T12:00:00Z'),
				// imports.lock says user 7 published it: its record wins over the API's.
				listed('1.1.0', user(42), '2024-07-01T12:00:00Z'),
				listed('1.2.0', user(42), null),
				listed('2.0.0', user(7), '2025-03-01T00:00:00Z'),
			],
		},
	};
	const data: AuditData = { status: 'known', store: s, notes: [], texts: new Map() };
	const view = prepareAudits(data, lock, [], DEFAULT_TRUST_POLICY, releasePublisherLookup([{ pkg: lock.packages[0]!, release: withVersions }]));
	const vet = (version: string) => view.statuses!.index.vet('pub', version, ['safe-to-deploy']);
	assert.equal(vetPasses(view.statuses!.verdicts.get(0)!), false, 'the locked version was published by someone else');
	assert.ok(vetPasses(vet('1.0.0')), JSON.stringify(vet('1.0.0')));
	assert.deepEqual(vet('1.0.0').by, [{ source: 'local', kind: 'wildcard', detail: '1.0.0 (user-id 42, 2024-01-01 to 2025-01-01)', who: ['acme'] }]);
	assert.equal(vetPasses(vet('1.1.0')), false, "imports.lock's record (user 7) wins");
	assert.equal(vetPasses(vet('1.2.0')), false, 'no publish date: no record');
});
