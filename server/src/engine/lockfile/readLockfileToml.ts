/**
 * The general path for Cargo.lock: the TOML parser (with error recovery), for lockfiles in any valid layout
 * (hand-edited, reformatted) and broken ones. It parses one `[[package]]` at a time, so its cost stays linear in
 * the file and a syntax error (a merge conflict marker, say) costs only the package around it. Value types are
 * checked here; the packages go to the builder the fast reader shares.
 */
import type { AST } from 'toml-eslint-parser';
import type { Parsed, Problem, TextRange } from '../text';
import { parseTomlRecovering, type TextOrigin } from '../toml/parseTomlRecovering';
import { describeType, keyName } from '../toml/tomlAst';
import { LockfileBuilder, type PackageInput, type VersionInput } from './lockfileBuilder';
import type { Lockfile } from './types';

const STRING_FIELDS = ['name', 'version', 'source', 'checksum', 'replace'] as const;

/** A piece of the lockfile parsed on its own: from one `[[package]]` line to the next (the first one, from the start). */
interface Chunk extends TextOrigin {
	end: number;
}

function chunksOf(text: string): Chunk[] {
	const chunks: Chunk[] = [];
	let chunk: Chunk = { offset: 0, line: 0, end: text.length };
	let line = 0;
	for (let start = 0; start < text.length; line++) {
		let newline = text.indexOf('\n', start);
		if (newline === -1) newline = text.length;
		const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
		if (start > chunk.offset && end - start === 11 && text.startsWith('[[package]]', start)) {
			chunks.push({ ...chunk, end: start });
			chunk = { offset: start, line, end: text.length };
		}
		start = newline + 1;
	}
	chunks.push(chunk);
	return chunks;
}

/** Reads one chunk's AST; every range is moved from the chunk's offsets to the file's. */
class ChunkReader {
	constructor(
		private readonly source: string,
		private readonly offset: number,
		private readonly problems: Problem[],
	) {}

	range(node: { range: [number, number] }): TextRange {
		return { start: node.range[0] + this.offset, end: node.range[1] + this.offset };
	}

	/** The table's single-key entries; dotted keys are nothing cargo writes or reads in a lockfile. */
	fields(body: readonly AST.TOMLKeyValue[]): Map<string, AST.TOMLContentNode> {
		const fields = new Map<string, AST.TOMLContentNode>();
		for (const keyValue of body) {
			const [part, ...rest] = keyValue.key.keys;
			if (part && rest.length === 0) fields.set(keyName(part), keyValue.value);
		}
		return fields;
	}

	/** `[[package]]` or `[root]`, up to the closing bracket(s). */
	headerRange(table: AST.TOMLTable): TextRange {
		const close = this.source.indexOf(']', table.key.range[1]);
		const end = close === -1 ? table.key.range[1] : close + (table.kind === 'array' ? 2 : 1);
		return { start: table.range[0] + this.offset, end: end + this.offset };
	}

	/**
	 * The package's fields, or undefined (with a problem) when one has a type cargo would reject.
	 * `range` and `header` are the table's and its header's: both the inline table for `package = [{ ... }]`.
	 */
	packageInput(body: readonly AST.TOMLKeyValue[], range: TextRange, header: TextRange): PackageInput | undefined {
		const fields = this.fields(body);
		const name = fields.get('name');
		const label = name?.type === 'TOMLValue' && name.kind === 'string' ? `[[package]] ${name.value}` : 'a [[package]]';
		const strings: Partial<Record<(typeof STRING_FIELDS)[number], string>> = {};
		for (const field of STRING_FIELDS) {
			const node = fields.get(field);
			if (!node) continue;
			if (node.type !== 'TOMLValue' || node.kind !== 'string') {
				this.problems.push({ code: 'lockfile-entry', severity: 'error', message: `\`${field}\` of ${label} must be a string, not ${describeType(node)}`, range });
				return undefined;
			}
			strings[field] = node.value;
		}
		const checksum = fields.get('checksum');
		const dependencies: string[] = [];
		const dependenciesNode = fields.get('dependencies');
		if (dependenciesNode) {
			const elements = dependenciesNode.type === 'TOMLArray' ? dependenciesNode.elements : undefined;
			if (!elements?.every((element) => element.type === 'TOMLValue' && element.kind === 'string')) {
				this.problems.push({ code: 'lockfile-entry', severity: 'error', message: `\`dependencies\` of ${label} must be an array of strings`, range });
				return undefined;
			}
			for (const element of elements) dependencies.push((element as AST.TOMLStringValue).value);
		}
		return {
			name: strings.name,
			nameRange: name && this.range(name),
			version: strings.version,
			source: strings.source,
			checksum: strings.checksum,
			checksumRange: checksum && this.range(checksum),
			dependencies,
			dependenciesRange: dependenciesNode && this.range(dependenciesNode),
			replace: strings.replace,
			headerRange: header,
			range,
		};
	}
}

export function readLockfileToml(text: string): Parsed<Lockfile> {
	const problems: Problem[] = [];
	const builder = new LockfileBuilder(problems);
	let version: VersionInput | undefined;
	const metadata = new Map<string, string>();
	for (const chunk of chunksOf(text)) {
		const source = text.slice(chunk.offset, chunk.end);
		const parsed = parseTomlRecovering(source, chunk);
		problems.push(...parsed.problems);
		const reader = new ChunkReader(source, chunk.offset, problems);
		for (const item of parsed.value?.body[0].body ?? []) {
			if (item.type === 'TOMLKeyValue') {
				const key = item.key.keys.length === 1 ? keyName(item.key.keys[0]!) : undefined;
				if (key === 'version') {
					version = { value: item.value.type === 'TOMLValue' && item.value.kind === 'integer' ? item.value.value : undefined, range: reader.range(item.value) };
				} else if (key === 'package' && item.value.type === 'TOMLArray') {
					// `package = [{ ... }, ...]` is the same array of tables, written inline.
					for (const element of item.value.elements) {
						const input = element.type === 'TOMLInlineTable' && reader.packageInput(element.body, reader.range(element), reader.range(element));
						if (input) builder.addPackage(input);
					}
				}
				continue;
			}
			const [first, second] = item.resolvedKey;
			const isPackage = item.kind === 'array' && first === 'package' && item.resolvedKey.length === 2;
			// Very old lockfiles put the root package in `[root]`, in the same shape as a `[[package]]`.
			const isRoot = item.kind === 'standard' && first === 'root' && second === undefined;
			if (isPackage || isRoot) {
				const input = reader.packageInput(item.body, reader.range(item), reader.headerRange(item));
				if (input) builder.addPackage(input);
			} else if (item.kind === 'standard' && first === 'metadata' && second === undefined) {
				for (const [key, node] of reader.fields(item.body)) if (node.type === 'TOMLValue' && node.kind === 'string') metadata.set(key, node.value);
			}
		}
	}
	return builder.finish(text, version, metadata);
}
