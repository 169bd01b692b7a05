/** cargo's member globs (the `glob` crate's syntax) and `exclude` prefixes, on paths relative to the workspace root. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isExcludedFromWorkspace, isWorkspaceMember, matchesMemberPattern, memberPatternBase } from '../../../server/src/engine/manifest/workspaceMembers';

const DIRS = ['crates', 'crates/a', 'crates/b', 'crates/ab', 'crates/.hidden', 'crates/a/fuzz', 'crates/a/x/fuzz', 'lib', 'lib/Z', 'xtask', 'fuzz', 'a]b'];

/** The directories of `DIRS` a pattern matches. */
function check(pattern: string, expected: string[]): void {
	test(`${pattern} → ${expected.join(', ') || 'nothing'}`, () => {
		assert.deepEqual(
			DIRS.filter((dir) => matchesMemberPattern(pattern, dir)),
			expected,
		);
	});
}

describe('matchesMemberPattern', () => {
	check('crates/*', ['crates/a', 'crates/b', 'crates/ab', 'crates/.hidden']);
	check('crates/?', ['crates/a', 'crates/b']);
	check('crates/[ab]', ['crates/a', 'crates/b']);
	check('crates/[a-a]*', ['crates/a', 'crates/ab']);
	check('crates/[!a]', ['crates/b']);
	check('[]]', []);
	check('a[]]b', ['a]b']);
	check('crates/**/fuzz', ['crates/a/fuzz', 'crates/a/x/fuzz']);
	check('**/fuzz', ['crates/a/fuzz', 'crates/a/x/fuzz', 'fuzz']);
	check('crates/a/**', ['crates/a', 'crates/a/fuzz', 'crates/a/x/fuzz']);
	check('./xtask/', ['xtask']);
	check('lib//Z', ['lib/Z']);
	check('lib/z', []);
	// Patterns the glob crate rejects match nothing (cargo reports them as errors).
	check('crates/a**', []);
	check('crates/***', []);
	check('crates/[ab', []);
	check('crates/[!]', []);
});

describe('memberPatternBase', () => {
	for (const [pattern, base] of [
		['crates/*', 'crates'],
		['crates/*/fuzz', 'crates'],
		['lib/ungrammar/ungrammar2json', 'lib/ungrammar/ungrammar2json'],
		['xtask/', 'xtask'],
		['./examples/[ab]c/x', 'examples'],
		['**', ''],
	] as const) {
		test(`${pattern} → ${base || '(the root)'}`, () => assert.equal(memberPatternBase(pattern), base));
	}
});

describe('exclusion, as cargo’s is_excluded', () => {
	const members = ['crates/*', 'crates/legacy/keep'];
	const exclude = ['crates/legacy', 'tools/'];

	test('an exclude entry is a path prefix, compared by whole components', () => {
		assert.deepEqual(
			['crates/legacy', 'crates/legacy/inner', 'crates/legacy-two', 'tools/gen', 'crates/new'].map((dir) => isExcludedFromWorkspace(dir, members, exclude)),
			[true, true, false, true, false],
		);
	});

	test('a literal members entry overrides an exclusion; a glob does not', () => {
		assert.equal(isExcludedFromWorkspace('crates/legacy/keep', members, exclude), false);
		assert.equal(isExcludedFromWorkspace('crates/legacy/keep/deeper', members, exclude), false);
		assert.equal(isWorkspaceMember('crates/legacy', members, exclude), false);
		assert.equal(isWorkspaceMember('crates/new', members, exclude), true);
		assert.equal(isWorkspaceMember('crates/legacy/keep', members, exclude), true);
		assert.equal(isWorkspaceMember('tools/gen', members, exclude), false);
	});
});
