/** The workspace model: member dependencies resolved to locked packages, direct packages, and the shortest paths to every package. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLockfile } from '../../../server/src/engine/lockfile/parseLockfile';
import type { Lockfile } from '../../../server/src/engine/lockfile/types';
import { parseManifest } from '../../../server/src/engine/manifest/parseManifest';
import { resolveWorkspace } from '../../../server/src/engine/resolve';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const GIT = 'git+https://github.com/org/foo?branch=main#0123456789abcdef0123456789abcdef01234567';

/** `[name, version, source, dependencies]`; no source is a path package. */
type Locked = [name: string, version: string, source: string | undefined, dependencies?: string[]];

function lockfile(packages: Locked[]): Lockfile {
	const text = packages
		.map(([name, version, source, dependencies = []]) => {
			const lines = ['[[package]]', `name = "${name}"`, `version = "${version}"`];
			if (source) lines.push(`source = "${source}"`);
			if (dependencies.length > 0) lines.push('dependencies = [', ...dependencies.map((dep) => ` "${dep}",`), ']');
			return lines.join('\n');
		})
		.join('\n\n');
	const { value, problems } = parseLockfile(`version = 4\n\n${text}\n`);
	assert.deepEqual(problems, []);
	return value;
}

/** Unindented inline TOML: the first line break after the backtick is dropped. */
function toml(strings: TemplateStringsArray): string {
	return strings.raw.join('').replace(/^\n/, '');
}

interface Expected {
	/** Per manifest path: `key → name@version` (`#git` marks git packages), or `key → reason: message`. */
	dependencies: Record<string, string[]>;
	/** Per manifest path: its own locked package. */
	own?: Record<string, string | undefined>;
	direct: string[];
	/** Per package: its paths from direct dependencies, as `a@1 > b@1`. */
	paths: Record<string, string[]>;
	/** `path: message [the text of the range]`. */
	problems?: string[];
}

/** The root manifest (first) may carry `[workspace.dependencies]`; the others inherit from it. */
function check(manifests: Record<string, string>, lock: Lockfile | undefined, expected: Expected): void {
	const [rootText = ''] = Object.values(manifests);
	const root = parseManifest(rootText).value;
	const options = { workspaceDependencies: root.workspace?.dependencies ?? [], workspacePackage: root.workspacePackage ?? {} };
	const members = Object.entries(manifests).map(([manifestPath, text]) => {
		const { value, problems } = parseManifest(text, options);
		assert.deepEqual(problems, []);
		return { manifestPath, manifest: value };
	});
	const { value, problems } = resolveWorkspace(members, lock);
	// Git packages are marked, to tell them from a registry package of the same name and version.
	const id = (index: number): string => {
		const pkg = lock!.packages[index]!;
		return `${pkg.name}@${pkg.version}${pkg.source.kind === 'git' ? '#git' : ''}`;
	};
	const dependencies: Record<string, string[]> = {};
	const own: Record<string, string | undefined> = {};
	for (const member of value.members) {
		dependencies[member.manifestPath] = member.dependencies.map(({ spec, lockIndex, unresolved }) =>
			lockIndex !== undefined ? `${spec.key} → ${id(lockIndex)}` : `${spec.key} → ${unresolved!.reason}: ${unresolved!.message}`,
		);
		own[member.manifestPath] = member.packageIndex === undefined ? undefined : id(member.packageIndex);
		assert.deepEqual(value.dependenciesOf(member.manifestPath), member.dependencies);
	}
	const paths: Record<string, string[]> = {};
	(lock?.packages ?? []).forEach((_, index) => {
		const list = value.reachedFrom(index);
		if (list.length > 0) paths[id(index)] = list.map(({ direct, path }) => (assert.equal(path[0], direct), path.map(id).join(' > ')));
		assert.equal(value.isDirect(index), value.direct[index]);
	});
	const texts = Object.fromEntries(Object.entries(manifests));
	assert.deepEqual(
		{
			dependencies,
			...(expected.own && { own }),
			direct: value.direct.flatMap((isDirect, index) => (isDirect ? [id(index)] : [])),
			paths,
			problems: problems.map(({ file, problem }) => `${file}: ${problem.message} [${texts[file]!.slice(problem.range.start, problem.range.end)}]`),
		},
		{ ...expected, problems: expected.problems ?? [] },
	);
}

describe('resolveWorkspace: picking the locked package', () => {
	test('several locked versions of one crate are told apart by the member’s own dependency list', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[workspace]
members = ["a", "b"]
`,
				'/ws/a/Cargo.toml': toml`
[package]
name = "a"
version = "0.1.0"
[dependencies]
foo = ">=1"
`,
				'/ws/b/Cargo.toml': toml`
[package]
name = "b"
version = "0.1.0"
[dependencies]
foo = ">=1"
`,
			},
			lockfile([
				['a', '0.1.0', undefined, ['foo 1.0.0']],
				['b', '0.1.0', undefined, ['foo 2.0.0']],
				['foo', '1.0.0', CRATES_IO],
				['foo', '2.0.0', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': [], '/ws/a/Cargo.toml': ['foo → foo@1.0.0'], '/ws/b/Cargo.toml': ['foo → foo@2.0.0'] },
				own: { '/ws/Cargo.toml': undefined, '/ws/a/Cargo.toml': 'a@0.1.0', '/ws/b/Cargo.toml': 'b@0.1.0' },
				direct: ['foo@1.0.0', 'foo@2.0.0'],
				paths: { 'foo@1.0.0': ['foo@1.0.0'], 'foo@2.0.0': ['foo@2.0.0'] },
			},
		);
	});

	test('renamed dependencies and dev-dependencies on another version resolve by crate name and requirement', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[package]
name = "app"
version = "0.1.0"
[dependencies]
rand = "0.8"
rand07 = { package = "rand", version = "0.7" }
[dev-dependencies]
rand = "0.9"
`,
			},
			lockfile([
				['app', '0.1.0', undefined, ['rand 0.7.3', 'rand 0.8.5', 'rand 0.9.1']],
				['rand', '0.7.3', CRATES_IO],
				['rand', '0.8.5', CRATES_IO],
				['rand', '0.9.1', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['rand → rand@0.8.5', 'rand07 → rand@0.7.3', 'rand → rand@0.9.1'] },
				direct: ['rand@0.7.3', 'rand@0.8.5', 'rand@0.9.1'],
				paths: { 'rand@0.7.3': ['rand@0.7.3'], 'rand@0.8.5': ['rand@0.8.5'], 'rand@0.9.1': ['rand@0.9.1'] },
			},
		);
	});

	test('`workspace = true` resolves with the root’s requirement and crate name; member versions come from [workspace.package]', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[workspace]
members = ["cli"]
[workspace.package]
version = "3.1.0"
[workspace.dependencies]
serde = "1"
json = { package = "serde_json", version = "1" }
`,
				'/ws/cli/Cargo.toml': toml`
[package]
name = "cli"
version.workspace = true
[dependencies]
serde.workspace = true
json = { workspace = true, optional = true }
`,
			},
			lockfile([
				['cli', '3.1.0', undefined, ['serde', 'serde_json']],
				['serde', '1.0.210', CRATES_IO],
				['serde_json', '1.0.128', CRATES_IO, ['serde']],
			]),
			{
				dependencies: { '/ws/Cargo.toml': [], '/ws/cli/Cargo.toml': ['serde → serde@1.0.210', 'json → serde_json@1.0.128'] },
				own: { '/ws/Cargo.toml': undefined, '/ws/cli/Cargo.toml': 'cli@3.1.0' },
				direct: ['serde@1.0.210', 'serde_json@1.0.128'],
				paths: { 'serde@1.0.210': ['serde@1.0.210', 'serde_json@1.0.128 > serde@1.0.210'], 'serde_json@1.0.128': ['serde_json@1.0.128'] },
			},
		);
	});

	test('a [patch] that swaps a registry crate for a git or path one still resolves', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[package]
name = "app"
version = "0.1.0"
[dependencies]
foo = "1"
bar = "0.2"
[patch.crates-io]
foo = { git = "https://github.com/org/foo", branch = "main" }
bar = { path = "../bar" }
`,
			},
			lockfile([
				['app', '0.1.0', undefined, ['bar', 'foo']],
				['bar', '0.2.9', undefined],
				['foo', '1.3.0', GIT],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['foo → foo@1.3.0#git', 'bar → bar@0.2.9'] },
				direct: ['bar@0.2.9', 'foo@1.3.0#git'],
				paths: { 'bar@0.2.9': ['bar@0.2.9'], 'foo@1.3.0#git': ['foo@1.3.0#git'] },
			},
		);
	});

	test('the same name and version from two sources: the spec’s source decides, and lockfile references name it', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[package]
name = "app"
version = "0.1.0"
[dependencies]
foo = "1"
foo-git = { package = "foo", git = "https://github.com/org/foo.git", branch = "main" }
`,
			},
			lockfile([
				['app', '0.1.0', undefined, [`foo 1.0.0 (${CRATES_IO})`, `foo 1.0.0 (${GIT})`]],
				['foo', '1.0.0', CRATES_IO],
				['foo', '1.0.0', GIT, ['leaf']],
				['leaf', '1.0.0', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['foo → foo@1.0.0', 'foo-git → foo@1.0.0#git'] },
				direct: ['foo@1.0.0', 'foo@1.0.0#git'],
				paths: { 'foo@1.0.0': ['foo@1.0.0'], 'foo@1.0.0#git': ['foo@1.0.0#git'], 'leaf@1.0.0': ['foo@1.0.0#git > leaf@1.0.0'] },
			},
		);
	});
});

describe('resolveWorkspace: when nothing fits', () => {
	const app = toml`
[package]
name = "app"
version = "0.1.0"
[dependencies]
foo = "2"
bar = { version = "1", optional = true }
`;

	test('an out-of-date lockfile: a problem on the requirement that no locked version satisfies', () => {
		check(
			{ '/ws/Cargo.toml': app },
			lockfile([
				['app', '0.1.0', undefined, ['foo']],
				['foo', '1.0.0', CRATES_IO],
			]),
			{
				dependencies: {
					'/ws/Cargo.toml': [
						'foo → not-locked: no locked version of foo satisfies "2" (Cargo.lock is out of date; run cargo update)',
						'bar → not-locked: bar is not in Cargo.lock (Cargo.lock is out of date; run cargo update)',
					],
				},
				direct: [],
				paths: {},
				problems: [
					'/ws/Cargo.toml: no locked version of foo satisfies "2" (Cargo.lock is out of date; run cargo update) ["2"]',
					'/ws/Cargo.toml: bar is not in Cargo.lock (Cargo.lock is out of date; run cargo update) ["1"]',
				],
			},
		);
	});

	test('no lockfile: every dependency says so, and nothing is a problem', () => {
		check({ '/ws/Cargo.toml': app }, undefined, {
			dependencies: { '/ws/Cargo.toml': ['foo → no-lockfile: there is no Cargo.lock', 'bar → no-lockfile: there is no Cargo.lock'] },
			direct: [],
			paths: {},
		});
	});

	test('a member missing from the lockfile is a problem, and its dependencies fall back to every locked version', () => {
		check(
			{ '/ws/Cargo.toml': app },
			lockfile([
				['other', '0.1.0', undefined, ['foo 2.1.0']],
				['foo', '1.0.0', CRATES_IO],
				['foo', '2.1.0', CRATES_IO],
				['bar', '1.4.0', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['foo → foo@2.1.0', 'bar → bar@1.4.0'] },
				own: { '/ws/Cargo.toml': undefined },
				direct: ['foo@2.1.0', 'bar@1.4.0'],
				paths: { 'foo@2.1.0': ['foo@2.1.0'], 'bar@1.4.0': ['bar@1.4.0'] },
				problems: ['/ws/Cargo.toml: app 0.1.0 is not in Cargo.lock (Cargo.lock is out of date; run cargo update) ["app"]'],
			},
		);
	});
});

describe('resolveWorkspace: transitive paths', () => {
	test('every package lists each direct dependency it is reached from, by the shortest path', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[package]
name = "app"
version = "0.1.0"
[dependencies]
a = "1"
d = "1"
`,
			},
			lockfile([
				['app', '0.1.0', undefined, ['a', 'd']],
				['a', '1.0.0', CRATES_IO, ['x', 'b']],
				['x', '1.0.0', CRATES_IO, ['y']],
				['y', '1.0.0', CRATES_IO, ['c']],
				['b', '1.0.0', CRATES_IO, ['c']],
				['c', '1.0.0', CRATES_IO, ['e']],
				['d', '1.0.0', CRATES_IO, ['c']],
				['e', '1.0.0', CRATES_IO],
				['unused', '1.0.0', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['a → a@1.0.0', 'd → d@1.0.0'] },
				direct: ['a@1.0.0', 'd@1.0.0'],
				paths: {
					'a@1.0.0': ['a@1.0.0'],
					'x@1.0.0': ['a@1.0.0 > x@1.0.0'],
					'y@1.0.0': ['a@1.0.0 > x@1.0.0 > y@1.0.0'],
					'b@1.0.0': ['a@1.0.0 > b@1.0.0'],
					'c@1.0.0': ['a@1.0.0 > b@1.0.0 > c@1.0.0', 'd@1.0.0 > c@1.0.0'],
					'd@1.0.0': ['d@1.0.0'],
					'e@1.0.0': ['a@1.0.0 > b@1.0.0 > c@1.0.0 > e@1.0.0', 'd@1.0.0 > c@1.0.0 > e@1.0.0'],
				},
			},
		);
	});

	test('paths never pass through members: a member’s dependencies show on its own manifest', () => {
		check(
			{
				'/ws/Cargo.toml': toml`
[package]
name = "app"
version = "0.1.0"
[workspace]
members = ["lib"]
[dependencies]
lib = { path = "lib" }
helper = "1"
`,
				'/ws/lib/Cargo.toml': toml`
[package]
name = "lib"
version = "0.2.0"
[dependencies]
z = "1"
`,
			},
			lockfile([
				['app', '0.1.0', undefined, ['helper', 'lib']],
				['helper', '1.0.0', CRATES_IO, ['lib']],
				['lib', '0.2.0', undefined, ['z']],
				['z', '1.0.0', CRATES_IO],
			]),
			{
				dependencies: { '/ws/Cargo.toml': ['lib → lib@0.2.0', 'helper → helper@1.0.0'], '/ws/lib/Cargo.toml': ['z → z@1.0.0'] },
				own: { '/ws/Cargo.toml': 'app@0.1.0', '/ws/lib/Cargo.toml': 'lib@0.2.0' },
				direct: ['helper@1.0.0', 'lib@0.2.0', 'z@1.0.0'],
				paths: { 'helper@1.0.0': ['helper@1.0.0'], 'z@1.0.0': ['z@1.0.0'] },
			},
		);
	});
});
