/** The Rust lexer: token kinds and extents for every literal, comment and identifier form, and unterminated input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RustLexer, TokenKind, lineColumn, type LexProblem } from '../../../server/src/sources/unsafeScan/rustLexer';

type Token = [TokenKind, string];

function tokens(source: string): { tokens: Token[]; problems: LexProblem[] } {
	const lexer = new RustLexer(source);
	const found: Token[] = [];
	for (let kind = lexer.next(); kind !== TokenKind.Eof; kind = lexer.next()) {
		assert.ok(lexer.end > lexer.start, `empty token at ${lexer.start}`);
		found.push([kind, source.slice(lexer.start, lexer.end)]);
	}
	return { tokens: found, problems: lexer.problems };
}

function checkTokens(source: string, expected: Token[]): void {
	const result = tokens(source);
	assert.deepEqual(result.tokens, expected);
	assert.deepEqual(result.problems, []);
}

function checkProblems(source: string, expected: Token[], problems: LexProblem[]): void {
	const result = tokens(source);
	assert.deepEqual(result.tokens, expected);
	assert.deepEqual(result.problems, problems);
}

const { Ident, RawIdent, Lifetime, Number, Char, Byte, Str, ByteStr, CStr, RawStr, RawByteStr, RawCStr, Punct, Shebang, LineComment, BlockComment, DocComment } = {
	Ident: TokenKind.Ident,
	RawIdent: TokenKind.RawIdent,
	Lifetime: TokenKind.Lifetime,
	Number: TokenKind.Number,
	Char: TokenKind.Char,
	Byte: TokenKind.Byte,
	Str: TokenKind.Str,
	ByteStr: TokenKind.ByteStr,
	CStr: TokenKind.CStr,
	RawStr: TokenKind.RawStr,
	RawByteStr: TokenKind.RawByteStr,
	RawCStr: TokenKind.RawCStr,
	Punct: TokenKind.Punct,
	Shebang: TokenKind.Shebang,
	LineComment: TokenKind.LineComment,
	BlockComment: TokenKind.BlockComment,
	DocComment: TokenKind.DocComment,
};

const cases: [string, string, Token[]][] = [
	['line comment', 'a // unsafe {\nb', [[Ident, 'a'], [LineComment, '// unsafe {'], [Ident, 'b']]],
	['line comment at end of file', 'a //', [[Ident, 'a'], [LineComment, '//']]],
	['nested block comment', '/* /* */ unsafe { */ x', [[BlockComment, '/* /* */ unsafe { */'], [Ident, 'x']]],
	['block comment closes once per opening', '/* a */ */', [[BlockComment, '/* a */'], [Punct, '*'], [Punct, '/']]],
	['slash star slash does not close', '/*/ x */y', [[BlockComment, '/*/ x */'], [Ident, 'y']]],
	['empty block comments', '/**/ /***/', [[BlockComment, '/**/'], [BlockComment, '/***/']]],
	['outer line doc', '/// unsafe fn\nx', [[DocComment, '/// unsafe fn'], [Ident, 'x']]],
	['inner line doc', '//! unsafe', [[DocComment, '//! unsafe']]],
	['four slashes are a plain comment', '//// x', [[LineComment, '//// x']]],
	['block docs', '/** unsafe {} */ /*! inner */', [[DocComment, '/** unsafe {} */'], [DocComment, '/*! inner */']]],
	['shebang', '#!/usr/bin/env run-cargo-script\nfn', [[Shebang, '#!/usr/bin/env run-cargo-script'], [Ident, 'fn']]],
	['inner attribute is not a shebang', '#![allow(x)]', [[Punct, '#'], [Punct, '!'], [Punct, '['], [Ident, 'allow'], [Punct, '('], [Ident, 'x'], [Punct, ')'], [Punct, ']']]],
	['spaced inner attribute is not a shebang', '#! [a]', [[Punct, '#'], [Punct, '!'], [Punct, '['], [Ident, 'a'], [Punct, ']']]],
	['comment before the bracket is not a shebang', '#! // c\n[a]', [[Punct, '#'], [Punct, '!'], [LineComment, '// c'], [Punct, '['], [Ident, 'a'], [Punct, ']']]],
	['shebang only at the start', 'x\n#!a', [[Ident, 'x'], [Punct, '#'], [Punct, '!'], [Ident, 'a']]],
	['shebang after a byte order mark', '\uFEFF#!/bin/x\ny', [[Shebang, '#!/bin/x'], [Ident, 'y']]],
	['byte order mark is skipped', '\uFEFFfn', [[Ident, 'fn']]],
	['escaped quote in a string', '"\\" unsafe {" x', [[Str, '"\\" unsafe {"'], [Ident, 'x']]],
	['escaped backslash ends a string', '"a\\\\" x', [[Str, '"a\\\\"'], [Ident, 'x']]],
	['multi-line string', '"a\nb" c', [[Str, '"a\nb"'], [Ident, 'c']]],
	['raw string has no escapes', 'r"a\\" b', [[RawStr, 'r"a\\"'], [Ident, 'b']]],
	['raw string with one hash', 'r#"a "q" b"# c', [[RawStr, 'r#"a "q" b"#'], [Ident, 'c']]],
	['raw string with two hashes holds "#', 'r##"a "# unsafe {"## c', [[RawStr, 'r##"a "# unsafe {"##'], [Ident, 'c']]],
	['raw identifier', 'r#unsafe {', [[RawIdent, 'r#unsafe'], [Punct, '{']]],
	['r alone is an identifier', 'r # x', [[Ident, 'r'], [Punct, '#'], [Ident, 'x']]],
	['byte string', 'b"a\\"b" c', [[ByteStr, 'b"a\\"b"'], [Ident, 'c']]],
	['raw byte string', 'br#"x"y"# z', [[RawByteStr, 'br#"x"y"#'], [Ident, 'z']]],
	['C string', 'c"hi\\"" z', [[CStr, 'c"hi\\""'], [Ident, 'z']]],
	['raw C string', 'cr#"x"# cr"y"', [[RawCStr, 'cr#"x"#'], [RawCStr, 'cr"y"']]],
	['identifiers starting with b, c, r', 'br bar cr car rr', [[Ident, 'br'], [Ident, 'bar'], [Ident, 'cr'], [Ident, 'car'], [Ident, 'rr']]],
	['byte char with escaped quote', "b'\\'' x", [[Byte, "b'\\''"], [Ident, 'x']]],
	['byte char', "b'a'", [[Byte, "b'a'"]]],
	['char literals', "'a' '\\n' '\\'' '\\\\' '\"'", [[Char, "'a'"], [Char, "'\\n'"], [Char, "'\\''"], [Char, "'\\\\'"], [Char, "'\"'"]]],
	['unicode escape char', "'\\u{1F600}' x", [[Char, "'\\u{1F600}'"], [Ident, 'x']]],
	['astral char', "'\u{1F980}' x", [[Char, "'\u{1F980}'"], [Ident, 'x']]],
	['lifetimes', "'a 'static '_ 'r#a", [[Lifetime, "'a"], [Lifetime, "'static"], [Lifetime, "'_"], [Lifetime, "'r#a"]]],
	['underscore char', "'_'", [[Char, "'_'"]]],
	['label', "'outer: loop { break 'outer; }", [[Lifetime, "'outer"], [Punct, ':'], [Ident, 'loop'], [Punct, '{'], [Ident, 'break'], [Lifetime, "'outer"], [Punct, ';'], [Punct, '}']]],
	[
		'lifetimes next to a char literal',
		"fn f<'a>(x: &'a str) -> char { 'a' }",
		[
			[Ident, 'fn'], [Ident, 'f'], [Punct, '<'], [Lifetime, "'a"], [Punct, '>'], [Punct, '('], [Ident, 'x'], [Punct, ':'], [Punct, '&'], [Lifetime, "'a"],
			[Ident, 'str'], [Punct, ')'], [Punct, '-'], [Punct, '>'], [Ident, 'char'], [Punct, '{'], [Char, "'a'"], [Punct, '}'],
		],
	],
	['char range', "'a'..='z'", [[Char, "'a'"], [Punct, '.'], [Punct, '.'], [Punct, '='], [Char, "'z'"]]],
	['lifetime list', "<'a,'b>", [[Punct, '<'], [Lifetime, "'a"], [Punct, ','], [Lifetime, "'b"], [Punct, '>']]],
	['punctuation is one char per token', 'a::b->c', [[Ident, 'a'], [Punct, ':'], [Punct, ':'], [Ident, 'b'], [Punct, '-'], [Punct, '>'], [Ident, 'c']]],
	['numbers', '1.0e-5f64 0x1F_u8 0b1010 1_000', [[Number, '1.0e-5f64'], [Number, '0x1F_u8'], [Number, '0b1010'], [Number, '1_000']]],
	['range keeps its dots', '1..2', [[Number, '1'], [Punct, '.'], [Punct, '.'], [Number, '2']]],
	['method on an integer', '1.max(2)', [[Number, '1'], [Punct, '.'], [Ident, 'max'], [Punct, '('], [Number, '2'], [Punct, ')']]],
	['hex is not an exponent', '0x1e+5', [[Number, '0x1e'], [Punct, '+'], [Number, '5']]],
	['non-ASCII identifier', 'let café = 1;', [[Ident, 'let'], [Ident, 'café'], [Punct, '='], [Number, '1'], [Punct, ';']]],
	['unicode whitespace', 'a\u2028b\u0085c', [[Ident, 'a'], [Ident, 'b'], [Ident, 'c']]],
	['macro variable', '$unsafe', [[Punct, '$'], [Ident, 'unsafe']]],
	['Token! macro', 'Token![unsafe]', [[Ident, 'Token'], [Punct, '!'], [Punct, '['], [Ident, 'unsafe'], [Punct, ']']]],
];

const problemCases: [string, string, Token[], LexProblem[]][] = [
	['unterminated string', 'a "abc unsafe {', [[Ident, 'a'], [Str, '"abc unsafe {']], [{ offset: 2, message: 'unterminated string literal' }]],
	['string ending in an escape', '"abc\\"', [[Str, '"abc\\"']], [{ offset: 0, message: 'unterminated string literal' }]],
	['unterminated byte string', 'b"x', [[ByteStr, 'b"x']], [{ offset: 0, message: 'unterminated string literal' }]],
	['unterminated raw string', 'r#"abc" x', [[RawStr, 'r#"abc" x']], [{ offset: 0, message: 'unterminated raw string literal' }]],
	['unterminated nested block comment', 'x /* /* */', [[Ident, 'x'], [BlockComment, '/* /* */']], [{ offset: 2, message: 'unterminated block comment' }]],
	['lone quote', "' x", [[Punct, "'"], [Ident, 'x']], [{ offset: 0, message: 'unterminated character literal' }]],
	['unclosed escape', "'\\n x", [[Punct, "'"], [Punct, '\\'], [Ident, 'n'], [Ident, 'x']], [{ offset: 0, message: 'unterminated character literal' }]],
	['unclosed byte char', "b'ab", [[Ident, 'b'], [Lifetime, "'ab"]], [{ offset: 0, message: 'unterminated byte literal' }]],
	['quote at end of file', "x '", [[Ident, 'x'], [Punct, "'"]], [{ offset: 2, message: 'unterminated character literal' }]],
];

describe('rustLexer', () => {
	for (const [name, source, expected] of cases) it(name, () => checkTokens(source, expected));
	for (const [name, source, expected, problems] of problemCases) it(name, () => checkProblems(source, expected, problems));

	it('reports a problem once when the same stretch is lexed again', () => {
		const lexer = new RustLexer('"abc');
		lexer.next();
		lexer.seek(0);
		lexer.next();
		assert.deepEqual(lexer.problems, [{ offset: 0, message: 'unterminated string literal' }]);
	});

	it('converts offsets to 1-based lines and columns', () => {
		assert.deepEqual(lineColumn('ab\ncd\n', 4), { line: 2, column: 2 });
		assert.deepEqual(lineColumn('ab', 0), { line: 1, column: 1 });
	});
});
