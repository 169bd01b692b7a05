/** Semver parsing and precedence, and cargo's version requirements (formats.md §5.3). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesCargoReq, parseCargoReq, satisfies, type Comparator } from '../../../server/src/engine/semver/cargoReq';
import { compareVersions, formatVersion, parseVersion, type Version } from '../../../server/src/engine/semver/version';

function must(text: string): Version {
	const version = parseVersion(text);
	assert.ok(version, `${text} should parse`);
	return version;
}

describe('parseVersion', () => {
	function check(text: string, expected: Partial<Version> | undefined): void {
		test(`${JSON.stringify(text)} → ${expected ? 'valid' : 'invalid'}`, () => {
			const version = parseVersion(text);
			if (!expected) return assert.equal(version, undefined);
			assert.ok(version);
			assert.deepEqual({ ...version, ...expected }, version);
		});
	}
	check('1.2.3', { major: 1, minor: 2, patch: 3, pre: [], build: [] });
	check(' 1.2.3\n', { major: 1, minor: 2, patch: 3 });
	check('0.0.20230101', { patch: 20230101 });
	check('1.0.0-alpha.1', { pre: ['alpha', 1] });
	check('1.0.0-0a.00a.x-y', { pre: ['0a', '00a', 'x-y'] });
	check('1.0.0+001.sha-1', { pre: [], build: ['001', 'sha-1'] });
	check('1.0.0-rc.1+build.5', { pre: ['rc', 1], build: ['build', '5'] });
	check('9007199254740991.0.0', { major: Number.MAX_SAFE_INTEGER });
	for (const invalid of ['', '1', '1.2', '1.2.3.4', 'v1.2.3', '01.2.3', '1.02.3', '1.2.03', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3+a..b', '1.2.3-a_b', '-1.2.3', '1. 2.3', '9007199254740992.0.0', '1.0.0-9007199254740992']) {
		check(invalid, undefined);
	}
});

describe('compareVersions', () => {
	function check(ascending: string[]): void {
		test(ascending.join(' < '), () => {
			for (let i = 0; i < ascending.length; i++) {
				for (let j = 0; j < ascending.length; j++) {
					const order = compareVersions(must(ascending[i] ?? ''), must(ascending[j] ?? ''));
					assert.equal(Math.sign(order), Math.sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
				}
			}
		});
	}
	// The example of the semver 2.0 specification, §11.
	check(['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']);
	check(['0.0.0-0', '0.0.0', '0.0.1', '0.1.0', '0.9.0', '0.10.0', '1.0.0', '1.0.10', '2.0.0-0', '2.0.0', '10.0.0']);
	check(['1.0.0-0', '1.0.0-1', '1.0.0-2', '1.0.0-10', '1.0.0-A', '1.0.0-Z', '1.0.0-a', '1.0.0-a.0', '1.0.0-b']);
	check(['1.2.3', '1.2.4-0', '1.2.4-alpha', '1.2.4']);
	check(['1.2.3-alpha', '1.2.3-alpha.0', '1.2.3-alpha.1', '1.2.3-alpha1', '1.2.3-beta']);

	test('build metadata is ignored', () => {
		assert.equal(compareVersions(must('1.0.0+a'), must('1.0.0+b')), 0);
		assert.equal(compareVersions(must('1.0.0-rc.1+a'), must('1.0.0-rc.1')), 0);
	});
});

describe('formatVersion', () => {
	for (const text of ['1.2.3', '0.0.0-0', '1.0.0-alpha.1', '1.0.0-rc.1+build.05', '0.0.20230101']) {
		test(text, () => assert.equal(formatVersion(must(text)), text));
	}
});

describe('parseCargoReq', () => {
	function check(text: string, expected: Partial<Comparator>[] | 'error'): void {
		test(`${JSON.stringify(text)} → ${expected === 'error' ? 'error' : JSON.stringify(expected)}`, () => {
			const parsed = parseCargoReq(text);
			if (expected === 'error') return assert.ok('error' in parsed, JSON.stringify(parsed));
			assert.ok('req' in parsed, JSON.stringify(parsed));
			assert.equal(parsed.req.comparators.length, expected.length);
			parsed.req.comparators.forEach((c, i) => assert.deepEqual({ ...c, ...expected[i] }, c));
		});
	}
	check('1.2.3', [{ op: '^', major: 1, minor: 2, patch: 3, pre: [] }]);
	check('^ 2.2.1', [{ op: '^', major: 2, minor: 2, patch: 1 }]);
	check('1', [{ op: '^', major: 1, minor: undefined, patch: undefined }]);
	check('>= 1.2, < 1.5', [{ op: '>=', minor: 2, patch: undefined }, { op: '<', minor: 5 }]);
	check('>=0.8.26,<1.0.0', [{ op: '>=' }, { op: '<' }]);
	check('=1.0.0-beta.9+build', [{ op: '=', pre: ['beta', 9] }]);
	check('1.*', [{ op: '*', major: 1, minor: undefined }]);
	check('1.2.x', [{ op: '*', major: 1, minor: 2, patch: undefined }]);
	check('1.X.*', [{ op: '*', major: 1, minor: undefined }]);
	// A wildcard after an operator only leaves the part out, as in the semver crate.
	check('>=1.*', [{ op: '>=', major: 1, minor: undefined }]);
	check('*', []);
	check(' x ', []);
	for (const invalid of ['', ' ', '1.2.3.4', '01', '1.02', '1.*.3', '>=', '>= *', '*, 1', '1, *', '1.0,', ',1.0', '~>1.2', '1.2-alpha', '1.2.*-alpha', '1.2.3-', '1.2.3-01', 'a.b.c', '1 2', '>=1 <2', 'v1.2.3', '1.2.3 - 2.0.0']) {
		check(invalid, 'error');
	}
	check(Array.from({ length: 32 }, () => '>=1').join(','), Array.from({ length: 32 }, () => ({ op: '>=' })));
	check(Array.from({ length: 33 }, () => '>=1').join(','), 'error');
});

describe('matchesCargoReq (formats.md §5.3)', () => {
	function check(req: string, matching: string[], notMatching: string[]): void {
		test(req, () => {
			const parsed = parseCargoReq(req);
			assert.ok('req' in parsed, JSON.stringify(parsed));
			for (const v of matching) assert.equal(matchesCargoReq(parsed.req, must(v)), true, `${req} should match ${v}`);
			for (const v of notMatching) assert.equal(matchesCargoReq(parsed.req, must(v)), false, `${req} should not match ${v}`);
		});
	}
	// Caret, the default.
	check('1.2.3', ['1.2.3', '1.2.10', '1.9.0'], ['1.2.2', '2.0.0', '2.0.0-alpha', '0.9.0']);
	check('^1.2.3', ['1.2.3', '1.99.99'], ['1.2.2', '2.0.0']);
	check('1.2', ['1.2.0', '1.99.0'], ['1.1.9', '2.0.0']);
	check('1', ['1.0.0', '1.9.9'], ['0.9.9', '2.0.0']);
	check('0.2.3', ['0.2.3', '0.2.9'], ['0.2.2', '0.3.0', '1.0.0']);
	check('0.2', ['0.2.0', '0.2.9'], ['0.1.9', '0.3.0']);
	check('0.0.3', ['0.0.3'], ['0.0.2', '0.0.4', '0.1.0']);
	check('0.0', ['0.0.0', '0.0.9'], ['0.1.0']);
	check('0', ['0.0.0', '0.9.9'], ['1.0.0']);
	// Tilde.
	check('~1.2.3', ['1.2.3', '1.2.9'], ['1.2.2', '1.3.0']);
	check('~1.2', ['1.2.0', '1.2.9'], ['1.1.9', '1.3.0']);
	check('~1', ['1.0.0', '1.9.9'], ['0.9.9', '2.0.0']);
	// Wildcards.
	check('*', ['0.0.0', '1.2.3', '99.0.0'], ['1.0.0-alpha']);
	check('1.*', ['1.0.0', '1.9.9'], ['0.9.9', '2.0.0']);
	check('1.x', ['1.0.0', '1.9.9'], ['2.0.0']);
	check('1.2.*', ['1.2.0', '1.2.9'], ['1.1.9', '1.3.0']);
	// Comparison operators, with partial versions as the semver crate reads them.
	check('>=1.2.3', ['1.2.3', '5.0.0'], ['1.2.2']);
	check('>1.2.3', ['1.2.4'], ['1.2.3']);
	check('<1.2.3', ['1.2.2', '0.0.1'], ['1.2.3']);
	check('<=1.2.3', ['1.2.3'], ['1.2.4']);
	check('>1.2', ['1.3.0'], ['1.2.0', '1.2.9']);
	check('>=1.2', ['1.2.0'], ['1.1.9']);
	check('<1.2', ['1.1.9'], ['1.2.0']);
	check('<=1.2', ['1.2.9'], ['1.3.0']);
	check('=1.2', ['1.2.0', '1.2.9'], ['1.1.0', '1.3.0']);
	check('>= 1.2, < 1.5', ['1.2.0', '1.4.9'], ['1.1.9', '1.5.0']);
	check(' >= 1.2.3 ,<2 ', ['1.5.0'], ['2.0.0']);
	// Pinning ignores build metadata.
	check('=1.2.3', ['1.2.3', '1.2.3+build'], ['1.2.4', '1.2.3-alpha']);
	check('=1.2.3+meta', ['1.2.3'], []);
	// Pre-releases match only through a comparator with the same major.minor.patch and a pre-release tag.
	check('1.0', [], ['1.0.0-alpha']);
	check('1.0.0-alpha', ['1.0.0-alpha', '1.0.0-beta', '1.0.0', '1.2.0'], ['1.0.0-0', '1.2.0-alpha', '0.9.0', '2.0.0']);
	check('^1.2.3-beta', ['1.2.3-beta', '1.2.3-rc', '1.2.3'], ['1.2.3-alpha', '1.2.4-alpha']);
	check('~1.2.3-beta', ['1.2.3-beta.2', '1.2.4'], ['1.2.4-alpha']);
	check('=1.0.0-alpha', ['1.0.0-alpha'], ['1.0.0', '1.0.0-beta']);
	check('>1.0.0-alpha', ['1.0.0-alpha.1', '1.0.0', '2.0.0'], ['1.0.0-alpha', '2.0.0-alpha']);
	check('<1.0.0-beta', ['1.0.0-alpha', '0.9.0'], ['1.0.0-beta', '0.9.0-alpha']);
	check('<2.0.0', ['1.9.0'], ['2.0.0-alpha']);
	check('>=1.0.0-alpha, <2.0.0', ['1.0.0-beta', '1.5.0'], ['1.5.0-beta', '2.0.0-alpha']);
});

describe('satisfies', () => {
	function check(req: string, version: string, expected: boolean | undefined): void {
		test(`${req} / ${version} → ${expected}`, () => assert.equal(satisfies(req, version), expected));
	}
	check('^1.2', '1.4.0', true);
	check('^1.2', '2.0.0', false);
	check('>= 1.2, < 1.5', '1.5.0', false);
	check('1.2.3.4', '1.2.3', undefined);
	check('^1.2', '1.2', undefined);
	check('^1.2', 'banana', undefined);
});
