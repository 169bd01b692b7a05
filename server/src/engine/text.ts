/**
 * Editor-neutral text positions and the problems parsers report.
 * Offsets are UTF-16 code unit indexes into the document text (what JS strings index by).
 * Only `lsp/convert.ts` turns them into LSP positions.
 */

/** A half-open range `[start, end)` of UTF-16 offsets. */
export interface TextRange {
	start: number;
	end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Something wrong with the input itself (syntax, unknown lockfile version), as opposed to a trust finding. */
export interface Problem {
	/** Stable kebab-case code, e.g. `toml-parse`, `lockfile-version`. */
	code: string;
	severity: Severity;
	message: string;
	range: TextRange;
}

/** The result of every parser: what could be recovered, plus what went wrong. Parsers never throw on input. */
export interface Parsed<T> {
	value: T;
	problems: Problem[];
}

/** The range covering the first line of a document, used for problems that belong to no particular node. */
export function firstLineRange(text: string): TextRange {
	const newline = text.indexOf('\n');
	return { start: 0, end: newline === -1 ? text.length : newline };
}
