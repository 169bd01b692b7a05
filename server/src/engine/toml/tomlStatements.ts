/**
 * A minimal TOML scanner that finds where top-level statements (table headers, key-values) begin and end.
 * Error recovery uses it to find the statement a parse error belongs to: the text before an error is valid TOML,
 * so scanning it is exact; past the error the scan is a best guess that always terminates.
 */

export interface StatementSpan {
	start: number;
	/** The newline that ends the statement, or the end of the text. */
	end: number;
	/**
	 * How deep it nests: arrays and inline tables, plus the dots of its keys (`a.b.c` nests two tables), which readers
	 * of the value recurse on too. Dots of keys inside inline tables are summed, not nested: an overestimate only there.
	 */
	depth: number;
	/** A key with no `=` or no value (`instant` typed on its own line), or a header with no `]`. */
	incomplete: boolean;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const EQUALS = 61;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const DOT = 46;
const COMMA = 44;

function isBlank(code: number): boolean {
	return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}

function skipToNewline(text: string, i: number): number {
	const newline = text.indexOf('\n', i);
	return newline === -1 ? text.length : newline;
}

/** Skips the string starting at `i` (on its opening quote) and returns the offset after it. */
function skipString(text: string, i: number): number {
	const quote = text.charCodeAt(i);
	const escapes = quote === QUOTE;
	const delimiter = quote === QUOTE ? '"' : "'";
	if (text.startsWith(delimiter.repeat(3), i)) {
		let j = i + 3;
		while (j < text.length) {
			if (escapes && text.charCodeAt(j) === BACKSLASH) {
				j += 2;
			} else if (text.startsWith(delimiter.repeat(3), j)) {
				// Up to two more quotes may close the string right after the content (`""""` ends with a quote).
				let end = j + 3;
				while (end < j + 5 && text.charCodeAt(end) === quote) end++;
				return end;
			} else {
				j++;
			}
		}
		return text.length;
	}
	let j = i + 1;
	while (j < text.length) {
		const code = text.charCodeAt(j);
		if (code === NEWLINE) return j;
		if (escapes && code === BACKSLASH) {
			j += 2;
		} else {
			j++;
			if (code === quote) return j;
		}
	}
	return text.length;
}

/** The offset of the next statement at or after `i` (skipping blank and comment lines), or the text length. */
function nextStatementStart(text: string, i: number): number {
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (code === HASH) {
			i = skipToNewline(text, i);
		} else if (isBlank(code) || code === NEWLINE) {
			i++;
		} else {
			return i;
		}
	}
	return text.length;
}

/** Scans a table header to the end of its line; like the parser, it runs past newlines until the closing bracket. */
function scanHeader(text: string, start: number): StatementSpan {
	let dots = 0;
	let i = start + 1;
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (code === QUOTE || code === APOSTROPHE) {
			i = skipString(text, i);
		} else if (code === CLOSE_BRACKET) {
			return { start, end: skipToNewline(text, i), depth: dots, incomplete: false };
		} else {
			if (code === DOT) dots++;
			i++;
		}
	}
	return { start, end: text.length, depth: dots, incomplete: true };
}

/** Scans the statement starting at `start` (its first character) to the newline that ends it. */
export function scanStatement(text: string, start: number): StatementSpan {
	if (text.charCodeAt(start) === OPEN_BRACKET) return scanHeader(text, start);
	let depth = 0;
	let maxDepth = 0;
	let keyDots = 0;
	// Whether a key is being read: the statement's own, or one inside the innermost inline table.
	let inKey = true;
	const openers: number[] = [];
	let sawEquals = false;
	let valueStarted = false;
	let i = start;
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (code === NEWLINE) {
			// A newline ends the statement unless it is inside brackets, or comes before the value: the parser
			// looks for the value on the next line (and reports its error there).
			if (depth === 0 && (valueStarted || !sawEquals)) return { start, end: i, depth: maxDepth + keyDots, incomplete: !valueStarted };
			i++;
		} else if (code === HASH) {
			i = skipToNewline(text, i);
		} else if (code === QUOTE || code === APOSTROPHE) {
			i = skipString(text, i);
			valueStarted ||= sawEquals;
		} else if (code === EQUALS && depth === 0 && !sawEquals) {
			sawEquals = true;
			inKey = false;
			i++;
		} else if (isBlank(code)) {
			i++;
		} else {
			if (code === DOT && inKey) keyDots++;
			if (sawEquals) {
				valueStarted = true;
				const innermost = openers[openers.length - 1];
				if (code === OPEN_BRACKET || code === OPEN_BRACE) {
					openers.push(code);
					maxDepth = Math.max(maxDepth, ++depth);
					inKey = code === OPEN_BRACE;
				} else if ((code === CLOSE_BRACKET || code === CLOSE_BRACE) && depth > 0) {
					openers.pop();
					depth--;
					inKey = false;
				} else if (innermost === OPEN_BRACE) {
					if (code === COMMA) inKey = true;
					else if (code === EQUALS) inKey = false;
				}
			}
			i++;
		}
	}
	return { start, end: text.length, depth: maxDepth + keyDots, incomplete: !valueStarted };
}

/** Every top-level statement of the text, in order; past a syntax error, a best guess (see the file comment). */
export function* statements(text: string): Generator<StatementSpan> {
	for (let i = nextStatementStart(text, 0); i < text.length; i = nextStatementStart(text, i)) {
		const span = scanStatement(text, i);
		yield span;
		// A statement always holds its first character, so this moves on.
		i = span.end;
	}
}

/**
 * The statement that contains `offset`, with the one before it; when the offset lies between statements (a comment,
 * blank lines, the end of the text), the last statement before it, flagged `contains: false`. Undefined when no
 * statement precedes it.
 */
export function statementAt(text: string, offset: number): (StatementSpan & { contains: boolean; previous: StatementSpan | undefined }) | undefined {
	let previous: StatementSpan | undefined;
	let beforePrevious: StatementSpan | undefined;
	for (const span of statements(text)) {
		if (span.start > offset) break;
		if (offset <= span.end) return { ...span, contains: true, previous };
		beforePrevious = previous;
		previous = span;
	}
	return previous && { ...previous, contains: false, previous: beforePrevious };
}
