/**
 * Hostile sizes and shapes of TOML: no crash, no stack overflow, and one problem for the statement at fault while
 * everything else is read. Inputs are generated here, at the sizes that broke before, rather than committed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLockfile, parseLockfileWithToml } from '../../../server/src/engine/lockfile/parseLockfile';
import { scanCanonicalLockfile } from '../../../server/src/engine/lockfile/scanCanonicalLockfile';
import { parseManifest } from '../../../server/src/engine/manifest/parseManifest';
import type { Problem } from '../../../server/src/engine/text';

function problemsAsText(text: string, problems: readonly Problem[]): [string, string][] {
	return problems.map((problem) => [problem.code, text.slice(problem.range.start, problem.range.end)]);
}

describe('large and deep manifests', () => {
	test('270k dependencies under one target are all read (no spread of them onto the stack)', () => {
		const count = 270_000;
		const lines = ['[package]', 'name = "big"', 'version = "0.1.0"', '', '[dependencies]', 'serde = "1"', '', "[target.'cfg(x)'.dependencies]"];
		for (let i = 0; i < count; i++) lines.push(`d${i} = "1"`);
		lines.push("[target.'cfg(unix)'.dependencies]", 'libc = "0.2"');
		const text = `${lines.join('\n')}\n`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problems, []);
		assert.equal(value.dependencies.length, count + 2);
		const last = value.dependencies[count]!;
		assert.deepEqual([last.key, last.table, text.slice(last.keyRange.start, last.keyRange.end)], [`d${count - 1}`, { kind: 'normal', target: 'cfg(x)' }, `d${count - 1}`]);
	});

	test('100k nested arrays cost their own statement, not the file', () => {
		const depth = 100_000;
		const deep = `a = ${'['.repeat(depth)}${']'.repeat(depth)}`;
		const text = `[package]\nname = "deep"\n${deep}\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\nrand = { version = "0.8", features = [["x"]] }\n`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problemsAsText(text, problems), [['toml-parse', deep]]);
		assert.match(problems[0]!.message, /more than 128 levels deep/);
		assert.deepEqual([value.packageName, value.packageVersion], ['deep', '0.1.0']);
		assert.deepEqual(
			value.dependencies.map((spec) => spec.key),
			['serde', 'rand'],
		);
	});

	test('100k nested inline tables, and a 100k-part dotted key, are the same', () => {
		const depth = 100_000;
		const tables = `b = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}`;
		const dotted = `${'x.'.repeat(depth)}y = 1`;
		const text = `[workspace.package]\n${tables}\n${dotted}\nversion = "1.0.0"\n[dependencies]\nserde = "1"\n`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problemsAsText(text, problems), [
			['toml-parse', tables],
			['toml-parse', dotted],
		]);
		assert.deepEqual(value.workspacePackage, { version: '1.0.0' });
		assert.deepEqual(
			value.dependencies.map((spec) => spec.key),
			['serde'],
		);
	});

	test('a table header nested too deep is dropped with its keys, which do not fall into the table before', () => {
		const header = `[${Array.from({ length: 200 }, () => 'a').join('.')}]`;
		const text = `[dependencies]\nserde = "1"\n${header}\nnot-a-dependency = "1"\n\n[dev-dependencies]\ntempfile = "3"\n`;
		const { value, problems } = parseManifest(text);
		assert.deepEqual(problemsAsText(text, problems), [['toml-parse', header]]);
		assert.deepEqual(
			value.dependencies.map((spec) => spec.key),
			['serde', 'tempfile'],
		);
	});

	test('nesting as deep as real manifests go is read as usual', () => {
		const text = `[dependencies]\nfoo = { version = "1", features = [${'['.repeat(100)}${']'.repeat(100)}] }\n`;
		assert.deepEqual(parseManifest(text).problems, []);
	});
});

describe('a byte-order mark', () => {
	const manifest = '[package]\nname = "app"\n\n[dependencies]\nserde = "1"\n';

	test('at the start of Cargo.toml is skipped, as cargo does, and ranges are offsets into the text as given', () => {
		const withBom = `\ufeff${manifest}`;
		const plain = parseManifest(manifest);
		const bom = parseManifest(withBom);
		assert.deepEqual(bom.problems, []);
		assert.equal(bom.value.packageName, 'app');
		const [serde] = bom.value.dependencies;
		assert.equal(withBom.slice(serde!.keyRange.start, serde!.keyRange.end), 'serde');
		assert.equal(serde!.keyRange.start, plain.value.dependencies[0]!.keyRange.start + 1);
	});

	test('does not shift the range of a syntax error after it', () => {
		const text = `\ufeff${manifest}tokio = \n`;
		const { problems, value } = parseManifest(text);
		assert.deepEqual(problemsAsText(text, problems), [['toml-parse', 'tokio = ']]);
		assert.deepEqual(
			value.dependencies.map((spec) => spec.key),
			['serde'],
		);
	});

	test('at the start of Cargo.lock is skipped by the fast reader and the parser alike', () => {
		const lock = 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n';
		const text = `\ufeff${lock}`;
		assert.notEqual(scanCanonicalLockfile(text), undefined, 'the fast reader takes it');
		const parsed = parseLockfile(text);
		assert.deepEqual(parsed, parseLockfileWithToml(text));
		assert.deepEqual(parsed.problems, []);
		assert.equal(parsed.value.version, 4);
		const [app] = parsed.value.packages;
		assert.equal(text.slice(app!.nameRange.start, app!.nameRange.end), '"app"');
	});
});
