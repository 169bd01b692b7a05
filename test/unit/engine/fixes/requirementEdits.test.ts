/** The manifest edits of "Pin to" / "Upgrade to" on every form a dependency entry takes, checked on the text (issue 15). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeWorkspace } from '../../../../server/src/engine/analyze';
import { unknown } from '../../../../server/src/engine/facts';
import { cargoUpdateCommand } from '../../../../server/src/engine/fixes/cargoUpdateCommand';
import { pinEdits, type FileEdit } from '../../../../server/src/engine/fixes/requirementEdits';
import { buildPolicy } from '../../../../server/src/engine/policy';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const PACKAGE = '[package]\nname = "app"\nversion = "0.1.0"\n\n';

function lockfile(members: string[], extra = ''): string {
	return [
		'version = 4',
		...members.map((name) => `[[package]]\nname = "${name}"\nversion = "0.1.0"\ndependencies = ["foo"]`),
		`[[package]]\nname = "foo"\nversion = "1.2.5"\nsource = "${CRATES_IO}"`,
		extra,
	].join('\n\n');
}

/** Analyses the manifests (root first), pins `foo` to 1.2.0 and returns every manifest's text after the edits. */
function pinFoo(manifests: Record<string, string>, lock = lockfile(['app'])): { texts: Record<string, string>; edits: FileEdit[] } {
	const input = { root: '/ws', manifests: Object.entries(manifests).map(([path, text]) => ({ path, text })), lockfile: { path: '/ws/Cargo.lock', text: lock }, problems: [] };
	const facts = { advisories: unknown<never>('not loaded'), release: () => undefined, unsafe: () => undefined };
	const analysis = analyzeWorkspace(input, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
	const lockIndex = analysis.lockfile!.lockfile.packages.findIndex((pkg) => pkg.name === 'foo');
	const edits = pinEdits(analysis.manifests, analysis.texts, lockIndex, '1.2.0');
	const texts = { ...manifests };
	// Applied from the end, so earlier offsets stay valid.
	for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) {
		const text = texts[edit.file]!;
		texts[edit.file] = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
	}
	return { texts, edits };
}

test('every form of a dependency entry gets `=X.Y.Z`, with everything around it untouched', () => {
	const cases: [string, string, string][] = [
		['plain string', 'foo = "1.2" # keep me\n', 'foo = "=1.2.0" # keep me\n'],
		['literal string keeps its quotes', "foo = '1.2'\n", "foo = '=1.2.0'\n"],
		['inline table: only the version changes', 'foo = { version = "1.2", features = ["a", "b"], default-features = false }\n', 'foo = { version = "=1.2.0", features = ["a", "b"], default-features = false }\n'],
		['inline table, version last and odd spacing', 'foo = {features=["a"],version="^1.2"}\n', 'foo = {features=["a"],version="=1.2.0"}\n'],
		['dotted keys', 'foo.features = ["a"]\nfoo.version = "1.2"   # why\n', 'foo.features = ["a"]\nfoo.version = "=1.2.0"   # why\n'],
		['renamed', 'bar = { package = "foo", version = "1.2" }\n', 'bar = { package = "foo", version = "=1.2.0" }\n'],
	];
	for (const [name, entry, expected] of cases) {
		const { texts } = pinFoo({ '/ws/Cargo.toml': `${PACKAGE}[dependencies]\n${entry}` });
		assert.equal(texts['/ws/Cargo.toml'], `${PACKAGE}[dependencies]\n${expected}`, name);
	}
});

test('a [dependencies.foo] table, target tables, dev- and build-dependencies: every entry of the package is edited', () => {
	const before = `${PACKAGE}[dependencies.foo]\n# the version\nversion = "1.2"\nfeatures = ["x"]\n\n[target.'cfg(unix)'.dependencies]\nfoo = "1"\n\n[dev-dependencies]\nfoo = { version = "~1.2" }\n\n[build-dependencies]\nfoo = "1.2.1"\n`;
	const after = `${PACKAGE}[dependencies.foo]\n# the version\nversion = "=1.2.0"\nfeatures = ["x"]\n\n[target.'cfg(unix)'.dependencies]\nfoo = "=1.2.0"\n\n[dev-dependencies]\nfoo = { version = "=1.2.0" }\n\n[build-dependencies]\nfoo = "=1.2.0"\n`;
	assert.equal(pinFoo({ '/ws/Cargo.toml': before }).texts['/ws/Cargo.toml'], after);
});

test('`workspace = true` edits the root`s [workspace.dependencies] entry once, from a member`s manifest too', () => {
	const root = '[workspace]\nmembers = ["a", "b"]\n\n[workspace.dependencies]\n# shared\nfoo = { version = "1.2", features = ["x"] }\n';
	const a = '[package]\nname = "a"\nversion = "0.1.0"\n\n[dependencies]\nfoo = { workspace = true, features = ["y"] }\n';
	const b = '[package]\nname = "b"\nversion = "0.1.0"\n\n[dependencies]\nfoo.workspace = true\n';
	const { texts, edits } = pinFoo({ '/ws/Cargo.toml': root, '/ws/a/Cargo.toml': a, '/ws/b/Cargo.toml': b }, lockfile(['a', 'b']));
	assert.equal(edits.length, 1);
	assert.equal(texts['/ws/Cargo.toml'], root.replace('"1.2"', '"=1.2.0"'));
	assert.equal(texts['/ws/a/Cargo.toml'], a);
	assert.equal(texts['/ws/b/Cargo.toml'], b);
});

test('an entry without a version of its own gets no edit', () => {
	const lock = ['version = 4', '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["foo"]', '[[package]]\nname = "foo"\nversion = "1.2.5"\nsource = "git+https://example.com/foo#0123456789abcdef0123456789abcdef01234567"'].join('\n\n');
	for (const entry of ['foo = { git = "https://example.com/foo" }', 'foo = { git = "https://example.com/foo", version = "1.2" }']) {
		assert.deepEqual(pinFoo({ '/ws/Cargo.toml': `${PACKAGE}[dependencies]\n${entry}\n` }, lock).edits, [], entry);
	}
});

test('the cargo update command, and none for names a shell would read as more than a name', () => {
	assert.equal(cargoUpdateCommand('tokio', '1.24.2', '1.23.0'), 'cargo update -p tokio@1.24.2 --precise 1.23.0');
	assert.equal(cargoUpdateCommand('foo;rm', '1.0.0', '0.9.0'), undefined);
	assert.equal(cargoUpdateCommand('foo', '1.0.0 && x', '0.9.0'), undefined);
	assert.equal(cargoUpdateCommand('foo', '1.0.0', '$(x)'), undefined);
});
