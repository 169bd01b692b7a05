/** RustSec's affected ranges from `patched` and `unaffected` (formats.md §1.5), and the decision they make. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeAffectedRanges, isAffected } from '../../../server/src/engine/advisory/ranges';

interface Case {
	patched: string[];
	unaffected?: string[];
	/** `[introduced, fixed)` pairs; fixed undefined is unbounded. */
	ranges: [string, string | undefined][];
	affected?: string[];
	notAffected?: string[];
}

describe('computeAffectedRanges', () => {
	function check(name: string, { patched, unaffected = [], ranges, affected = [], notAffected = [] }: Case): void {
		test(name, () => {
			const computed = computeAffectedRanges(patched, unaffected);
			assert.ok('ranges' in computed, JSON.stringify(computed));
			assert.deepEqual(
				computed.ranges,
				ranges.map(([introduced, fixed]) => ({ introduced, fixed })),
			);
			for (const v of affected) assert.equal(isAffected(computed.ranges, v), true, `${v} should be affected`);
			for (const v of notAffected) assert.equal(isAffected(computed.ranges, v), false, `${v} should not be affected`);
		});
	}

	check('actix-http RUSTSEC-2021-0081: pre-releases inside a gap are affected', {
		patched: ['^ 2.2.1', '>= 3.0.0-beta.9'],
		ranges: [
			['0.0.0-0', '2.2.1'],
			['3.0.0-0', '3.0.0-beta.9'],
		],
		affected: ['0.0.0-0', '1.0.0', '2.2.0', '2.2.1-rc.1', '3.0.0-0', '3.0.0-beta.8'],
		notAffected: ['2.2.1', '2.2.5', '2.99.0', '3.0.0-beta.9', '3.0.0-beta.10', '3.0.0', '4.1.0'],
	});
	check('aes-gcm RUSTSEC-2023-0096: unaffected below, patched above', {
		patched: ['>= 0.10.3'],
		unaffected: ['< 0.10.0'],
		ranges: [['0.10.0', '0.10.3']],
		affected: ['0.10.0', '0.10.2', '0.10.3-rc.1'],
		notAffected: ['0.9.4', '0.10.0-pre', '0.10.3', '0.11.0'],
	});
	check('both lists empty: everything is affected', {
		patched: [],
		ranges: [['0.0.0-0', undefined]],
		affected: ['0.0.0-0', '0.0.0', '1.2.3-alpha', '999.0.0'],
	});
	check('> v starts at increment(v): 1.2.3 → 1.2.4-0', {
		patched: ['> 1.2.3'],
		ranges: [['0.0.0-0', '1.2.4-0']],
		affected: ['1.2.3', '1.2.3-alpha'],
		notAffected: ['1.2.4-0', '1.2.4-alpha', '1.2.4'],
	});
	check('> a pre-release starts at increment(v): 1.2.3-alpha → 1.2.3-alpha.0', {
		patched: ['> 1.2.3-alpha'],
		ranges: [['0.0.0-0', '1.2.3-alpha.0']],
		affected: ['1.2.3-alpha'],
		notAffected: ['1.2.3-alpha.0', '1.2.3-alpha.1', '1.2.3-beta', '1.2.3'],
	});
	check('missing parts are 0, so > 1.2 means > 1.2.0 (not cargo\'s >= 1.3.0)', {
		patched: ['> 1.2'],
		ranges: [['0.0.0-0', '1.2.1-0']],
		affected: ['1.2.0'],
		notAffected: ['1.2.1', '1.2.9'],
	});
	check('a wildcard after an operator only leaves the part out, as RustSec reads it', {
		patched: ['>= 1.*'],
		ranges: [['0.0.0-0', '1.0.0']],
	});
	check('<= v ends the unaffected range at v, so the gap starts at increment(v)', {
		patched: ['>= 1.4.0'],
		unaffected: ['<= 1.2.3'],
		ranges: [['1.2.4-0', '1.4.0']],
		affected: ['1.2.4-alpha', '1.2.4', '1.3.9'],
		notAffected: ['1.2.3', '1.4.0'],
	});
	check('< v ends the unaffected range before v, so the gap starts at v', {
		patched: ['>= 1.4.0'],
		unaffected: ['< 1.2.3'],
		ranges: [['1.2.3', '1.4.0']],
		affected: ['1.2.3'],
		notAffected: ['1.2.2', '1.2.3-rc.1'],
	});
	check('<= v alone: affected from increment(v) on', {
		patched: ['<= 1.0.0'],
		ranges: [['1.0.1-0', undefined]],
		affected: ['1.0.1', '5.0.0'],
		notAffected: ['1.0.0'],
	});
	check('a bounded range with two comparators', {
		patched: ['>= 1.2.5, < 2.0.0', '>= 2.0.1'],
		ranges: [
			['0.0.0-0', '1.2.5'],
			['2.0.0', '2.0.1'],
		],
		affected: ['1.2.4', '2.0.0'],
		notAffected: ['1.2.5', '1.9.9', '2.0.1'],
	});
	check('~x.y.z covers x.y.z up to x.(y+1).0-0', {
		patched: ['~1.2.5', '>= 1.3.2'],
		ranges: [
			['0.0.0-0', '1.2.5'],
			['1.3.0-0', '1.3.2'],
		],
		affected: ['1.2.4', '1.3.0-alpha', '1.3.1'],
		notAffected: ['1.2.5', '1.2.99', '1.3.2'],
	});
	check('~x.y and ~x', {
		patched: ['~1.2', '~3'],
		ranges: [
			['0.0.0-0', '1.2.0'],
			['1.3.0-0', '3.0.0'],
			['4.0.0-0', undefined],
		],
	});
	check('^x.y.z with x > 0 covers up to (x+1).0.0-0', {
		patched: ['^1.2.3'],
		ranges: [
			['0.0.0-0', '1.2.3'],
			['2.0.0-0', undefined],
		],
		affected: ['2.0.0-alpha', '2.0.0'],
		notAffected: ['1.9.9'],
	});
	check('a bare version is a caret requirement', {
		patched: ['1.2.3'],
		ranges: [
			['0.0.0-0', '1.2.3'],
			['2.0.0-0', undefined],
		],
	});
	check('^0.y.z covers up to 0.(y+1).0-0, so the next minor\'s pre-releases fall in a gap', {
		patched: ['^0.3.4', '^0.4'],
		ranges: [
			['0.0.0-0', '0.3.4'],
			['0.4.0-0', '0.4.0'],
			['0.5.0-0', undefined],
		],
		affected: ['0.3.3', '0.4.0-rc.1', '0.5.0'],
		notAffected: ['0.3.9', '0.4.0', '0.4.7'],
	});
	check('^0.0.z covers only 0.0.z', {
		patched: ['^0.0.4'],
		ranges: [
			['0.0.0-0', '0.0.4'],
			['0.0.5-0', undefined],
		],
		affected: ['0.0.3', '0.0.5'],
		notAffected: ['0.0.4'],
	});
	check('^0.0 covers 0.0.x; ^1 covers 1.x.y', {
		patched: ['^0.0', '^1'],
		ranges: [
			['0.0.0-0', '0.0.0'],
			['0.1.0-0', '1.0.0'],
			['2.0.0-0', undefined],
		],
		affected: ['0.0.0-alpha', '0.1.0', '0.9.9', '2.0.0'],
		notAffected: ['0.0.0', '0.0.7', '1.5.0'],
	});
	check('^0 covers every 0.x.y', {
		patched: ['^0'],
		ranges: [
			['0.0.0-0', '0.0.0'],
			['1.0.0-0', undefined],
		],
		notAffected: ['0.0.0', '0.99.1'],
	});
	check('= v is a single version', {
		patched: ['= 1.2.3'],
		ranges: [
			['0.0.0-0', '1.2.3'],
			['1.2.4-0', undefined],
		],
		notAffected: ['1.2.3'],
	});
	check('back-to-back ranges leave no (empty) gap', {
		patched: ['>= 1.0.0'],
		unaffected: ['< 1.0.0'],
		ranges: [],
		notAffected: ['0.1.0', '1.0.0', '1.0.0-alpha'],
	});
	check('an unaffected range from the lowest version leaves nothing affected', {
		patched: ['>= 0.0.0-0'],
		ranges: [],
		notAffected: ['0.0.0-0', '1.0.0'],
	});
	check('= v and > v start at the same version; the single version sorts first', {
		patched: ['> 1.0.0', '= 1.0.0'],
		ranges: [['0.0.0-0', '1.0.0']],
		notAffected: ['1.0.0', '1.0.1'],
	});
	check('ranges are sorted whatever their order in the file', {
		patched: ['>= 3.0.0', '>= 1.5.0, < 2.0.0'],
		unaffected: ['< 1.0.0'],
		ranges: [
			['1.0.0', '1.5.0'],
			['2.0.0', '3.0.0'],
		],
	});
});

describe('computeAffectedRanges errors', () => {
	function check(name: string, patched: string[], unaffected: string[], mentions: string): void {
		test(name, () => {
			const computed = computeAffectedRanges(patched, unaffected);
			assert.ok('error' in computed, JSON.stringify(computed));
			assert.match(computed.error, new RegExp(mentions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
		});
	}
	check('overlapping ranges', ['>= 2.0.0'], ['< 2.5.0'], 'overlapping version ranges "< 2.5.0" and ">= 2.0.0"');
	check('ranges touching at an inclusive version overlap', ['>= 1.0.0'], ['<= 1.0.0'], 'overlapping');
	check('two unbounded lower ranges overlap', ['>= 1.0.0', '>= 2.0.0'], [], 'overlapping');
	check('wildcard *', ['*'], [], 'wildcards are not supported in "*"');
	check('wildcard 1.*', ['1.*'], [], 'wildcards are not supported in "1.*"');
	check('wildcard 1.2.x', [], ['1.2.x'], 'wildcards are not supported in "1.2.x"');
	check('bad version', ['>= 1.0.0-'], [], 'invalid version requirement ">= 1.0.0-"');
	check('not a version', ['>= one'], [], 'invalid version requirement ">= one"');
	check('leading zero', ['>= 01.0.0'], [], 'invalid version requirement ">= 01.0.0"');
	check('three comparators', ['>= 1.0.0, < 2.0.0, < 3.0.0'], [], 'more than two comparators');
	check('two lower bounds', ['>= 1.0.0, > 1.5.0'], [], 'more than one lower bound');
	check('two upper bounds', ['< 1.0.0, <= 1.5.0'], [], 'more than one upper bound');
	check('^ with another comparator', ['^1.0.0, < 1.5.0'], [], '"^" must be alone');
	check('= with another comparator', ['>= 0.5.0, = 1.0.0'], [], '"=" must be alone');
	check('start above end', ['>= 2.0.0, < 1.0.0'], [], 'empty range ">= 2.0.0, < 1.0.0"');
	check('exclusive bounds at one version', ['> 1.0.0, <= 1.0.0'], [], 'empty range');
});

describe('isAffected', () => {
	const ranges = [
		{ introduced: '0.0.0-0', fixed: '2.2.1' },
		{ introduced: '3.0.0-0', fixed: '3.0.0-beta.9' },
	];
	function check(version: string, expected: boolean): void {
		test(`${version} → ${expected}`, () => assert.equal(isAffected(ranges, version), expected));
	}
	check('2.2.0', true);
	check('2.2.1', false);
	check('3.0.0-beta.8', true);
	check('3.0.0-beta.8+build', true);
	check('3.0.0', false);
	check('not a version', false);
	test('no ranges: nothing is affected', () => assert.equal(isAffected([], '1.0.0'), false));
});
