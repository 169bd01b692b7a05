/** Cargo.toml → Manifest: every dependency form of formats.md §5.2, the ranges each one reports, and recovery from broken TOML. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifest, type ManifestOptions } from '../../../server/src/engine/manifest/parseManifest';
import type { DependencySpec, DependencyTable, Manifest, SourceKind } from '../../../server/src/engine/manifest/types';
import type { Problem, TextRange } from '../../../server/src/engine/text';

/** A dependency with its ranges replaced by the text they cover, so expectations read like the manifest. */
interface WrittenDependency {
	key: string;
	crateName: string;
	table: DependencyTable;
	versionReq: string | undefined;
	source: SourceKind;
	inheritsFromWorkspace: boolean;
	optional: boolean;
	keyText: string;
	versionText: string | undefined;
	entryText: string;
}

interface WrittenProblem {
	code: string;
	severity: Problem['severity'];
	message: string;
	text: string;
}

function slice(text: string, range: TextRange): string {
	return text.slice(range.start, range.end);
}

function written(text: string, spec: DependencySpec): WrittenDependency {
	const { keyRange, versionRange, entryRange, ...rest } = spec;
	return { ...rest, keyText: slice(text, keyRange), versionText: versionRange && slice(text, versionRange), entryText: slice(text, entryRange) };
}

function writtenProblems(text: string, problems: readonly Problem[]): WrittenProblem[] {
	return problems.map(({ range, ...rest }) => ({ ...rest, text: slice(text, range) }));
}

/** The usual shape: a crates.io dependency written `key = "req"` in `[dependencies]`; override what differs. */
function dep(key: string, versionReq: string | undefined, overrides: Partial<WrittenDependency> = {}): WrittenDependency {
	return {
		key,
		crateName: key,
		table: { kind: 'normal' },
		versionReq,
		source: { kind: 'registry' },
		inheritsFromWorkspace: false,
		optional: false,
		keyText: key,
		versionText: versionReq === undefined ? undefined : `"${versionReq}"`,
		entryText: `${key} = "${versionReq}"`,
		...overrides,
	};
}

/** Unindented inline TOML: the first line break after the backtick is dropped. */
function toml(strings: TemplateStringsArray): string {
	return strings.raw.join('').replace(/^\n/, '');
}

function checkDependencies(text: string, expected: WrittenDependency[], options?: ManifestOptions): void {
	const { value, problems } = parseManifest(text, options);
	assert.deepEqual(writtenProblems(text, problems), []);
	assert.deepEqual(
		value.dependencies.map((spec) => written(text, spec)),
		expected,
	);
}

function checkProblems(text: string, expectedProblems: WrittenProblem[], expectedDependencies: WrittenDependency[], options?: ManifestOptions): void {
	const { value, problems } = parseManifest(text, options);
	assert.deepEqual(writtenProblems(text, problems), expectedProblems);
	assert.deepEqual(
		value.dependencies.map((spec) => written(text, spec)),
		expectedDependencies,
	);
}

describe('parseManifest: dependency tables', () => {
	test('normal, dev and build tables, with the legacy underscore spellings, in file order', () => {
		checkDependencies(
			toml`
[dev-dependencies]
criterion = "0.5"

[dependencies]
serde = "1.0.210"

[build-dependencies]
cc = "1"

[dev_dependencies]
tempfile = "3"

[build_dependencies]
pkg-config = "0.3"
`,
			[
				dep('criterion', '0.5', { table: { kind: 'dev' } }),
				dep('serde', '1.0.210'),
				dep('cc', '1', { table: { kind: 'build' } }),
				dep('tempfile', '3', { table: { kind: 'dev' } }),
				dep('pkg-config', '0.3', { table: { kind: 'build' } }),
			],
		);
	});

	test('target tables keyed by cfg expressions and by triples, of every kind', () => {
		checkDependencies(
			toml`
[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target.x86_64-pc-windows-gnu.dev-dependencies]
winapi = "0.3"

[target."cfg(target_os = \"linux\")".build-dependencies]
bindgen = "0.70"

[target.'cfg(windows)'.dev_dependencies]
windows-sys = "0.59"
`,
			[
				dep('libc', '0.2', { table: { kind: 'normal', target: 'cfg(unix)' } }),
				dep('winapi', '0.3', { table: { kind: 'dev', target: 'x86_64-pc-windows-gnu' } }),
				dep('bindgen', '0.70', { table: { kind: 'build', target: 'cfg(target_os = "linux")' } }),
				dep('windows-sys', '0.59', { table: { kind: 'dev', target: 'cfg(windows)' } }),
			],
		);
	});

	test('dotted keys in the top-level table reach dependency and target tables', () => {
		checkDependencies(
			toml`
dependencies.anyhow = "1"
target."cfg(unix)".dependencies.libc = "0.2"
target.'cfg(windows)'.dev-dependencies.winapi = { version = "0.3", features = ["winuser"] }
`,
			[
				dep('anyhow', '1', { entryText: 'dependencies.anyhow = "1"' }),
				dep('libc', '0.2', { table: { kind: 'normal', target: 'cfg(unix)' }, entryText: 'target."cfg(unix)".dependencies.libc = "0.2"' }),
				dep('winapi', '0.3', {
					table: { kind: 'dev', target: 'cfg(windows)' },
					entryText: `target.'cfg(windows)'.dev-dependencies.winapi = { version = "0.3", features = ["winuser"] }`,
				}),
			],
		);
	});
});

describe('parseManifest: dependency values', () => {
	test('inline tables with version, features, optional and default-features', () => {
		checkDependencies(
			toml`
[dependencies]
serde = { version = "1.0", features = ["derive"], optional = true, default-features = false }
tokio = { version = "1", default_features = false }
`,
			[
				dep('serde', '1.0', { optional: true, entryText: 'serde = { version = "1.0", features = ["derive"], optional = true, default-features = false }' }),
				dep('tokio', '1', { entryText: 'tokio = { version = "1", default_features = false }' }),
			],
		);
	});

	test('a [dependencies.foo] sub-table: the key is the header part, the entry the whole table', () => {
		checkDependencies(
			toml`
[dependencies.regex]
version = "1.10"
default-features = false
# not part of the entry
[target.'cfg(unix)'.dependencies.nix]
version = "0.29"
`,
			[
				dep('regex', '1.10', { entryText: '[dependencies.regex]\nversion = "1.10"\ndefault-features = false' }),
				dep('nix', '0.29', { table: { kind: 'normal', target: 'cfg(unix)' }, entryText: `[target.'cfg(unix)'.dependencies.nix]\nversion = "0.29"` }),
			],
		);
	});

	test('dotted keys inside a dependency table: the key is the first part, the entry spans every line', () => {
		checkDependencies(
			toml`
[dependencies]
serde.version = "1"
serde.features = ["derive"]
log = "0.4"
`,
			[dep('serde', '1', { entryText: 'serde.version = "1"\nserde.features = ["derive"]' }), dep('log', '0.4')],
		);
	});

	test('a renamed dependency keeps its alias as the key and names the crate through `package`', () => {
		checkDependencies(
			toml`
[dependencies]
rand08 = { version = "0.8", package = "rand" }
[dependencies.old-serde]
package = "serde"
version = "0.9"
`,
			[
				dep('rand08', '0.8', { crateName: 'rand', entryText: 'rand08 = { version = "0.8", package = "rand" }' }),
				dep('old-serde', '0.9', { crateName: 'serde', entryText: '[dependencies.old-serde]\npackage = "serde"\nversion = "0.9"' }),
			],
		);
	});

	test('other registries by name and by index', () => {
		checkDependencies(
			toml`
[dependencies]
internal = { version = "2", registry = "my-registry" }
indexed = { version = "1", registry-index = "sparse+https://example.com/index/" }
`,
			[
				dep('internal', '2', { source: { kind: 'registry', registry: 'my-registry' }, entryText: 'internal = { version = "2", registry = "my-registry" }' }),
				dep('indexed', '1', {
					source: { kind: 'registry', registryIndex: 'sparse+https://example.com/index/' },
					entryText: 'indexed = { version = "1", registry-index = "sparse+https://example.com/index/" }',
				}),
			],
		);
	});

	test('git dependencies with branch, tag or rev, and path dependencies with or without a version', () => {
		checkDependencies(
			toml`
[dependencies]
a = { git = "https://github.com/org/a" }
b = { git = "https://github.com/org/b", branch = "next" }
c = { git = "https://github.com/org/c", tag = "v1.0.0", version = "1" }
d = { git = "https://github.com/org/d", rev = "0123abc" }
e = { path = "../e" }
f = { path = "crates/f", version = "0.3.0" }
`,
			[
				dep('a', undefined, { source: { kind: 'git', url: 'https://github.com/org/a' }, entryText: 'a = { git = "https://github.com/org/a" }' }),
				dep('b', undefined, { source: { kind: 'git', url: 'https://github.com/org/b', branch: 'next' }, entryText: 'b = { git = "https://github.com/org/b", branch = "next" }' }),
				dep('c', '1', { source: { kind: 'git', url: 'https://github.com/org/c', tag: 'v1.0.0' }, entryText: 'c = { git = "https://github.com/org/c", tag = "v1.0.0", version = "1" }' }),
				dep('d', undefined, { source: { kind: 'git', url: 'https://github.com/org/d', rev: '0123abc' }, entryText: 'd = { git = "https://github.com/org/d", rev = "0123abc" }' }),
				dep('e', undefined, { source: { kind: 'path', path: '../e' }, entryText: 'e = { path = "../e" }' }),
				dep('f', '0.3.0', { source: { kind: 'path', path: 'crates/f' }, entryText: 'f = { path = "crates/f", version = "0.3.0" }' }),
			],
		);
	});

	test('ranges are UTF-16 offsets, so text after non-ASCII characters still slices right', () => {
		checkDependencies(
			toml`
# Crates for the 🦀 — «café»
[dependencies]
serde = "1"
`,
			[dep('serde', '1')],
		);
	});
});

describe('parseManifest: workspace inheritance', () => {
	const root = parseManifest(toml`
[workspace]
members = ["crates/*"]

[workspace.package]
version = "1.4.0"

[workspace.dependencies]
serde = { version = "1.0.200", features = ["derive"] }
rand08 = { version = "0.8", package = "rand" }
patched = { git = "https://github.com/org/patched", branch = "main" }
local = { path = "crates/local", version = "0.1.0" }
cc = "1.1"
`).value;
	const options: ManifestOptions = { workspaceDependencies: root.workspace!.dependencies, workspacePackage: root.workspacePackage! };

	test('every spelling of `workspace = true` takes version, source and crate name from the root', () => {
		checkDependencies(
			toml`
[dependencies]
serde = { workspace = true, optional = true, features = ["rc"] }
rand08.workspace = true
patched = { workspace = true }
local.workspace = true

[build-dependencies.cc]
workspace = true
`,
			[
				dep('serde', '1.0.200', { inheritsFromWorkspace: true, optional: true, versionText: undefined, entryText: 'serde = { workspace = true, optional = true, features = ["rc"] }' }),
				dep('rand08', '0.8', { crateName: 'rand', inheritsFromWorkspace: true, versionText: undefined, entryText: 'rand08.workspace = true' }),
				dep('patched', undefined, {
					source: { kind: 'git', url: 'https://github.com/org/patched', branch: 'main' },
					inheritsFromWorkspace: true,
					entryText: 'patched = { workspace = true }',
				}),
				dep('local', '0.1.0', { source: { kind: 'path', path: 'crates/local' }, inheritsFromWorkspace: true, versionText: undefined, entryText: 'local.workspace = true' }),
				dep('cc', '1.1', { table: { kind: 'build' }, inheritsFromWorkspace: true, versionText: undefined, entryText: '[build-dependencies.cc]\nworkspace = true' }),
			],
			options,
		);
	});

	test('a version written beside `workspace = true` is reported where it is written, but the root decides', () => {
		checkDependencies(
			toml`
[dependencies]
serde = { workspace = true, version = "1.0.100" }
`,
			[dep('serde', '1.0.200', { inheritsFromWorkspace: true, versionText: '"1.0.100"', entryText: 'serde = { workspace = true, version = "1.0.100" }' })],
			options,
		);
	});

	test('an entry the root does not define is a problem naming the key, and is kept', () => {
		checkProblems(
			toml`
[dev-dependencies]
missing = { workspace = true }
`,
			[
				{
					code: 'workspace-inherit',
					severity: 'error',
					message: '`missing` has `workspace = true`, but the workspace root has no `[workspace.dependencies]` entry `missing`',
					text: 'missing',
				},
			],
			[dep('missing', undefined, { table: { kind: 'dev' }, inheritsFromWorkspace: true, entryText: 'missing = { workspace = true }' })],
			options,
		);
	});

	test('`workspace = false` is a problem and the entry is skipped', () => {
		checkProblems(
			toml`
[dependencies]
serde = { workspace = false }
`,
			[{ code: 'workspace-inherit', severity: 'error', message: '`workspace` of dependency `serde` cannot be false; remove it or set it to true', text: 'false' }],
			[],
			options,
		);
	});

	test('a root package inherits from its own [workspace.dependencies], which cannot inherit themselves', () => {
		const text = toml`
[package]
name = "app"
version.workspace = true

[dependencies]
serde.workspace = true

[workspace.package]
version = "2.0.0"

[workspace.dependencies]
serde = "1"
odd = { workspace = true }
`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(writtenProblems(text, problems), [{ code: 'workspace-inherit', severity: 'error', message: '`odd` cannot inherit with `workspace = true` here', text: 'odd' }]);
		assert.equal(value.packageVersion, '2.0.0');
		assert.deepEqual(
			value.dependencies.map((spec) => written(text, spec)),
			[dep('serde', '1', { inheritsFromWorkspace: true, versionText: undefined, entryText: 'serde.workspace = true' })],
		);
		assert.deepEqual(
			value.workspace!.dependencies.map((spec) => written(text, spec)),
			[dep('serde', '1')],
		);
	});

	test('`version.workspace = true` in [package] takes the root [workspace.package] version', () => {
		const text = toml`
[package]
name = "member"
version.workspace = true
workspace = "../.."
`;
		const { value, problems } = parseManifest(text, options);
		assert.deepEqual(problems, []);
		assert.deepEqual(value, {
			packageName: 'member',
			packageVersion: '1.4.0',
			packageWorkspace: '../..',
			packageNameRange: { start: text.indexOf('"member"'), end: text.indexOf('"member"') + '"member"'.length },
			workspace: undefined,
			dependencies: [],
			patches: [],
		});
		const { value: orphan, problems: orphanProblems } = parseManifest(text);
		assert.equal(orphan.packageVersion, undefined);
		assert.deepEqual(writtenProblems(text, orphanProblems), [
			{ code: 'workspace-inherit', severity: 'error', message: '`version` has `workspace = true`, but the workspace root has no `[workspace.package] version`', text: 'workspace' },
		]);
	});
});

describe('parseManifest: workspace, patch and replace tables', () => {
	test('[workspace] members, exclude, default-members, dependencies and package', () => {
		const text = toml`
[workspace]
resolver = "2"
members = ["crates/*", "xtask/"]
exclude = ["crates/legacy"]
default-members = ["crates/cli"]

[workspace.package]
edition = "2021"
authors = ["A"]

[workspace.dependencies]
anyhow = "1"
`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problems, []);
		const { dependencies, range, ...section } = value.workspace!;
		assert.deepEqual(section, { members: ['crates/*', 'xtask/'], exclude: ['crates/legacy'], defaultMembers: ['crates/cli'] });
		assert.equal(slice(text, range), text.slice(0, text.indexOf('\n\n[workspace.package]')));
		assert.deepEqual(
			dependencies.map((spec) => written(text, spec)),
			[dep('anyhow', '1')],
		);
		assert.deepEqual(value.workspacePackage, { edition: '2021', authors: ['A'] });
		assert.deepEqual(value.dependencies, []);
	});

	test('[patch.<source>] and [replace] entries are recorded, not counted as dependencies', () => {
		const text = toml`
[dependencies]
uuid = "1"

[patch.crates-io]
uuid = { git = 'https://github.com/uuid-rs/uuid.git' }
[patch.'https://github.com/example/baz']
baz = { git = 'https://github.com/example/patched-baz.git', branch = 'my-branch' }

[replace]
"foo:0.1.0" = { git = 'https://github.com/example/foo.git' }
"https://github.com/rust-lang/crates.io-index#bar@0.2.0" = { path = "vendor/bar" }
`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problems, []);
		assert.deepEqual(
			value.dependencies.map((spec) => written(text, spec)),
			[dep('uuid', '1')],
		);
		assert.deepEqual(
			value.patches.map(({ target, dependency }) => ({ target, dependency: written(text, dependency) })),
			[
				{
					target: 'crates-io',
					dependency: dep('uuid', undefined, { source: { kind: 'git', url: 'https://github.com/uuid-rs/uuid.git' }, entryText: `uuid = { git = 'https://github.com/uuid-rs/uuid.git' }` }),
				},
				{
					target: 'https://github.com/example/baz',
					dependency: dep('baz', undefined, {
						source: { kind: 'git', url: 'https://github.com/example/patched-baz.git', branch: 'my-branch' },
						entryText: `baz = { git = 'https://github.com/example/patched-baz.git', branch = 'my-branch' }`,
					}),
				},
				{
					target: 'replace',
					dependency: dep('foo:0.1.0', undefined, {
						crateName: 'foo',
						source: { kind: 'git', url: 'https://github.com/example/foo.git' },
						keyText: '"foo:0.1.0"',
						entryText: `"foo:0.1.0" = { git = 'https://github.com/example/foo.git' }`,
					}),
				},
				{
					target: 'replace',
					dependency: dep('https://github.com/rust-lang/crates.io-index#bar@0.2.0', undefined, {
						crateName: 'bar',
						source: { kind: 'path', path: 'vendor/bar' },
						keyText: '"https://github.com/rust-lang/crates.io-index#bar@0.2.0"',
						entryText: '"https://github.com/rust-lang/crates.io-index#bar@0.2.0" = { path = "vendor/bar" }',
					}),
				},
			],
		);
	});

	test('a manifest with neither a package nor a workspace, but not empty', () => {
		const empty: Manifest = { packageName: undefined, packageVersion: undefined, packageWorkspace: undefined, workspace: undefined, dependencies: [], patches: [] };
		assert.deepEqual(parseManifest('# nothing\n\n[profile.release]\nlto = true\n'), { value: empty, problems: [] });
	});
});

describe('parseManifest: entries of the wrong type', () => {
	test('each bad entry is one problem on its value, and is skipped', () => {
		checkProblems(
			toml`
[dependencies]
good = "1"
number = 3
flag = { version = true }
feats = { version = "1", features = "derive" }
sub.version.major = 1
also-good = { version = "2" }
`,
			[
				{ code: 'manifest-type', severity: 'error', message: 'dependency `number` must be a version string or a table, not an integer', text: '3' },
				{ code: 'manifest-type', severity: 'error', message: '`version` of dependency `flag` must be a string, not a boolean', text: 'true' },
				{ code: 'manifest-type', severity: 'error', message: '`features` of dependency `feats` must be an array, not a string', text: '"derive"' },
				{ code: 'manifest-type', severity: 'error', message: '`version` of dependency `sub` must be a string, not a table', text: 'version' },
			],
			[dep('good', '1'), dep('also-good', '2', { entryText: 'also-good = { version = "2" }' })],
		);
	});

	test('tables and arrays of the wrong type', () => {
		const text = toml`
dependencies = "serde"
target.'cfg(unix)' = 1

[package]
name = 7

[workspace]
members = "crates/*"
exclude = ["ok", 2]
`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(writtenProblems(text, problems), [
			{ code: 'manifest-type', severity: 'error', message: '`dependencies` must be a table, not a string', text: '"serde"' },
			{ code: 'manifest-type', severity: 'error', message: '`target.cfg(unix)` must be a table, not an integer', text: '1' },
			{ code: 'manifest-type', severity: 'error', message: '`package.name` must be a string, not an integer', text: '7' },
			{ code: 'manifest-type', severity: 'error', message: '`workspace.members` must be an array of strings, not a string', text: '"crates/*"' },
			{ code: 'manifest-type', severity: 'error', message: '`workspace.exclude` must hold strings, not an integer', text: '2' },
		]);
		assert.equal(value.packageName, undefined);
		assert.deepEqual([value.workspace?.members, value.workspace?.exclude], [[], ['ok']]);
	});
});

describe('parseManifest: syntax errors', () => {
	test('a broken line costs only itself: the other dependencies and one problem', () => {
		checkProblems(
			toml`
[dependencies]
serde = "1"
tokio = { version = "1", features = ["full"]
regex = "1.10"
`,
			[{ code: 'toml-parse', severity: 'error', message: 'Expected comma (,) token', text: 'tokio = { version = "1", features = ["full"]' }],
			[dep('serde', '1'), dep('regex', '1.10')],
		);
	});

	test('a value cut short is reported on its own line, and the next entry survives', () => {
		checkProblems(
			toml`
[dependencies]
serde =
rand = "0.8"
`,
			[{ code: 'toml-parse', severity: 'error', message: 'Unexpected character', text: 'serde =' }],
			[dep('rand', '0.8')],
		);
	});

	test('an unterminated array drops its lines but not the tables after it', () => {
		checkProblems(
			toml`
[package]
name = "app"
keywords = ["a",
  "b",

[dependencies]
log = "0.4"
`,
			[{ code: 'toml-parse', severity: 'error', message: 'Unexpected character', text: 'keywords = ["a",' }],
			[dep('log', '0.4')],
		);
	});

	test('several broken lines, with CRLF line endings, give one problem each', () => {
		const text = '[dependencies]\r\na = "1\r\nb = "2"\r\nc = = "3"\r\nd = "4"\r\n';
		checkProblems(
			text,
			[
				{ code: 'toml-parse', severity: 'error', message: 'Unterminated string constant', text: 'a = "1' },
				{ code: 'toml-parse', severity: 'error', message: 'Unexpected token', text: 'c = = "3"' },
			],
			[dep('b', '2'), dep('d', '4')],
		);
	});

	test('a duplicate key keeps the first entry', () => {
		checkProblems(
			toml`
[dependencies]
serde = "1"
serde = "2"
`,
			[{ code: 'toml-parse', severity: 'error', message: 'Defining a key multiple times is invalid', text: 'serde = "2"' }],
			[dep('serde', '1')],
		);
	});

	test('past 50 errors, the rest of the file is dropped and what came before is kept', () => {
		const broken = Array.from({ length: 60 }, (_, i) => `bad${i} = "`).join('\n');
		const text = `[dependencies]\nserde = "1"\n${broken}\n`;
		const { value, problems } = parseManifest(text);
		assert.equal(problems.length, 51);
		assert.deepEqual(writtenProblems(text, problems.slice(49)), [
			{ code: 'toml-parse', severity: 'error', message: 'Unterminated string constant', text: 'bad49 = "' },
			{ code: 'toml-parse', severity: 'error', message: 'Too many syntax errors: the rest of the file, from line 53, is ignored', text: 'bad50 = "' },
		]);
		assert.deepEqual(
			value.dependencies.map((spec) => written(text, spec)),
			[dep('serde', '1')],
		);
	});
});

describe('parseManifest: empty files', () => {
	for (const [name, text] of [
		['an empty file', ''],
		['blank lines and comments only', '\n# nothing here yet\n\n'],
	] as const) {
		test(`${name} is a problem, as cargo rejects it, and yields no dependencies`, () => {
			checkProblems(text, [{ code: 'manifest-empty', severity: 'error', message: 'Cargo.toml is empty: cargo needs a `[package]` or a `[workspace]` table', text: text.slice(0, text.indexOf('\n') === -1 ? 0 : text.indexOf('\n')) }], []);
		});
	}

	test('a file whose only statement is broken gets its syntax error, not an empty-file problem too', () => {
		const { problems } = parseManifest('[dependencies\n');
		assert.deepEqual(
			problems.map((problem) => problem.code),
			['toml-parse'],
		);
	});
});

void describe('cargo-vet store path', () => {
	const storePath = (text: string): string | undefined => parseManifest(text).value.vetStorePath;
	test('read from [workspace.metadata.vet], as a table, an inline table or dotted keys', () => {
		assert.equal(storePath('[workspace]\nmembers = []\n\n[workspace.metadata.vet.store]\npath = "audits/vet"\n'), 'audits/vet');
		assert.equal(storePath('[workspace]\n\n[workspace.metadata.vet]\nstore = { path = "vet-store" }\n'), 'vet-store');
		assert.equal(storePath('[workspace]\nmetadata.vet.store.path = "x"\n'), 'x');
	});
	test('from [package.metadata.vet] when the workspace names none; absent, empty or not a string is the default', () => {
		assert.equal(storePath('[package]\nname = "a"\nversion = "0.1.0"\n\n[package.metadata.vet]\nstore = { path = "p" }\n'), 'p');
		assert.equal(storePath('[package]\nname = "a"\nversion = "0.1.0"\n'), undefined);
		assert.equal(storePath('[workspace.metadata.vet]\nstore = { path = "" }\n'), undefined);
		assert.equal(storePath('[workspace.metadata.vet]\nstore = { path = 3 }\n'), undefined);
	});
});
