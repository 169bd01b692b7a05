/**
 * Decides what a file's published diagnostics are, given the fresh ones of a new analysis and what was published
 * for the file before: parse problems on the lines being typed are held back, and while the file does not parse,
 * the findings it lost on lines the edit did not touch are kept from the previous publication (shifted by the
 * lines the edit added or removed), so a half-typed line does not wipe out the rest of the file.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { diffLines, mapLine } from './lineDiff';

export const parseProblemCode = 'toml-parse';

/** What was sent for one file, and the text its ranges refer to. */
export interface Publication {
	text: string;
	diagnostics: Diagnostic[];
}

export function diagnosticsToPublish(previous: Publication | undefined, text: string, fresh: Diagnostic[], isHeld: (line: number) => boolean): Diagnostic[] {
	const shown = fresh.filter((d) => d.code !== parseProblemCode || !isHeld(d.range.start.line));
	const parses = !fresh.some((d) => d.code === parseProblemCode);
	if (parses || !previous) return shown;
	const diff = diffLines(previous.text, text);
	const present = new Set(fresh.map((d) => `${String(d.code)}@${d.range.start.line}`));
	const kept: Diagnostic[] = [];
	for (const old of previous.diagnostics) {
		if (old.code === parseProblemCode) continue;
		const start = mapLine(diff, old.range.start.line);
		const end = mapLine(diff, old.range.end.line);
		if (start === undefined || end === undefined || present.has(`${String(old.code)}@${start}`)) continue;
		kept.push({ ...old, range: { start: { ...old.range.start, line: start }, end: { ...old.range.end, line: end } } });
	}
	return [...shown, ...kept];
}
