/**
 * Counts `unsafe` usage in Rust source without compiling it, as cli-report.md ("What each signal means" →
 * `unsafe`) defines: every `unsafe` keyword outside comments, strings and character literals, macro bodies
 * included, classified by the token that follows it; and whether the file forbids unsafe code.
 *
 * Speed: a comment, string or character literal can only start at `/`, `"` or `'` (prefixes such as `br#`
 * sit just before the quote), so the scan jumps between those characters and `unsafe` with `indexOf`, which
 * V8 runs natively, and hands each one to the lexer, which alone decides where the token ends. Lexing
 * every token in JS would be several times slower and see the same code.
 */
import type { UnsafeCounts } from '../../engine/unsafe/types';
import { isIdentContinue, lineColumn, RustLexer, TokenKind } from './rustLexer';

export type { UnsafeCounts };

export interface UnsafeScan {
	counts: UnsafeCounts;
	/** The file has the inner attribute `#![forbid(unsafe_code)]` at its top level. */
	forbidsUnsafe: boolean;
	/**
	 * Unterminated strings and block comments, with their line and column: nothing after them is counted. A
	 * stray `'` is not reported: it hides nothing, so the scan never looks at quotes.
	 */
	problems: string[];
}

/** What the tokens since the last `unsafe` have been, while they may still make a counted form. */
const enum After {
	Nothing,
	Unsafe,
	UnsafeExtern,
	UnsafeExternAbi,
	UnsafeAuto,
}

const HASH = 35;
const DOLLAR = 36;
const QUOTE = 39;
const BACKSLASH = 92;
const LOWER_B = 98;
const LOWER_C = 99;
const LOWER_R = 114;
const BYTE_ORDER_MARK = 0xfeff;

export function emptyCounts(): UnsafeCounts {
	return { blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 };
}

export function countUnsafe(source: string): UnsafeScan {
	const n = source.length;
	const lexer = new RustLexer(source);
	const counts = emptyCounts();
	let pos = codeStart(lexer);
	let slash = -1;
	let doubleQuote = -1;
	let keyword = -1;
	for (;;) {
		if (slash < pos) slash = find(source, '/', pos);
		if (doubleQuote < pos) doubleQuote = find(source, '"', pos);
		if (keyword < pos) keyword = find(source, 'unsafe', pos);
		let at = slash < doubleQuote ? slash : doubleQuote;
		if (keyword < at) at = keyword;
		if (at >= n) break;
		if (at === keyword) {
			pos = at + 6;
			if (isKeyword(source, at)) classify(lexer, pos, counts);
		} else if (isCharLiteral(source, at)) pos = at + 2;
		else pos = skipToken(lexer, at === slash ? at : literalStart(source, at, pos));
	}
	const problems = lexer.problems.map(({ offset, message }) => {
		const { line, column } = lineColumn(source, offset);
		return `${message} at line ${line}, column ${column}`;
	});
	return { counts, forbidsUnsafe: forbidsUnsafeCode(lexer), problems };
}

/** Where code starts: after a byte order mark and a shebang line. */
function codeStart(lexer: RustLexer): number {
	lexer.reset();
	return lexer.next() === TokenKind.Shebang ? lexer.end : lexer.start;
}

function find(source: string, what: string, from: number): number {
	const at = source.indexOf(what, from);
	return at < 0 ? source.length : at;
}

/**
 * `unsafe` at `at` is the keyword unless it is part of a longer word, a raw identifier `r#unsafe`, a macro
 * variable `$unsafe` or a label `'unsafe`.
 */
function isKeyword(source: string, at: number): boolean {
	if (isIdentContinue(source.charCodeAt(at + 6))) return false;
	const before = source.charCodeAt(at - 1);
	if (before === DOLLAR || before === QUOTE || (isIdentContinue(before) && !(at === 1 && before === BYTE_ORDER_MARK))) return false;
	return !(before === HASH && source.charCodeAt(at - 2) === LOWER_R && !isIdentContinue(source.charCodeAt(at - 3)));
}

/**
 * Where the token starting at `start` ends; after a comment, the following comments too (doc comments come in
 * runs of lines, and one lexer call is cheaper than a new search for `/`).
 */
function skipToken(lexer: RustLexer, start: number): number {
	lexer.seek(start);
	let kind = lexer.next();
	while (kind >= TokenKind.LineComment) {
		kind = lexer.next();
		if (kind !== TokenKind.Eof && kind < TokenKind.LineComment) return lexer.start;
	}
	return lexer.end;
}

/**
 * Whether the `/` or `"` at `at` is the character of `'/'`, `'"'` or `'\"'` (`b` prefixed or not). In code a
 * `'` only starts such a literal or a lifetime, and neither hides anything else, so `'` needs no search of its own.
 */
function isCharLiteral(source: string, at: number): boolean {
	if (source.charCodeAt(at + 1) !== QUOTE) return false;
	const before = source.charCodeAt(at - 1);
	return before === QUOTE || (before === BACKSLASH && source.charCodeAt(at - 2) === QUOTE);
}

/** Where the string whose `"` is at `at` starts, its prefix (`b"`, `c"`, `r#"`, `br"`, `cr##"`) included; never before `from`. */
function literalStart(source: string, at: number, from: number): number {
	let start = at;
	while (source.charCodeAt(start - 1) === HASH) start--;
	if (source.charCodeAt(start - 1) === LOWER_R) start--;
	else if (start !== at) return at;
	const prefix = source.charCodeAt(start - 1);
	if (prefix === LOWER_B || prefix === LOWER_C) start--;
	return start >= from && !isIdentContinue(source.charCodeAt(start - 1)) ? start : at;
}

/** Counts the form that the tokens after the `unsafe` ending at `offset` make, skipping comments between them. */
function classify(lexer: RustLexer, offset: number, counts: UnsafeCounts): void {
	lexer.seek(offset);
	let after = After.Unsafe;
	while (after !== After.Nothing) {
		const kind = lexer.next();
		if (kind === TokenKind.Eof) return;
		if (kind < TokenKind.LineComment) after = follow(after, kind, lexer.source.slice(lexer.start, lexer.end), counts);
	}
}

function follow(after: After, kind: TokenKind, token: string, counts: UnsafeCounts): After {
	const word = kind === TokenKind.Ident ? token : '';
	const brace = kind === TokenKind.Punct && token === '{';
	switch (after) {
		case After.Unsafe:
			if (brace) counts.blocks++;
			else if (word === 'fn') counts.functions++;
			else if (word === 'impl') counts.impls++;
			else if (word === 'trait') counts.traits++;
			else if (kind === TokenKind.Punct && token === '(') counts.attributes++;
			else if (word === 'extern') return After.UnsafeExtern;
			else if (word === 'auto') return After.UnsafeAuto;
			return After.Nothing;
		case After.UnsafeExtern:
		case After.UnsafeExternAbi:
			// The ABI string is optional: `unsafe extern fn` and `unsafe extern {` use the default one.
			if (after === After.UnsafeExtern && (kind === TokenKind.Str || kind === TokenKind.RawStr)) return After.UnsafeExternAbi;
			if (word === 'fn') counts.functions++;
			else if (brace) counts.externBlocks++;
			return After.Nothing;
		case After.UnsafeAuto:
			if (word === 'trait') counts.traits++;
			return After.Nothing;
		default:
			return After.Nothing;
	}
}

/**
 * Whether the file's inner attributes include `#![forbid(..., unsafe_code, ...)]`. Inner attributes of a file
 * come before its first item, so only the head of the file is read, one token at a time.
 */
function forbidsUnsafeCode(lexer: RustLexer): boolean {
	const source = lexer.source;
	lexer.reset();
	for (;;) {
		if (codeToken(lexer) !== '#' || codeToken(lexer) !== '!' || codeToken(lexer) !== '[') return false;
		const forbid = codeToken(lexer) === 'forbid' && codeToken(lexer) === '(';
		let unsafeCode = false;
		for (let depth = forbid ? 2 : 1; depth > 0; ) {
			const token = codeToken(lexer);
			if (token === '') return false;
			if (token === '[' || token === '(' || token === '{') depth++;
			else if (token === ']' || token === ')' || token === '}') depth--;
			else if (forbid && depth === 2 && token === 'unsafe_code' && lexer.kind === TokenKind.Ident) unsafeCode = true;
		}
		if (unsafeCode && source.charCodeAt(lexer.start) === 93) return true;
	}
}

/** The text of the next token that is not a comment (a shebang counts as one), '' at the end. */
function codeToken(lexer: RustLexer): string {
	let kind = lexer.next();
	while (kind >= TokenKind.Shebang) kind = lexer.next();
	return lexer.source.slice(lexer.start, lexer.end);
}
