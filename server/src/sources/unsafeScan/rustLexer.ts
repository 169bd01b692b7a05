/**
 * A Rust lexer over a JS string, good enough to tell code from comments, strings and character literals
 * without compiling anything. It is a cursor (`next()` sets `kind`, `start`, `end`) so that scanning a whole
 * registry allocates nothing per token; char codes and hand-written loops, with `indexOf` where the
 * terminator is a single character, are the fastest way V8 offers to walk a string.
 * Punctuation is one token per character, as proc_macro sees it. Never throws: a literal or comment that
 * runs to the end of the file is reported in `problems` and ends the token stream.
 */

export const enum TokenKind {
	Eof,
	Ident,
	/** `r#unsafe`: an identifier, never a keyword. */
	RawIdent,
	/** `'a`, `'static`, labels. */
	Lifetime,
	Number,
	Char,
	Byte,
	Str,
	ByteStr,
	CStr,
	RawStr,
	RawByteStr,
	RawCStr,
	Punct,
	Shebang,
	/** Comments, doc comments included, sort last so that `kind >= LineComment` means "not code". */
	LineComment,
	BlockComment,
	DocComment,
}

export interface LexProblem {
	/** UTF-16 offset in the source where the unterminated literal or comment starts. */
	offset: number;
	message: string;
}

const enum Class {
	Punct,
	Space,
	Ident,
	Digit,
	Slash,
	DoubleQuote,
	Quote,
}

const CLASS = new Uint8Array(128);
const IDENT_CONTINUE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
	const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
	const digit = c >= 48 && c <= 57;
	IDENT_CONTINUE[c] = letter || digit ? 1 : 0;
	CLASS[c] = letter ? Class.Ident : digit ? Class.Digit : Class.Punct;
}
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = Class.Space;
CLASS[47] = Class.Slash;
CLASS[34] = Class.DoubleQuote;
CLASS[39] = Class.Quote;

const HASH = 35;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const BANG = 33;
const NEWLINE = 10;
const DOT = 46;
/** The longest character literal body after the backslash: `\u{10FFFF}`. */
const LONGEST_ESCAPE = 10;

/** Rust's Pattern_White_Space beyond ASCII. */
function isWideSpace(c: number): boolean {
	return c === 0x85 || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029;
}

/**
 * Outside ASCII every non-space character is taken as part of an identifier: XID tables would cost speed and
 * change nothing for counting. False outside the source, where charCodeAt gives NaN.
 */
export function isIdentContinue(c: number): boolean {
	return c < 128 ? IDENT_CONTINUE[c] === 1 : c >= 128 && !isWideSpace(c);
}

function isIdentStart(c: number): boolean {
	return c < 128 ? CLASS[c] === Class.Ident : c >= 128 && !isWideSpace(c);
}

export class RustLexer {
	kind: TokenKind = TokenKind.Eof;
	start = 0;
	end = 0;
	readonly problems: LexProblem[] = [];
	private pos = 0;

	constructor(readonly source: string) {
		this.reset();
	}

	/** Goes back to the start of the source, past a byte order mark. */
	reset(): void {
		this.pos = this.firstCodeOffset();
	}

	/** Continues lexing at `offset`, which must be where a token may start (not inside a literal or comment). */
	seek(offset: number): void {
		this.pos = offset;
	}

	/** Advances to the next token, skipping whitespace, and returns its kind (also left in `kind`). */
	next(): TokenKind {
		const s = this.source;
		const n = s.length;
		let i = this.pos;
		let c = 0;
		while (i < n) {
			c = s.charCodeAt(i);
			if (c < 128 ? CLASS[c] !== Class.Space : !isWideSpace(c)) break;
			i++;
		}
		this.start = i;
		if (i >= n) return this.token(TokenKind.Eof, n);
		switch (c < 128 ? CLASS[c] : Class.Ident) {
			case Class.Ident:
				return this.identOrPrefixed(i, c);
			case Class.Digit:
				return this.token(TokenKind.Number, this.numberEnd(i));
			case Class.Slash:
				return this.slash(i);
			case Class.DoubleQuote:
				return this.quoted(TokenKind.Str, i, i + 1);
			case Class.Quote:
				return this.quote(i);
			default:
				if (c === HASH && i === this.firstCodeOffset() && this.isShebang(i)) {
					const newline = s.indexOf('\n', i);
					return this.token(TokenKind.Shebang, newline < 0 ? n : newline);
				}
				return this.token(TokenKind.Punct, i + 1);
		}
	}

	private token(kind: TokenKind, end: number): TokenKind {
		this.kind = kind;
		this.end = end;
		this.pos = end;
		return kind;
	}

	/** Lexing the same stretch again (after `seek`) reports its problems once. */
	private problem(offset: number, message: string): void {
		if (this.problems.some((known) => known.offset === offset)) return;
		this.problems.push({ offset, message });
	}

	private firstCodeOffset(): number {
		return this.source.charCodeAt(0) === 0xfeff ? 1 : 0;
	}

	/** `#!` opens a shebang line unless what follows, past whitespace and comments, is `[` (an inner attribute). */
	private isShebang(i: number): boolean {
		const s = this.source;
		if (s.charCodeAt(i + 1) !== BANG) return false;
		let j = i + 2;
		for (;;) {
			const c = s.charCodeAt(j);
			if (c < 128 ? CLASS[c] === Class.Space : isWideSpace(c)) j++;
			else if (c === SLASH && s.charCodeAt(j + 1) === SLASH) {
				const newline = s.indexOf('\n', j);
				if (newline < 0) return true;
				j = newline;
			} else if (c === SLASH && s.charCodeAt(j + 1) === STAR) {
				const end = blockCommentEnd(s, j);
				if (end < 0) return true;
				j = end;
			} else return c !== 91;
		}
	}

	private identOrPrefixed(i: number, c: number): TokenKind {
		const s = this.source;
		const c1 = s.charCodeAt(i + 1);
		if (c === 114 /* r */) {
			if (c1 === DOUBLE_QUOTE || c1 === HASH) {
				const raw = this.raw(TokenKind.RawStr, i, i + 1);
				if (raw !== undefined) return raw;
				if (isIdentStart(s.charCodeAt(i + 2))) return this.token(TokenKind.RawIdent, this.identEnd(i + 3));
			}
		} else if (c === 98 /* b */ || c === 99 /* c */) {
			const plain = c === 98 ? TokenKind.ByteStr : TokenKind.CStr;
			if (c1 === DOUBLE_QUOTE) return this.quoted(plain, i, i + 2);
			if (c === 98 && c1 === QUOTE) return this.charLiteral(TokenKind.Byte, i, i + 1);
			if (c1 === 114 /* r */) {
				const c2 = s.charCodeAt(i + 2);
				if (c2 === DOUBLE_QUOTE || c2 === HASH) {
					const raw = this.raw(c === 98 ? TokenKind.RawByteStr : TokenKind.RawCStr, i, i + 2);
					if (raw !== undefined) return raw;
				}
			}
		}
		return this.token(TokenKind.Ident, this.identEnd(i + 1));
	}

	private identEnd(j: number): number {
		const s = this.source;
		const n = s.length;
		while (j < n && isIdentContinue(s.charCodeAt(j))) j++;
		return j;
	}

	/**
	 * A raw string whose `#`s start at `hashes`; undefined, without moving, when the `#`s are not followed by
	 * `"` (then it was `r#ident` or plain punctuation).
	 */
	private raw(kind: TokenKind, start: number, hashes: number): TokenKind | undefined {
		const s = this.source;
		let open = hashes;
		while (s.charCodeAt(open) === HASH) open++;
		if (s.charCodeAt(open) !== DOUBLE_QUOTE) return undefined;
		const count = open - hashes;
		let from = open + 1;
		for (;;) {
			const close = s.indexOf('"', from);
			if (close < 0) return this.unterminated(kind, start, 'raw string literal');
			let k = 0;
			while (k < count && s.charCodeAt(close + 1 + k) === HASH) k++;
			if (k === count) return this.token(kind, close + 1 + count);
			from = close + 1;
		}
	}

	/** A string with escapes whose opening `"` is at `open - 1`: the closing quote is the first one after an even run of backslashes. */
	private quoted(kind: TokenKind, start: number, open: number): TokenKind {
		const s = this.source;
		let from = open;
		for (;;) {
			const close = s.indexOf('"', from);
			if (close < 0) return this.unterminated(kind, start, 'string literal');
			let backslashes = 0;
			while (close - backslashes - 1 >= open && s.charCodeAt(close - backslashes - 1) === BACKSLASH) backslashes++;
			if ((backslashes & 1) === 0) return this.token(kind, close + 1);
			from = close + 1;
		}
	}

	private unterminated(kind: TokenKind, start: number, what: string): TokenKind {
		this.problem(start, `unterminated ${what}`);
		return this.token(kind, this.source.length);
	}

	/** `'` starts a character literal when a single (possibly escaped) character and `'` follow; otherwise a lifetime or label. */
	private quote(i: number): TokenKind {
		const s = this.source;
		const c1 = s.charCodeAt(i + 1);
		if (c1 === BACKSLASH) return this.charLiteral(TokenKind.Char, i, i);
		const width = c1 >= 0xd800 && c1 <= 0xdbff ? 2 : 1;
		if (s.charCodeAt(i + 1 + width) === QUOTE && i + 1 < s.length) return this.token(TokenKind.Char, i + 2 + width);
		if (isIdentStart(c1)) {
			const raw = c1 === 114 && s.charCodeAt(i + 2) === HASH && isIdentStart(s.charCodeAt(i + 3));
			return this.token(TokenKind.Lifetime, this.identEnd(raw ? i + 3 : i + 2));
		}
		this.problem(i, 'unterminated character literal');
		return this.token(TokenKind.Punct, i + 1);
	}

	/**
	 * A character or byte literal whose `'` is at `open`; an unclosed one is reported and lexing goes on after
	 * its first character (the lone `'`, or the `b` of `b'`).
	 */
	private charLiteral(kind: TokenKind, start: number, open: number): TokenKind {
		const s = this.source;
		const first = s.charCodeAt(open + 1);
		if (first === BACKSLASH) {
			const limit = Math.min(s.length, open + 3 + LONGEST_ESCAPE);
			for (let j = open + 3; j < limit; j++) {
				const c = s.charCodeAt(j);
				if (c === QUOTE) return this.token(kind, j + 1);
				if (c === NEWLINE) break;
			}
		} else {
			const width = first >= 0xd800 && first <= 0xdbff ? 2 : 1;
			if (open + 1 < s.length && s.charCodeAt(open + 1 + width) === QUOTE) return this.token(kind, open + 2 + width);
		}
		if (kind === TokenKind.Byte) {
			this.problem(start, 'unterminated byte literal');
			return this.token(TokenKind.Ident, start + 1);
		}
		this.problem(start, 'unterminated character literal');
		return this.token(TokenKind.Punct, start + 1);
	}

	/** Digits, suffixes and a fractional part; `1..2` and `1.max(2)` keep their dot outside the number. */
	private numberEnd(i: number): number {
		const s = this.source;
		const n = s.length;
		const c1 = s.charCodeAt(i + 1) | 0x20;
		const radix = s.charCodeAt(i) === 48 && (c1 === 120 || c1 === 111 || c1 === 98);
		let dot = radix;
		let j = i + 1;
		while (j < n) {
			const c = s.charCodeAt(j);
			if (c < 128 && IDENT_CONTINUE[c] === 1) {
				const sign = s.charCodeAt(j + 1);
				j += !radix && (c | 0x20) === 101 && (sign === 43 || sign === 45) ? 2 : 1;
			} else if (c === DOT && !dot) {
				const after = s.charCodeAt(j + 1);
				if (after === DOT || isIdentStart(after)) break;
				dot = true;
				j++;
			} else break;
		}
		return j;
	}

	private slash(i: number): TokenKind {
		const s = this.source;
		const c1 = s.charCodeAt(i + 1);
		if (c1 === SLASH) {
			const newline = s.indexOf('\n', i + 2);
			const c2 = s.charCodeAt(i + 2);
			const doc = c2 === BANG || (c2 === SLASH && s.charCodeAt(i + 3) !== SLASH);
			return this.token(doc ? TokenKind.DocComment : TokenKind.LineComment, newline < 0 ? s.length : newline);
		}
		if (c1 === STAR) {
			const end = blockCommentEnd(s, i);
			if (end < 0) return this.unterminated(TokenKind.BlockComment, i, 'block comment');
			const c2 = s.charCodeAt(i + 2);
			const doc = c2 === BANG || (c2 === STAR && end - i > 4 && s.charCodeAt(i + 3) !== STAR);
			return this.token(doc ? TokenKind.DocComment : TokenKind.BlockComment, end);
		}
		return this.token(TokenKind.Punct, i + 1);
	}
}

/** End offset of the (nested) block comment opening at `open`, or -1 when it never closes. */
function blockCommentEnd(s: string, open: number): number {
	let depth = 1;
	let from = open + 2;
	for (;;) {
		const slash = s.indexOf('/', from);
		if (slash < 0) return -1;
		if (slash - 1 >= from && s.charCodeAt(slash - 1) === STAR) {
			if (--depth === 0) return slash + 1;
			from = slash + 1;
		} else if (s.charCodeAt(slash + 1) === STAR) {
			depth++;
			from = slash + 2;
		} else from = slash + 1;
	}
}

/** 1-based line and column (in UTF-16 units) of an offset, for messages. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let newline = source.indexOf('\n'); newline >= 0 && newline < offset; newline = source.indexOf('\n', newline + 1)) {
		line++;
		lineStart = newline + 1;
	}
	return { line, column: offset - lineStart + 1 };
}
