/**
 * The unsafe counter on real published sources: every crate Debian ships under /usr/share/cargo/registry
 * (install librust-*-dev packages to get them). Counts must come out without a throw, match facts checked by
 * hand, and agree with a plain token-by-token count. Skipped, saying so, when the directory is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PackageFile } from '../../server/src/sources/crateSource/readCrateArchive';
import { countUnsafe, emptyCounts, type UnsafeCounts } from '../../server/src/sources/unsafeScan/countUnsafe';
import { countPackageUnsafe, type PackageUnsafe } from '../../server/src/sources/unsafeScan/packageUnsafe';
import { RustLexer, TokenKind } from '../../server/src/sources/unsafeScan/rustLexer';

const REGISTRY = '/usr/share/cargo/registry';

/** Every file of a crate directory, relative and with `/`; Debian's own `debian/` folder is not part of the package. */
function packageFiles(dir: string, relative = ''): PackageFile[] {
	const files: PackageFile[] = [];
	for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
		const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
		if (entry.isDirectory() && path !== 'debian') files.push(...packageFiles(dir, path));
		else if (entry.isFile()) files.push({ path, bytes: readFileSync(join(dir, path)) });
	}
	return files;
}

/** The `[lib] path` of the manifest, else `src/lib.rs` when present, else none (a binary-only package). */
function libRoot(files: PackageFile[]): string | null {
	const manifest = files.find((file) => file.path === 'Cargo.toml');
	const lib = manifest && /^\[lib\][^[]*?^path\s*=\s*"([^"]+)"/m.exec(new TextDecoder().decode(manifest.bytes));
	if (lib?.[1]) return lib[1].replace(/^\.\//, '');
	return files.some((file) => file.path === 'src/lib.rs') ? 'src/lib.rs' : null;
}

function countCrate(name: string): { unsafe: PackageUnsafe; anomalies: { path: string; reason: string }[] } {
	const files = packageFiles(join(REGISTRY, name));
	return countPackageUnsafe(files, libRoot(files));
}

function checkCrate(name: string, expected: Partial<PackageUnsafe>): void {
	const { unsafe } = countCrate(name);
	assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, unsafe[key as keyof PackageUnsafe]])), expected);
}

/** An independent count over the full token stream, as the contract reads: the token after each `unsafe` keyword. */
function tokenCount(source: string): UnsafeCounts {
	const lexer = new RustLexer(source);
	const code: { kind: TokenKind; text: string; start: number; end: number }[] = [];
	for (let kind = lexer.next(); kind !== TokenKind.Eof; kind = lexer.next()) {
		if (kind < TokenKind.Shebang) code.push({ kind, text: source.slice(lexer.start, lexer.end), start: lexer.start, end: lexer.end });
	}
	const counts = emptyCounts();
	code.forEach((token, i) => {
		const before = code[i - 1];
		if (token.kind !== TokenKind.Ident || token.text !== 'unsafe' || (before?.text === '$' && before.end === token.start)) return;
		const next = (k: number): string => {
			const found = code[i + k];
			return found === undefined ? '' : found.kind === TokenKind.Str || found.kind === TokenKind.RawStr ? '"abi"' : found.text;
		};
		const [first, second, third] = [next(1), next(2), next(3)];
		if (first === '{') counts.blocks++;
		else if (first === 'fn') counts.functions++;
		else if (first === 'impl') counts.impls++;
		else if (first === 'trait' || (first === 'auto' && second === 'trait')) counts.traits++;
		else if (first === '(') counts.attributes++;
		else if (first === 'extern') {
			const after = second === '"abi"' ? third : second;
			if (after === 'fn') counts.functions++;
			else if (after === '{') counts.externBlocks++;
		}
	});
	return counts;
}

const facts: [string, Partial<PackageUnsafe>][] = [
	// #![forbid(unsafe_code)] in src/lib.rs, checked with grep.
	['humantime-2.1.0', { forbidsUnsafe: true, blocks: 0, functions: 0, files: 4 }],
	['regex-syntax-0.6.27', { forbidsUnsafe: true, blocks: 0, files: 31 }],
	// #![deny(unsafe_code)] is not forbid.
	['indexmap-1.9.2', { forbidsUnsafe: false }],
	// Line 135 of src/lib.rs is `//!     unsafe {` in a doc example; two blocks and one impl are code.
	['scopeguard-1.1.0', { blocks: 2, functions: 0, impls: 1, files: 1, forbidsUnsafe: false }],
	['lazy_static-1.4.0', { blocks: 1, impls: 1, files: 3 }],
	['itoa-1.0.1', { blocks: 5, functions: 0, files: 2 }],
	// 194 `unsafe fn` / `unsafe extern "C" fn` in code (2 more sit in comments of src/unix/nto/neutrino.rs) and 2
	// `unsafe extern fn` in macro_rules! bodies of src/macros.rs; the `unsafe {` in tests/const_fn.rs is left out.
	// Its `extern "C" {` blocks have no `unsafe` before them (that form is Rust 2024), so none count.
	['libc-0.2.139', { blocks: 123, functions: 196, impls: 2, traits: 0, externBlocks: 0, attributes: 0 }],
	['cfg-if-1.0.0', { blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0, files: 1 }],
];

const crates = existsSync(REGISTRY) ? readdirSync(REGISTRY).filter((name) => /^[\w.-]+-\d+\.\d+\.\d+/.test(name)).sort() : [];

describe('Debian crate sources', { skip: existsSync(REGISTRY) ? false : `${REGISTRY} is absent; install librust-*-dev packages to run` }, () => {
	it('counts every crate without a throw or an anomaly', () => {
		let counted = 0;
		for (const name of crates) {
			const { unsafe, anomalies } = countCrate(name);
			// Debian's crates compile, so an unterminated literal here would be a lexer bug.
			assert.deepEqual(anomalies, [], name);
			if (unsafe.files > 0) counted++;
		}
		assert.ok(counted >= 10, `only ${counted} crates with .rs files`);
	});

	for (const [name, expected] of facts) it(`knows ${name}`, { skip: crates.includes(name) ? false : `${name} not installed` }, () => checkCrate(name, expected));

	it('agrees with a token-by-token count on every .rs file', () => {
		for (const name of crates) {
			for (const file of packageFiles(join(REGISTRY, name))) {
				if (!file.path.endsWith('.rs')) continue;
				const source = new TextDecoder().decode(file.bytes);
				assert.deepEqual(countUnsafe(source).counts, tokenCount(source), `${name}/${file.path}`);
			}
		}
	});
});
