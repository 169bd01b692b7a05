/**
 * Typing a dependency passes through states such as a bare `instant` line: that one broken statement must cost one
 * problem on its own line and nothing else; every other entry keeps its ranges (shifted by the inserted line).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseManifest } from '../../../server/src/engine/manifest/parseManifest';
import type { DependencySpec } from '../../../server/src/engine/manifest/types';
import type { Problem, TextRange } from '../../../server/src/engine/text';
import { sharedDataDir } from '../../support/paths';

/** Written for these tests, in the shape of wasmtime's root manifest: a package with a workspace, many tables. */
const WASMTIME_LIKE = `[package]
name = "wasmtime-cli"
version.workspace = true
edition.workspace = true
exclude = [
  'tests/disas',
  'docs',
]

[package.metadata.binstall]
pkg-fmt = "txz"

[lints]
workspace = true

[[bin]]
name = "wasmtime"
path = "src/bin/wasmtime.rs"

[dependencies]
wasmtime = { workspace = true, features = ['cache', 'cranelift'] }
wasmtime-cli-flags = { workspace = true, optional = true }
clap = { workspace = true }
anyhow = { workspace = true }
target-lexicon = { workspace = true }
# A comment between entries.
once_cell = { workspace = true }
listenfd = { version = "1.0.0", optional = true }

[target.'cfg(unix)'.dependencies]
rustix = { workspace = true, features = ["mm", "param", "process"] }

[dev-dependencies]
tempfile = { workspace = true }
filecheck = { workspace = true }

[dev-dependencies.wasmtime]
workspace = true
features = ['call-hook']

[workspace]
resolver = '2'
members = [
  "cranelift",
  "crates/bench-api",
]
exclude = ['docs/rust_wasi_markdown_parser']

[workspace.package]
version = "30.0.0"
edition = "2021"

[workspace.dependencies]
wasmtime = { path = "crates/wasmtime", version = "30.0.0", default-features = false }
wasmtime-cli-flags = { path = "crates/cli-flags", version = "=30.0.0" }
cranelift-codegen = { path = "cranelift/codegen", version = "0.117.0", default-features = false, features = ["std", "unwind"] }

anyhow = { version = "1.0.93", default-features = false }
clap = { version = "4.5.17", default-features = false, features = ["std", "derive"] }
target-lexicon = "0.13.0"
once_cell = "1.12.0"
rustix = "0.38.43"
tempfile = "3.1.0"
filecheck = "0.5.0"

[features]
default = ["wasmtime/default"]

[profile.release.build-override]
opt-level = 0
`;

const INSERTED = 'instant\n';

/** A range after the insertion moves down; one around it (a table holding the new line) grows. */
function shift(range: TextRange, at: number): TextRange {
	if (range.start >= at) return { start: range.start + INSERTED.length, end: range.end + INSERTED.length };
	return range.end > at ? { start: range.start, end: range.end + INSERTED.length } : range;
}

function shiftSpec(spec: DependencySpec, at: number): DependencySpec {
	return { ...spec, keyRange: shift(spec.keyRange, at), entryRange: shift(spec.entryRange, at), versionRange: spec.versionRange && shift(spec.versionRange, at) };
}

/** Inserts `instant` as a line of its own at `at` and checks the parse against the unbroken file's. */
function checkInsertion(text: string, at: number, label: string): void {
	const before = parseManifest(text);
	const broken = text.slice(0, at) + INSERTED + text.slice(at);
	const after = parseManifest(broken);
	const syntax = after.problems.filter((problem) => problem.code === 'toml-parse');
	assert.equal(syntax.length, 1, `${label}: one syntax problem, got ${JSON.stringify(syntax.map((p) => [p.message, broken.slice(p.range.start, p.range.end)]))}`);
	const [problem] = syntax as [Problem];
	assert.deepEqual(problem.range, { start: at, end: at + 'instant'.length }, `${label}: the problem is on the inserted line`);
	assert.doesNotMatch(problem.message, /\d+:\d+/, `${label}: no parser position in the message`);
	// Everything else is as before, moved down one line.
	assert.deepEqual(
		after.problems.filter((p) => p !== problem),
		before.problems.map((p) => ({ ...p, range: shift(p.range, at) })),
		label,
	);
	assert.deepEqual(after.value.dependencies, before.value.dependencies.map((spec) => shiftSpec(spec, at)), label);
	assert.deepEqual(after.value.workspace?.dependencies, before.value.workspace?.dependencies.map((spec) => shiftSpec(spec, at)), label);
}

/** The offsets right after each dependency table header, and right before each header that follows one. */
function insertionPoints(text: string): { at: number; label: string }[] {
	const points: { at: number; label: string }[] = [];
	const headers = [...text.matchAll(/^\[.*\]\r?\n/gm)];
	for (const [i, header] of headers.entries()) {
		if (!/dependencies/.test(header[0])) continue;
		points.push({ at: header.index + header[0].length, label: `after ${header[0].trim()}` });
		const next = headers[i + 1];
		if (next) points.push({ at: next.index, label: `before ${next[0].trim()}, at the end of ${header[0].trim()}` });
	}
	return points;
}

describe('typing a dependency: a bare key line', () => {
	test('the fixture parses cleanly and has entries in every table', () => {
		const { value, problems } = parseManifest(WASMTIME_LIKE);
		assert.deepEqual(problems, []);
		assert.equal(value.dependencies.length, 11);
		assert.equal(value.workspace?.dependencies.length, 10);
	});

	for (const { at, label } of insertionPoints(WASMTIME_LIKE)) {
		test(`${label}: one problem on that line, every other entry unchanged`, () => checkInsertion(WASMTIME_LIKE, at, label));
	}

	test('with CRLF line endings too', () => {
		const text = WASMTIME_LIKE.replace(/\n/g, '\r\n');
		const at = text.indexOf('[dependencies]\r\n') + '[dependencies]\r\n'.length;
		const broken = `${text.slice(0, at)}instant\r\n${text.slice(at)}`;
		const { problems, value } = parseManifest(broken);
		assert.deepEqual(
			problems.map((p) => [p.code, broken.slice(p.range.start, p.range.end)]),
			[['toml-parse', 'instant']],
		);
		assert.equal(value.dependencies.length, 11);
	});
});

const dataDir = sharedDataDir();
const workspaces = dataDir && join(dataDir, 'workspaces');

test('the same on the real root manifests of the shared workspaces', { skip: workspaces ? false : '../shared/data is absent: the real manifests are not checked' }, () => {
	for (const name of readdirSync(workspaces!)) {
		let text: string;
		try {
			text = readFileSync(join(workspaces!, name, 'Cargo.toml'), 'utf8');
		} catch {
			continue;
		}
		for (const { at, label } of insertionPoints(text)) checkInsertion(text, at, `${name}: ${label}`);
	}
});
