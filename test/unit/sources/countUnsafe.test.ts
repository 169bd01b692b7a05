/**
 * Counting `unsafe` as cli-report.md defines it: what each keyword is classified as by the token after it,
 * what is not code, `#![forbid(unsafe_code)]`, unterminated input, and the package totals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countUnsafe, emptyCounts, type UnsafeCounts } from '../../../server/src/sources/unsafeScan/countUnsafe';
import { countPackageUnsafe } from '../../../server/src/sources/unsafeScan/packageUnsafe';

function checkCounts(source: string, expected: Partial<UnsafeCounts>): void {
	assert.deepEqual(countUnsafe(source).counts, { ...emptyCounts(), ...expected });
}

function checkForbids(source: string, expected: boolean): void {
	assert.equal(countUnsafe(source).forbidsUnsafe, expected);
}

function checkProblems(source: string, counts: Partial<UnsafeCounts>, problems: string[]): void {
	const scan = countUnsafe(source);
	assert.deepEqual(scan.counts, { ...emptyCounts(), ...counts });
	assert.deepEqual(scan.problems, problems);
}

const countCases: [string, string, Partial<UnsafeCounts>][] = [
	['block', 'fn f() { unsafe { g() } }', { blocks: 1 }],
	['block after a comment', 'unsafe /* why */ { }', { blocks: 1 }],
	['function', 'unsafe fn f() {}', { functions: 1 }],
	['pub function', 'pub unsafe fn f() {}', { functions: 1 }],
	['const unsafe fn', 'pub(crate) const unsafe fn f() {}', { functions: 1 }],
	['function after a line comment', 'unsafe // why\nfn f() {}', { functions: 1 }],
	['extern "C" function', 'pub unsafe extern "C" fn f() {}', { functions: 1 }],
	['extern function with the default ABI', 'unsafe extern fn f() {}', { functions: 1 }],
	['extern function with a raw ABI string', 'unsafe extern r"C" fn f() {}', { functions: 1 }],
	['function pointer types count as functions', 'let f: unsafe fn(u8) = g; let h: unsafe extern "C" fn() = i;', { functions: 2 }],
	['extern "C" block', 'unsafe extern "C" { fn abs(x: i32) -> i32; }', { externBlocks: 1 }],
	['extern block with the default ABI', 'unsafe extern { }', { externBlocks: 1 }],
	['extern block with comments inside the header', 'unsafe /* a */ extern /* b */ "C" /* c */ {}', { externBlocks: 1 }],
	['impl', 'unsafe impl Send for X {}', { impls: 1 }],
	['generic impl', 'unsafe impl<T: Send> Sync for X<T> {}', { impls: 1 }],
	['trait', 'pub unsafe trait T {}', { traits: 1 }],
	['auto trait', 'pub unsafe auto trait Send {}', { traits: 1 }],
	['attribute', '#[unsafe(no_mangle)] pub extern "C" fn f() {}', { attributes: 1 }],
	['attribute with arguments', '#[unsafe(export_name = "f")]', { attributes: 1 }],
	['all forms together', 'unsafe {} unsafe fn a() {} unsafe impl X for Y {} unsafe trait Z {} unsafe extern "C" {} #[unsafe(no_mangle)]', {
		blocks: 1, functions: 1, impls: 1, traits: 1, externBlocks: 1, attributes: 1,
	}],
	['Token![unsafe] is not counted', 'Token![unsafe]', {}],
	['macro variable $unsafe is not counted', 'macro_rules! m { ($unsafe:ident) => { $unsafe { } }; }', {}],
	['raw identifier is not the keyword', 'let r#unsafe = 1; r#unsafe { }', {}],
	['longer words are not the keyword', 'unsafe_code unsafety is_unsafe unsafe2 {', {}],
	['unsafe const fn is not valid Rust and is not counted', 'unsafe const fn f() {}', {}],
	['unsafe extern followed by something else', 'unsafe extern "C" static X: u8;', {}],
	['unsafe auto followed by something else', 'unsafe auto {', {}],
	['unsafe at end of file', 'unsafe', {}],
	['unsafe extern "C" at end of file', 'unsafe extern "C"', {}],
	['unsafe in a string inside a macro', 'println!("unsafe {}", x); format!("unsafe fn")', {}],
	['escaped quote keeps the string open', 'let s = "\\" unsafe {"; unsafe {}', { blocks: 1 }],
	['raw string with "# inside', 'r##"a "# unsafe { "##; unsafe {}', { blocks: 1 }],
	['byte, C and raw strings', 'b"unsafe {" br#"unsafe {"# c"unsafe {" cr"unsafe {"', {}],
	['quote inside a char literal does not open a string', "let q = '\"'; unsafe {} let r = '\"';", { blocks: 1 }],
	['escaped quote char literal', "b'\\\"'; unsafe {}", { blocks: 1 }],
	['slash char literal does not open a comment', "let s = '/'; unsafe {}", { blocks: 1 }],
	['escaped single quote byte', "let q = b'\\''; unsafe {}", { blocks: 1 }],
	['line comment', '// unsafe {\nx', {}],
	['nested block comment', '/* /* */ unsafe { */ unsafe {}', { blocks: 1 }],
	['doc comments containing unsafe', '/// unsafe fn\n//! unsafe {}\n/** unsafe impl */\n/*! unsafe trait */\nfn f() {}', {}],
	['lifetimes next to char literals', "fn f<'a>(x: &'a str) -> char { 'a' } unsafe fn g<'b>(y: &'b u8) -> char { '\"' }", { functions: 1 }],
	['label named like a lifetime', "'outer: loop { unsafe { break 'outer; } }", { blocks: 1 }],
	['macro_rules bodies are counted', 'macro_rules! m { ($e:expr) => { unsafe { $e } }; }', { blocks: 1 }],
	['string in a macro next to code', 'm!("unsafe {" unsafe { x })', { blocks: 1 }],
	['shebang line is not code', '#!/usr/bin/unsafe {\nfn main() {}', {}],
	['inner attribute on the first line is code', '#![allow(unsafe_code)]\nunsafe fn f() {}', { functions: 1 }],
	['byte order mark', '\uFEFFunsafe {}', { blocks: 1 }],
	['non-ASCII letters extend the word', 'éunsafe {} unsafeé {} unsafe {}', { blocks: 1 }],
];

const forbidCases: [string, string, boolean][] = [
	['forbid', '#![forbid(unsafe_code)]\nfn f() {}', true],
	['forbid in a list', '#![forbid(unsafe_code, missing_docs)]', true],
	['forbid last in a list', '#![forbid(missing_docs, unsafe_code)]', true],
	['forbid with a reason', '#![forbid(unsafe_code, reason = "no")]', true],
	['whitespace and comments between tokens', '# ! [ forbid /* a */ ( // b\n unsafe_code ) ]', true],
	['after doc comments and other inner attributes', '//! Docs.\n#![doc = include_str!("../README.md")]\n#![cfg_attr(docsrs, feature(doc_cfg))]\n#![forbid(unsafe_code)]', true],
	['after a shebang', '#!/usr/bin/env x\n#![forbid(unsafe_code)]', true],
	['after a byte order mark', '\uFEFF#![forbid(unsafe_code)]', true],
	['deny is not forbid', '#![deny(unsafe_code)]', false],
	['conditional forbid is not forbid', '#![cfg_attr(feature = "x", forbid(unsafe_code))]', false],
	['other lint', '#![forbid(unsafe_op_in_unsafe_fn)]', false],
	['outer attribute', '#[forbid(unsafe_code)]\nfn f() {}', false],
	['in a line comment', '// #![forbid(unsafe_code)]', false],
	['in a block comment', '/* #![forbid(unsafe_code)] */', false],
	['in a string', 'const S: &str = "#![forbid(unsafe_code)]";', false],
	['inside a module', 'mod m { #![forbid(unsafe_code)] }', false],
	['after the first item', 'use x;\n#![forbid(unsafe_code)]', false],
	['unterminated attribute', '#![forbid(unsafe_code', false],
	['none', 'fn f() {}', false],
];

describe('countUnsafe', () => {
	for (const [name, source, expected] of countCases) it(name, () => checkCounts(source, expected));
	for (const [name, source, expected] of forbidCases) it(`forbidsUnsafe: ${name}`, () => checkForbids(source, expected));

	it('counts up to an unterminated string and reports where it starts', () => {
		checkProblems('unsafe {}\nlet s = "abc; unsafe {}', { blocks: 1 }, ['unterminated string literal at line 2, column 9']);
	});
	it('reports an unterminated raw string', () => {
		checkProblems('unsafe fn f() {} r#"x"', { functions: 1 }, ['unterminated raw string literal at line 1, column 18']);
	});
	it('reports an unterminated block comment', () => {
		checkProblems('unsafe {} /* /* */ unsafe {}', { blocks: 1 }, ['unterminated block comment at line 1, column 11']);
	});
	it('reports an unterminated ABI string once', () => {
		checkProblems('unsafe extern "C', {}, ['unterminated string literal at line 1, column 15']);
	});
});

const encoder = new TextEncoder();

function file(path: string, text: string): { path: string; bytes: Uint8Array } {
	return { path, bytes: encoder.encode(text) };
}

describe('countPackageUnsafe', () => {
	it('sums every .rs file except top-level tests/, benches/ and examples/', () => {
		const { unsafe, anomalies } = countPackageUnsafe([
			file('src/lib.rs', '#![forbid(unsafe_code)]\nmod a;'),
			file('src/a.rs', 'unsafe fn f() {} unsafe {}'),
			file('src/tests/b.rs', 'unsafe impl X for Y {}'),
			file('build.rs', 'unsafe {}'),
			file('tests/t.rs', 'unsafe {}'),
			file('benches/b.rs', 'unsafe {}'),
			file('examples/e.rs', 'unsafe {}'),
			file('README.md', 'unsafe {}'),
		]);
		assert.deepEqual(unsafe, { blocks: 2, functions: 1, impls: 1, traits: 0, externBlocks: 0, attributes: 0, files: 4, forbidsUnsafe: true });
		assert.deepEqual(anomalies, []);
	});

	it('takes forbidsUnsafe from the library root only', () => {
		const files = [file('src/lib.rs', 'fn f() {}'), file('src/main.rs', '#![forbid(unsafe_code)]')];
		assert.equal(countPackageUnsafe(files).unsafe.forbidsUnsafe, false);
		assert.equal(countPackageUnsafe(files, 'src/main.rs').unsafe.forbidsUnsafe, true);
	});

	it('reports a missing library root, unless there is no library', () => {
		const files = [file('src/main.rs', 'unsafe {}')];
		assert.deepEqual(countPackageUnsafe(files).anomalies, [{ path: 'src/lib.rs', reason: 'library root not in the package; forbidsUnsafe is false' }]);
		assert.deepEqual(countPackageUnsafe(files, null).anomalies, []);
	});

	it('counts invalid UTF-8 anyway and marks the file', () => {
		const bytes = new Uint8Array([...encoder.encode('unsafe { "'), 0xff, 0xfe, ...encoder.encode('" } unsafe fn f() {}')]);
		const { unsafe, anomalies } = countPackageUnsafe([{ path: 'src/lib.rs', bytes }]);
		assert.equal(unsafe.blocks, 1);
		assert.equal(unsafe.functions, 1);
		assert.deepEqual(anomalies, [{ path: 'src/lib.rs', reason: 'not valid UTF-8; counted with the invalid bytes replaced' }]);
	});

	it('records unterminated literals per file', () => {
		const { unsafe, anomalies } = countPackageUnsafe([file('src/lib.rs', 'unsafe {}'), file('src/x.rs', 'unsafe fn f() {}\n"open')]);
		assert.equal(unsafe.files, 2);
		assert.equal(unsafe.functions, 1);
		assert.deepEqual(anomalies, [{ path: 'src/x.rs', reason: 'unterminated string literal at line 2, column 1' }]);
	});
});
