/** cargo-vet's audit graph on small stores written for each case (formats.md §4.4). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditIndex, vetPasses } from '../../../../server/src/engine/audits/auditGraph';
import { buildAuditStore } from '../../../../server/src/engine/audits/buildAuditStore';
import type { AuditStore } from '../../../../server/src/engine/audits/types';

function store(files: { config?: string; audits?: string; importsLock?: string }): AuditStore {
	const text = (path: string, body: string | undefined) => (body === undefined ? undefined : { path, text: body });
	return buildAuditStore(
		{ directory: '/ws/supply-chain', paths: { config: 'config.toml', audits: 'audits.toml', importsLock: 'imports.lock' }, config: text('config.toml', files.config ?? ''), audits: text('audits.toml', files.audits ?? ''), importsLock: text('imports.lock', files.importsLock) },
		[],
	);
}

function vet(s: AuditStore, crate: string, version: string, required = ['safe-to-deploy']) {
	return new AuditIndex(s).vet(crate, version, required);
}

const DELTAS = `
[[audits.foo]]
who = "a"
criteria = "safe-to-deploy"
version = "1.0.0"

[[audits.foo]]
who = "a"
criteria = "safe-to-deploy"
delta = "1.0.0 -> 1.1.0"

[[audits.foo]]
who = "a"
criteria = "safe-to-run"
delta = "1.1.0 -> 1.2.0"

[[audits.foo]]
who = "a"
criteria = "safe-to-deploy"
delta = "2.0.0 -> 1.0.0"
`;

test('delta chains are directional and carry only the criteria of every edge', () => {
	const s = store({ audits: DELTAS });
	const cases: [string, string[], string[]][] = [
		['1.0.0', ['safe-to-deploy', 'safe-to-run'], ['full']],
		['1.1.0', ['safe-to-deploy', 'safe-to-run'], ['full', 'delta']],
		// The last edge carries only safe-to-run.
		['1.2.0', ['safe-to-run'], ['full', 'delta', 'delta']],
		// `2.0.0 -> 1.0.0` vets 1.0.0 given 2.0.0, not 2.0.0 given 1.0.0.
		['2.0.0', [], []],
		['3.0.0', [], []],
	];
	for (const [version, vetted, kinds] of cases) {
		const result = vet(s, 'foo', version, vetted.length ? [vetted[0]!] : ['safe-to-run']);
		assert.deepEqual(result.vetted, vetted, version);
		assert.deepEqual(result.fullyAudited, vetted, version);
		assert.deepEqual(result.by.map((step) => step.kind), kinds, version);
	}
	assert.deepEqual(vet(s, 'foo', '1.1.0').by, [
		{ source: 'local', kind: 'full', detail: '1.0.0', who: ['a'] },
		{ source: 'local', kind: 'delta', detail: '1.0.0 -> 1.1.0', who: ['a'] },
	]);
});

test('a backward delta from an audited version vets the lower one; a delta cycle vets nothing by itself', () => {
	const s = store({
		audits: `
[[audits.bar]]
criteria = "safe-to-deploy"
version = "0.3.66"
[[audits.bar]]
criteria = "safe-to-deploy"
delta = "0.3.66 -> 0.3.65"
[[audits.baz]]
criteria = "safe-to-deploy"
delta = "1.0.0 -> 1.0.1"
[[audits.baz]]
criteria = "safe-to-deploy"
delta = "1.0.1 -> 1.0.0"
`,
	});
	assert.ok(vetPasses(vet(s, 'bar', '0.3.65')));
	assert.deepEqual(vet(s, 'baz', '1.0.0').vetted, []);
	assert.deepEqual(vet(s, 'baz', '1.0.1').vetted, []);
});

test('implies chains close transitively; an unknown criterion is a problem and never met', () => {
	const s = store({
		audits: `
[criteria.ub-risk-0]
description = "no UB"
implies = "ub-risk-1"
[criteria.ub-risk-1]
description = "little UB"
implies = ["ub-risk-2", "safe-to-deploy"]
[criteria.ub-risk-2]
description = "some UB"
implies = "ub-risk-0"

[[audits.foo]]
criteria = "ub-risk-0"
version = "1.0.0"

[[audits.qux]]
criteria = "made-up"
version = "1.0.0"
`,
	});
	const index = new AuditIndex(s);
	assert.deepEqual(index.vet('foo', '1.0.0', ['safe-to-run']).vetted, ['safe-to-deploy', 'safe-to-run', 'ub-risk-0', 'ub-risk-1', 'ub-risk-2']);
	assert.deepEqual(index.vet('qux', '1.0.0', ['safe-to-run']).vetted, []);
	assert.equal(index.problems.length, 1);
	assert.match(index.problems[0]!.problem.message, /unknown criterion "made-up"/);
	const unknownRequired = index.vet('foo', '1.0.0', ['nonexistent']);
	assert.deepEqual(unknownRequired.unknownRequired, ['nonexistent']);
	assert.equal(vetPasses(unknownRequired), false);
});

const IMPORTS_CONFIG = `
[imports.peer]
url = "https://example.com/audits.toml"
criteria-map = { fuzzed = "safe-to-run" }
exclude = ["skipped"]

[[exemptions.old]]
version = "0.1.0"
criteria = "safe-to-deploy"
`;

const IMPORTS_LOCK = `
[[publisher.pub]]
version = "1.0.0"
when = "2023-01-01"
user-id = 7

[[publisher.pub]]
version = "1.1.0"
when = "2023-12-31"
user-id = 7

[[publisher.pub]]
version = "1.2.0"
when = "2024-01-01"
user-id = 7

[[publisher.pub]]
version = "1.3.0"
when = "2023-06-01"
trusted-publisher = "github:o/r"

[[publisher.tr]]
version = "2.0.0"
when = "2023-06-01"
user-id = 9

[audits.peer.criteria.fuzzed]
description = "fuzzed"

[audits.peer.criteria.reviewed]
description = "reviewed"
implies = "safe-to-deploy"

[audits.peer.criteria.private]
description = "their own"

[[audits.peer.audits.mapped]]
criteria = "fuzzed"
version = "1.0.0"

[[audits.peer.audits.closed]]
criteria = "reviewed"
version = "1.0.0"

[[audits.peer.audits.dropped]]
criteria = "private"
version = "1.0.0"

[[audits.peer.audits.skipped]]
criteria = "safe-to-deploy"
version = "1.0.0"

[[audits.peer.trusted.tr]]
criteria = "safe-to-deploy"
user-id = 9
start = "2020-01-01"
end = "2030-01-01"

[[audits.peer.wildcard-audits.pub]]
criteria = "safe-to-deploy"
user-id = 7
start = "2023-01-01"
end = "2024-01-01"
`;

test('imports: built-ins map to themselves, criteria-map maps, foreign implies close before mapping, the rest is dropped; exclude drops a crate', () => {
	const s = store({ config: IMPORTS_CONFIG, importsLock: IMPORTS_LOCK });
	assert.deepEqual(s.files, []);
	assert.deepEqual(vet(s, 'mapped', '1.0.0', ['safe-to-run']).vetted, ['safe-to-run']);
	assert.deepEqual(vet(s, 'closed', '1.0.0').vetted, ['safe-to-deploy', 'safe-to-run']);
	assert.deepEqual(vet(s, 'closed', '1.0.0').by, [{ source: 'peer', kind: 'full', detail: '1.0.0', who: [] }]);
	assert.deepEqual(vet(s, 'dropped', '1.0.0', ['safe-to-run']).vetted, []);
	assert.deepEqual(vet(s, 'skipped', '1.0.0').vetted, []);
});

test('wildcard windows include start and exclude end; only local trusted entries vet', () => {
	const s = store({ config: IMPORTS_CONFIG, importsLock: IMPORTS_LOCK });
	assert.ok(vetPasses(vet(s, 'pub', '1.0.0')), 'published on start');
	assert.ok(vetPasses(vet(s, 'pub', '1.1.0')), 'published the day before end');
	assert.equal(vetPasses(vet(s, 'pub', '1.2.0')), false, 'published on end');
	assert.equal(vetPasses(vet(s, 'pub', '1.3.0')), false, 'another publisher');
	assert.equal(vet(s, 'pub', '1.0.0').by[0]!.kind, 'wildcard');
	assert.equal(vetPasses(vet(s, 'tr', '2.0.0')), false, 'an imported trusted entry does not vet');
	const local = store({ config: IMPORTS_CONFIG, importsLock: IMPORTS_LOCK, audits: '[[trusted.tr]]\ncriteria = "safe-to-deploy"\nuser-id = 9\nstart = 2020-01-01\nend = 2030-01-01\n' });
	const result = vet(local, 'tr', '2.0.0');
	assert.ok(vetPasses(result));
	assert.deepEqual(result.by, [{ source: 'local', kind: 'trusted', detail: '2.0.0 (user-id 9, 2020-01-01 to 2030-01-01)', who: [] }]);
});

test('trusted-publisher entries match trusted-publisher records only', () => {
	const s = store({ config: IMPORTS_CONFIG, importsLock: IMPORTS_LOCK, audits: '[[trusted.pub]]\ncriteria = "safe-to-deploy"\ntrusted-publisher = "github:o/r"\nstart = 2020-01-01\nend = 2030-01-01\n' });
	assert.ok(vetPasses(vet(s, 'pub', '1.3.0')));
	assert.equal(vet(s, 'pub', '1.3.0').by[0]!.kind, 'trusted');
});

test('exemptions vet but are not full audits; the `unaudited` alias reads the same', () => {
	for (const table of ['exemptions', 'unaudited']) {
		const s = store({ config: `[[${table}.old]]\nversion = "0.1.0"\ncriteria = "safe-to-deploy"\n` });
		const result = vet(s, 'old', '0.1.0');
		assert.ok(vetPasses(result), table);
		assert.deepEqual(result.vetted, ['safe-to-deploy', 'safe-to-run']);
		assert.deepEqual(result.fullyAudited, []);
		assert.deepEqual(result.by, [{ source: 'local', kind: 'exemption', detail: '0.1.0', who: [] }]);
	}
});

test('a violation fails a vetted version for the criteria it disclaims (and those implying them); a bad requirement is skipped with a problem', () => {
	const s = store({
		audits: `
[[audits.foo]]
criteria = "safe-to-deploy"
version = "1.0.0"
[[audits.foo]]
criteria = "safe-to-deploy"
delta = "1.0.0 -> 1.3.0"
[[audits.foo]]
criteria = "safe-to-run"
violation = ">=1.2.0, <1.4.0"
[[audits.foo]]
criteria = "safe-to-deploy"
violation = "not a req"
`,
	});
	const index = new AuditIndex(s);
	const conflict = index.vet('foo', '1.3.0', ['safe-to-deploy']);
	assert.deepEqual(conflict.vetted, ['safe-to-deploy', 'safe-to-run'], 'still reached by the graph');
	assert.deepEqual(conflict.violations, [{ source: 'local', requirement: '>=1.2.0, <1.4.0', criteria: ['safe-to-run'] }]);
	assert.equal(vetPasses(conflict), false);
	assert.ok(vetPasses(index.vet('foo', '1.0.0', ['safe-to-deploy'])));
	assert.equal(index.problems.length, 1);
	assert.equal(index.problems[0]!.problem.code, 'audits-violation-requirement');
	// Violating safe-to-deploy says nothing about safe-to-run.
	const deployOnly = new AuditIndex(store({ audits: '[[audits.x]]\ncriteria = "safe-to-run"\nversion = "1.0.0"\n[[audits.x]]\ncriteria = "safe-to-deploy"\nviolation = "*"\n' }));
	assert.ok(vetPasses(deployOnly.vet('x', '1.0.0', ['safe-to-run'])));
	assert.equal(vetPasses(deployOnly.vet('x', '1.0.0', ['safe-to-deploy'])), false);
});

test('an audit of a version that does not exist vets only that version; git revisions are versions of their own', () => {
	const sha = 'a'.repeat(40);
	const s = store({ audits: `[[audits.foo]]\ncriteria = "safe-to-deploy"\nversion = "99.0.0"\n[[audits.foo]]\ncriteria = "safe-to-deploy"\nversion = "1.0.0@git:${sha}"\n` });
	assert.equal(vetPasses(vet(s, 'foo', '1.0.0')), false);
	assert.ok(vetPasses(vet(s, 'foo', `1.0.0@git:${sha}`)));
});

test('unpublished entries vet the first-party version as its published twin', () => {
	const s = store({ audits: '[[audits.me]]\ncriteria = "safe-to-deploy"\nversion = "1.0.0"\n', importsLock: '[[unpublished.me]]\nversion = "1.1.0"\naudited_as = "1.0.0"\n' });
	assert.ok(vetPasses(vet(s, 'me', '1.1.0')));
});

test('malformed files: a problem at the broken spot, every other entry still used, nothing vetted by accident', () => {
	const audits = `
[[audits.good]]
criteria = "safe-to-deploy"
version = "1.0.0"

[[audits.broken]]
criteria = "safe-to-deploy"
version = = "1.0.0"

[[audits.typed]]
criteria = 5
version = "1.0.0"

[[audits.both]]
criteria = "safe-to-deploy"
version = "1.0.0"
delta = "0.9.0 -> 1.0.0"

[[audits.baddelta]]
criteria = "safe-to-deploy"
delta = "0.9.0 => 1.0.0"

[[audits.later]]
criteria = "safe-to-deploy"
version = "2.0.0"
`;
	const config = '[[exemptions.ex]]\nversion = "1.0.0"\ncriteria = "safe-to-deploy"\n[imports.x\nurl = "u"\n[[exemptions.ex2]]\nversion = "nope"\ncriteria = "safe-to-deploy"\n';
	const importsLock = '[[publisher.p]]\nversion = "1.0.0"\nwhen = "yesterday"\nuser-id = 1\n[[publisher.p]]\nversion = "1.1.0"\nwhen = "2023-01-01"\nuser-id = 1\n[[publisher.p]\n';
	const s = store({ audits, config, importsLock });
	const byFile = new Map(s.files.map((file) => [file.path, file.problems]));
	const lines = (path: string, text: string) => byFile.get(path)!.map((problem) => text.slice(0, problem.range.start).split('\n').length);
	// The syntax error, then the entry it left without a version, a wrong type, two forms at once, a bad delta.
	assert.deepEqual(lines('audits.toml', audits), [8, 6, 11, 14, 21]);
	// The broken header's key falls into the exemption before it: an unknown key there (a warning).
	assert.deepEqual(lines('config.toml', config), [4, 5, 7]);
	assert.deepEqual(lines('imports.lock', importsLock), [9, 3]);
	for (const problem of [...byFile.values()].flat()) assert.equal(problem.code, 'audits-parse');
	assert.ok(vetPasses(vet(s, 'good', '1.0.0')));
	assert.ok(vetPasses(vet(s, 'later', '2.0.0')));
	assert.ok(vetPasses(vet(s, 'ex', '1.0.0')));
	for (const crate of ['broken', 'typed', 'both', 'baddelta']) assert.deepEqual(vet(s, crate, '1.0.0').vetted, [], crate);
	assert.equal(s.importsLock.publishers.get('p')?.length, 1);
});
