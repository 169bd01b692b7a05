/** The trust policy and the choice of pin/upgrade candidates, as data tables (issue 15). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseCandidates, type CandidateVersion } from '../../../../server/src/engine/policy/candidates';
import { DEFAULT_BLOCK_ON, auditsRequired, evaluatePolicy, type PolicyVerdict, type VersionFacts } from '../../../../server/src/engine/policy/trustPolicy';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const settings = { minimumAgeMs: 7 * DAY, blockOn: DEFAULT_BLOCK_ON, requireAudits: true };
const clean: VersionFacts = { yanked: false, publishedAt: new Date(NOW.getTime() - 30 * DAY), advisoryKinds: [], provenance: 'verified', audit: { vetted: true, violated: false } };

test('each condition of the policy', () => {
	const cases: [string, Partial<VersionFacts>, string[]][] = [
		['clean', {}, []],
		['yanked', { yanked: true }, ['yanked']],
		['6 days old', { publishedAt: new Date(NOW.getTime() - 6 * DAY) }, ['young']],
		['exactly the minimum age', { publishedAt: new Date(NOW.getTime() - 7 * DAY) }, []],
		['unknown age does not fail', { publishedAt: undefined }, []],
		['vulnerability', { advisoryKinds: ['vulnerability'] }, ['vulnerable']],
		['unsound', { advisoryKinds: ['unsound'] }, ['vulnerable']],
		['unmaintained is shown but does not fail', { advisoryKinds: ['unmaintained', 'notice'] }, []],
		['modified', { provenance: 'modified' }, ['provenance']],
		['commit-not-found', { provenance: 'commit-not-found' }, ['provenance']],
		['unknown provenance does not fail', { provenance: 'unknown' }, []],
		['unaudited', { audit: { vetted: false, violated: false } }, ['unaudited']],
		['violation', { audit: { vetted: true, violated: true } }, ['violation']],
		['everything', { yanked: true, publishedAt: new Date(NOW.getTime() - DAY), advisoryKinds: ['vulnerability'], provenance: 'modified', audit: { vetted: false, violated: true } }, ['yanked', 'young', 'vulnerable', 'provenance', 'unaudited', 'violation']],
	];
	for (const [name, facts, failed] of cases) assert.deepEqual(evaluatePolicy({ ...clean, ...facts }, settings, NOW), { passes: failed.length === 0, failed }, name);
	assert.deepEqual(evaluatePolicy({ ...clean, audit: { vetted: false, violated: false } }, { ...settings, requireAudits: false }, NOW).failed, []);
	assert.deepEqual(evaluatePolicy({ ...clean, advisoryKinds: ['unmaintained'] }, { ...settings, blockOn: ['unmaintained'] }, NOW).failed, ['vulnerable']);
	assert.deepEqual([auditsRequired('auto', true), auditsRequired('auto', false), auditsRequired('always', false), auditsRequired('never', true)], [true, false, true, false]);
});

const pass: PolicyVerdict = { passes: true, failed: [] };
const fail = (...failed: PolicyVerdict['failed']): PolicyVerdict => ({ passes: false, failed });

function choose(locked: string, lockedVerdict: PolicyVerdict, table: Record<string, PolicyVerdict>) {
	const versions: CandidateVersion[] = Object.keys(table).map((version) => ({ version, yanked: false }));
	return chooseCandidates(versions, locked, lockedVerdict, (candidate) => table[candidate.version]!);
}

test('pin, upgrade and the explanation', () => {
	const table = { '1.0.0': pass, '1.1.0': pass, '1.2.0': fail('unaudited'), '1.3.0-beta.1': pass, '1.4.0': fail('young'), '1.5.0': pass, '1.6.0': pass };
	const cases: [string, string, PolicyVerdict, { action: string; version: string }[]][] = [
		['passing locked: nothing', '1.3.0', pass, []],
		['unaudited: pin only, the newest older passing, never a pre-release', '1.3.0', fail('unaudited'), [{ action: 'pin', version: '1.1.0' }]],
		['vulnerable: the lowest newer passing first, then the pin', '1.3.0', fail('vulnerable'), [{ action: 'upgrade', version: '1.5.0' }, { action: 'pin', version: '1.1.0' }]],
		['yanked: upgrade too', '1.3.0', fail('yanked', 'unaudited'), [{ action: 'upgrade', version: '1.5.0' }, { action: 'pin', version: '1.1.0' }]],
		['young: no upgrade', '1.4.0', fail('young'), [{ action: 'pin', version: '1.1.0' }]],
	];
	for (const [name, locked, verdict, expected] of cases) assert.deepEqual(choose(locked, verdict, table).suggestions, expected, name);
	const none = choose('0.10.4', fail('unaudited'), { '0.10.0': fail('unaudited'), '0.10.1': fail('unaudited'), '0.10.2': fail('unaudited'), '0.10.3': fail('unaudited', 'young') });
	assert.deepEqual(none, { suggestions: [], explanation: 'no older version passes: 0.10.3 unaudited, young, 0.10.2 unaudited, 0.10.1 unaudited, 0.10.0 unaudited' });
	assert.equal(choose('0.1.0', fail('unaudited'), { '0.1.0': fail('unaudited') }).explanation, 'no older version is published');
});
