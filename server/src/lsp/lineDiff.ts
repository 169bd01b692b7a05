/**
 * Which lines an edit touched, found by comparing the text before and after it: the lines both texts share at the
 * start and at the end are untouched, everything between them changed. Works the same for incremental and
 * full-text changes, and maps a line of the old text to its place in the new one.
 */

export interface LineDiff {
	/** First changed line (lines before it are identical in both texts). */
	start: number;
	/** End (exclusive) of the changed lines in the old text; lines from here on moved by `newEnd - oldEnd`. */
	oldEnd: number;
	/** End (exclusive) of the changed lines in the new text. */
	newEnd: number;
}

export function diffLines(before: string, after: string): LineDiff {
	const old = before.split('\n');
	const next = after.split('\n');
	let start = 0;
	while (start < old.length && start < next.length && old[start] === next[start]) start++;
	let suffix = 0;
	while (suffix < old.length - start && suffix < next.length - start && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
	return { start, oldEnd: old.length - suffix, newEnd: next.length - suffix };
}

/** Where an untouched line of the old text is in the new one; undefined for a line the edit changed. */
export function mapLine(diff: LineDiff, line: number): number | undefined {
	if (line < diff.start) return line;
	if (line >= diff.oldEnd) return line + diff.newEnd - diff.oldEnd;
	return undefined;
}

/**
 * The lines of the new text the user is editing: the changed ones, or, when the edit only removed lines, the line
 * where they were joined.
 */
export function editedLines(diff: LineDiff): { start: number; end: number } {
	return { start: diff.start, end: Math.max(diff.newEnd, diff.start + 1) };
}
