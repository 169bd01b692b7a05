/**
 * Where and what to insert so `.cargo/audit.toml` ignores one more advisory, keeping the file's own layout:
 * appended to an existing `[advisories] ignore` array, else a key added under `[advisories]`, else a new table.
 * Pure text in, text out; cargo-audit, cargo-deny's readers and ours all read the result.
 */
import { parseTOML, type AST } from 'toml-eslint-parser';
import { keyName } from '../engine/toml/tomlAst';

export interface Insertion {
	offset: number;
	text: string;
}

/** Undefined when the file is not valid TOML (editing it blind could make it worse) or already lists the id. */
export function auditIgnoreInsertion(text: string, id: string): Insertion | undefined {
	let program: AST.TOMLProgram;
	try {
		program = parseTOML(text);
	} catch {
		return undefined;
	}
	const top = program.body[0];
	const quoted = JSON.stringify(id);
	let advisoriesTable: AST.TOMLTable | undefined;
	for (const statement of top?.body ?? []) {
		const tablePath = statement.type === 'TOMLTable' ? statement.resolvedKey.map(String) : [];
		const pairs = statement.type === 'TOMLTable' ? statement.body : [statement];
		if (statement.type === 'TOMLTable' && tablePath.join('.') === 'advisories' && statement.kind === 'standard') advisoriesTable = statement;
		for (const pair of pairs) {
			const path = [...tablePath, ...pair.key.keys.map(keyName)].join('.');
			if (path !== 'advisories.ignore') continue;
			if (pair.value.type !== 'TOMLArray') return undefined;
			const elements = pair.value.elements;
			if (elements.some((element) => element.type === 'TOMLValue' && element.value === id)) return undefined;
			const last = elements[elements.length - 1];
			return last ? { offset: last.range[1], text: `, ${quoted}` } : { offset: pair.value.range[0] + 1, text: quoted };
		}
	}
	if (advisoriesTable) {
		const headerEnd = text.indexOf('\n', advisoriesTable.range[0]);
		return headerEnd === -1 ? { offset: text.length, text: `\nignore = [${quoted}]\n` } : { offset: headerEnd + 1, text: `ignore = [${quoted}]\n` };
	}
	const separator = text.length === 0 || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
	return { offset: text.length, text: `${separator}[advisories]\nignore = [${quoted}]\n` };
}
