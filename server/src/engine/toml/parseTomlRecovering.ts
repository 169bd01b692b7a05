/**
 * Parses TOML with toml-eslint-parser and keeps going past syntax errors, so a half-typed Cargo.toml still yields
 * every entry that is intact. toml-eslint-parser stops at the first error; we record it, blank out the broken
 * statement (spaces keep every other offset valid) and parse again, a bounded number of times.
 */
import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { firstLineRange, type Parsed, type Problem, type TextRange } from '../text';
import { scanStatement, statementAt } from './tomlStatements';

/** Enough for any file a person is editing; past this many errors, the rest of the file is dropped. */
const MAX_ERRORS = 50;
/**
 * How much text all attempts together may parse (a second or two): a big broken file, such as a lockfile full of
 * merge conflict markers, must not stall the server. Past it, the rest of the file is dropped too.
 */
const MAX_PARSED_CHARACTERS = 4_000_000;

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
	const start = starts[first]!;
	const end = lineRange(text, starts, last).end;
	return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

/** Inclusive line ranges worth blanking for an error, most plausible first. */
function candidateBlanks(text: string, starts: readonly number[], error: ParseError): { lines: [number, number][]; statementLine: number; errorLine: number } {
	const errorLine = lineOf(starts, error.index);
	const found = statementAt(text, error.index);
	// An error on a comment line is that line's own; one on a blank line (the end of the text) belongs to the statement before.
	const statement = found && (found.contains || isBlankLine(text, lineRange(text, starts, errorLine))) ? found : undefined;
	const statementLine = statement ? lineOf(starts, statement.start) : errorLine;
	const candidates: [number, number][] = [];
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
	let current = text;
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
		const errorLineDropped = chosen.lines[1] >= errorLine && !isBlankLine(current, errorLineRange);
		report(`${error.message} (${origin.line + error.lineNumber}:${error.column + 1})`, errorLineDropped ? errorLineRange : lineRange(current, starts, statementLine));
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
