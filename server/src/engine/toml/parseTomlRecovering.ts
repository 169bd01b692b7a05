/**
 * Parses TOML with toml-eslint-parser and keeps going past syntax errors, so a half-typed Cargo.toml still yields
 * every entry that is intact. toml-eslint-parser stops at the first error; we record it, blank out the broken
 * statement (spaces keep every other offset valid) and parse again, a bounded number of times.
 */
import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { firstLineRange, type Parsed, type Problem, type TextRange } from '../text';
import { scanStatement, statementAt } from './tomlStatements';

/** Enough for any file a person is editing; a file with more errors than this is not worth recovering. */
const MAX_ATTEMPTS = 50;

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

function problemFor(error: ParseError, range: TextRange): Problem {
	return { code: 'toml-parse', severity: 'error', message: `${error.message} (${error.lineNumber}:${error.column + 1})`, range };
}

/**
 * Parses `text`, recovering from syntax errors: one `toml-parse` problem per error, on the line that was dropped.
 * The program's offsets are offsets into `text`. The value is undefined only when recovery gave up.
 */
export function parseTomlRecovering(text: string): Parsed<AST.TOMLProgram | undefined> {
	const problems: Problem[] = [];
	const starts = lineStarts(text);
	let current = text;
	let outcome = attempt(current);
	for (let attempts = 0; !('program' in outcome); attempts++) {
		if ('failure' in outcome || attempts === MAX_ATTEMPTS) {
			const message = 'failure' in outcome ? `The TOML parser failed: ${outcome.failure}` : `Too many syntax errors; stopped after ${MAX_ATTEMPTS}.`;
			problems.push({ code: 'toml-parse', severity: 'error', message, range: firstLineRange(text) });
			return { value: undefined, problems };
		}
		const { error } = outcome;
		const { lines, statementLine, errorLine } = candidateBlanks(current, starts, error);
		let best: { text: string; outcome: Attempt; lines: [number, number] } | undefined;
		for (const [first, last] of lines) {
			const candidate = blankLines(current, starts, first, last);
			const result = attempt(candidate);
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
		problems.push(problemFor(error, errorLineDropped ? errorLineRange : lineRange(current, starts, statementLine)));
		current = chosen.text;
		outcome = chosen.outcome;
	}
	return { value: outcome.program, problems };
}
