/**
 * Parses TOML with toml-eslint-parser and keeps going past syntax errors, so a half-typed Cargo.toml still yields
 * every entry that is intact. toml-eslint-parser stops at the first error; we record it, blank out the broken
 * statement (spaces keep every other offset valid) and parse again, a bounded number of times.
 * toml-eslint-parser (and `getStaticTOMLValue`) recurse on nested values, so statements nested deeper than
 * `MAX_DEPTH` are blanked before parsing, each with its own problem.
 */
import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { firstLineRange, type Parsed, type Problem, type TextRange } from '../text';
import { scanStatement, statementAt, statements, type StatementSpan } from './tomlStatements';

/** Enough for any file a person is editing; past this many errors, the rest of the file is dropped. */
const MAX_ERRORS = 50;
/**
 * How much text all attempts together may parse (a second or two): a big broken file, such as a lockfile full of
 * merge conflict markers, must not stall the server. Past it, the rest of the file is dropped too.
 */
const MAX_PARSED_CHARACTERS = 4_000_000;
/** Far deeper than any real manifest nests, and far from what overflows the stack in the parser or in our readers. */
const MAX_DEPTH = 128;
const BYTE_ORDER_MARK = 0xfeff;
const OPEN_BRACKET = 91;

type Attempt = { program: AST.TOMLProgram } | { error: ParseError } | { failure: string };

function attempt(text: string): Attempt {
	try {
		return { program: parseTOML(text) };
	} catch (error) {
		if (error instanceof ParseError) return { error };
		// Anything else is the parser breaking on hostile input (say, arrays nested deep enough to overflow the
		// stack); the engine must not throw on input, so it becomes a problem.
		return { failure: error instanceof Error ? error.message : String(error) };
	}
}

/** Line start offsets; they stay valid through blanking, which never touches newlines. */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
	return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >> 1;
		if (starts[mid]! <= offset) low = mid;
		else high = mid - 1;
	}
	return low;
}

/** The line's text range without its line break. */
function lineRange(text: string, starts: readonly number[], line: number): TextRange {
	const start = starts[line]!;
	let end = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
	if (end > start && text.charCodeAt(end - 1) === 13) end--;
	return { start, end };
}

function isBlankLine(text: string, range: TextRange): boolean {
	return text.slice(range.start, range.end).trim() === '';
}

function blankLines(text: string, starts: readonly number[], first: number, last: number): string {
	return blankLineRuns(text, starts, [[first, last]]);
}

/** Blanks several inclusive line ranges, in order and not overlapping, in one pass. */
function blankLineRuns(text: string, starts: readonly number[], runs: readonly (readonly [number, number])[]): string {
	const pieces: string[] = [];
	let copied = 0;
	for (const [first, last] of runs) {
		const start = starts[first]!;
		const end = lineRange(text, starts, last).end;
		pieces.push(text.slice(copied, start), text.slice(start, end).replace(/[^\r\n]/g, ' '));
		copied = end;
	}
	pieces.push(text.slice(copied));
	return pieces.join('');
}

function linesOf(starts: readonly number[], span: StatementSpan): [number, number] {
	return [lineOf(starts, span.start), lineOf(starts, span.end)];
}

/** Inclusive line ranges worth blanking for an error, most plausible first. */
function candidateBlanks(text: string, starts: readonly number[], error: ParseError): { lines: [number, number][]; statementLine: number; errorLine: number } {
	const errorLine = lineOf(starts, error.index);
	const found = statementAt(text, error.index);
	// An error on a comment line is that line's own; one on a blank line (the end of the text) belongs to the statement before.
	const statement = found && (found.contains || isBlankLine(text, lineRange(text, starts, errorLine))) ? found : undefined;
	const candidates: [number, number][] = [];
	if (found?.contains && found.start === error.index && found.previous?.incomplete) {
		// A key still being typed (`instant` alone on its line) makes the parser fail on the first character of the
		// next statement: the broken statement is the one before.
		candidates.push(linesOf(starts, found.previous));
	}
	const statementLine = statement ? lineOf(starts, statement.start) : errorLine;
	if (statementLine < errorLine) {
		// An unterminated value (`foo = [`, `foo = """`, `foo =`) is reported where the parser gave up, often a
		// valid statement on a later line: drop what comes before it first.
		candidates.push([statementLine, errorLine - 1]);
	}
	candidates.push([statementLine, errorLine]);
	if (statement) {
		// A broken value that closes on a later line: drop the statement as far as the scan says it reaches,
		// unless the scan ran to the end of the text, which would drop everything after the error.
		const scannedEnd = scanStatement(text, statement.start).end;
		if (scannedEnd < text.length && lineOf(starts, scannedEnd) > errorLine) candidates.push([statementLine, lineOf(starts, scannedEnd)]);
	}
	return { lines: candidates, statementLine, errorLine };
}

/** How far the parser got: a failure ranks last, so another candidate is preferred to it. */
function progress(outcome: Attempt): number {
	return 'error' in outcome ? outcome.error.index : 'program' in outcome ? Infinity : -1;
}

/** Where the text starts in a larger document: its offset and 0-based line. */
export interface TextOrigin {
	offset: number;
	line: number;
}

/**
 * Blanks every statement nested deeper than `MAX_DEPTH`, with one problem each. A table header goes with the keys
 * under it, which would otherwise land in the table before.
 */
function blankDeepStatements(text: string, starts: readonly number[], report: (message: string, range: TextRange) => void): string {
	const runs: [number, number][] = [];
	let open: [number, number] | undefined;
	for (const span of statements(text)) {
		const header = text.charCodeAt(span.start) === OPEN_BRACKET;
		if (open && !header) {
			open[1] = lineOf(starts, span.end);
			continue;
		}
		open = undefined;
		if (span.depth <= MAX_DEPTH) continue;
		const lines = linesOf(starts, span);
		report(`This ${header ? 'table header' : 'statement'} nests tables or arrays more than ${MAX_DEPTH} levels deep (counting dotted keys); it is not read`, lineRange(text, starts, lines[0]));
		runs.push(lines);
		if (header) open = lines;
	}
	return runs.length ? blankLineRuns(text, starts, runs) : text;
}

/**
 * Parses `text`, recovering from syntax errors: one `toml-parse` problem per error, on the line that was dropped.
 * The program's offsets are offsets into `text`; problems are placed in the larger document `origin` locates `text`
 * in (by default, `text` is the document). The value is undefined only when recovery gave up.
 */
export function parseTomlRecovering(text: string, origin: TextOrigin = { offset: 0, line: 0 }): Parsed<AST.TOMLProgram | undefined> {
	const problems: Problem[] = [];
	const report = (message: string, range: TextRange): void => {
		problems.push({ code: 'toml-parse', severity: 'error', message, range: { start: range.start + origin.offset, end: range.end + origin.offset } });
	};
	const starts = lineStarts(text);
	let parsedCharacters = 0;
	const parse = (source: string): Attempt => {
		parsedCharacters += source.length;
		return attempt(source);
	};
	// cargo skips a byte-order mark; a space in its place keeps every offset, whether the caller's text has one or not.
	let current = text.charCodeAt(0) === BYTE_ORDER_MARK ? ` ${text.slice(1)}` : text;
	current = blankDeepStatements(current, starts, report);
	let outcome = parse(current);
	while (!('program' in outcome)) {
		if ('failure' in outcome) {
			report(`The TOML parser failed: ${outcome.failure}`, firstLineRange(text));
			return { value: undefined, problems };
		}
		const { error } = outcome;
		const { lines, statementLine, errorLine } = candidateBlanks(current, starts, error);
		if (problems.length === MAX_ERRORS || parsedCharacters >= MAX_PARSED_CHARACTERS) {
			report(`Too many syntax errors: the rest of the file, from line ${origin.line + statementLine + 1}, is ignored`, lineRange(current, starts, statementLine));
			return { value: parsePrefix(current, starts, statementLine), problems };
		}
		let best: { text: string; outcome: Attempt; lines: [number, number] } | undefined;
		for (const [first, last] of lines) {
			const candidate = blankLines(current, starts, first, last);
			const result = parse(candidate);
			if ('program' in result) {
				best = { text: candidate, outcome: result, lines: [first, last] };
				break;
			}
			// Otherwise keep the candidate that lets the parser get furthest; on a tie, the one that drops less.
			if (!best || progress(result) > progress(best.outcome)) best = { text: candidate, outcome: result, lines: [first, last] };
		}
		// `best` is set: there is always at least one candidate.
		const chosen = best!;
		const errorLineRange = lineRange(current, starts, errorLine);
		const errorLineDropped = chosen.lines[0] <= errorLine && chosen.lines[1] >= errorLine && !isBlankLine(current, errorLineRange);
		// The range says where; a position in the message would be the parser's, which can point past the statement.
		report(error.message, errorLineDropped ? errorLineRange : lineRange(current, starts, chosen.lines[0]));
		current = chosen.text;
		outcome = chosen.outcome;
	}
	return { value: outcome.program, problems };
}

/**
 * The program of the text before line `cut`, where a statement starts. The parser reports some errors (duplicate
 * keys) only once the syntax is sound, so the prefix can still fail: then cut before that error too, a few times.
 */
function parsePrefix(text: string, starts: readonly number[], cut: number): AST.TOMLProgram | undefined {
	for (let tries = 0; tries < 5; tries++) {
		const prefix = blankLines(text, starts, cut, starts.length - 1);
		const outcome = attempt(prefix);
		if ('program' in outcome) return outcome.program;
		if (!('error' in outcome)) return undefined;
		const { statementLine } = candidateBlanks(prefix, starts, outcome.error);
		if (statementLine >= cut) return undefined;
		cut = statementLine;
	}
	return undefined;
}
