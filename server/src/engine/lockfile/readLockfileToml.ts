/**
 * The general path for Cargo.lock: reads the TOML parser's AST, in any valid TOML layout (hand-edited,
 * reformatted, or broken and recovered), checks value types, and hands the packages to the shared builder.
 */
import type { AST } from 'toml-eslint-parser';
import type { Parsed, Problem, TextRange } from '../text';
import { describeType, keyName, rangeOf } from '../toml/tomlAst';
import { LockfileBuilder, type PackageInput, type VersionInput } from './lockfileBuilder';
import type { Lockfile } from './types';

const STRING_FIELDS = ['name', 'version', 'source', 'checksum', 'replace'] as const;

/** The table's single-key entries; dotted keys are nothing cargo writes or reads in a lockfile. */
function fieldsOf(body: readonly AST.TOMLKeyValue[]): Map<string, AST.TOMLContentNode> {
	const fields = new Map<string, AST.TOMLContentNode>();
	for (const keyValue of body) {
		const [part, ...rest] = keyValue.key.keys;
		if (part && rest.length === 0) fields.set(keyName(part), keyValue.value);
	}
	return fields;
}

/** `[[package]]` or `[root]`, up to the closing bracket(s). */
function headerRange(text: string, table: AST.TOMLTable): TextRange {
	const close = text.indexOf(']', table.key.range[1]);
	return { start: table.range[0], end: close === -1 ? table.key.range[1] : close + (table.kind === 'array' ? 2 : 1) };
}

/**
 * The package's fields, or undefined (with a problem) when one has a type cargo would reject.
 * `range` and `header` are the table's and its header's: both the inline table for `package = [{ ... }]`.
 */
function packageInput(body: readonly AST.TOMLKeyValue[], range: TextRange, header: TextRange, problems: Problem[]): PackageInput | undefined {
	const fields = fieldsOf(body);
	const name = fields.get('name');
	const label = name?.type === 'TOMLValue' && name.kind === 'string' ? `[[package]] ${name.value}` : 'a [[package]]';
	const strings: Partial<Record<(typeof STRING_FIELDS)[number], string>> = {};
	for (const field of STRING_FIELDS) {
		const node = fields.get(field);
		if (!node) continue;
		if (node.type !== 'TOMLValue' || node.kind !== 'string') {
			problems.push({ code: 'lockfile-entry', severity: 'error', message: `\`${field}\` of ${label} must be a string, not ${describeType(node)}`, range });
			return undefined;
		}
		strings[field] = node.value;
	}
	const dependencies: string[] = [];
	const dependenciesNode = fields.get('dependencies');
	if (dependenciesNode) {
		const elements = dependenciesNode.type === 'TOMLArray' ? dependenciesNode.elements : undefined;
		if (!elements?.every((element) => element.type === 'TOMLValue' && element.kind === 'string')) {
			problems.push({ code: 'lockfile-entry', severity: 'error', message: `\`dependencies\` of ${label} must be an array of strings`, range });
			return undefined;
		}
		for (const element of elements) dependencies.push((element as AST.TOMLStringValue).value);
	}
	return {
		name: strings.name,
		nameRange: name && rangeOf(name),
		version: strings.version,
		source: strings.source,
		checksum: strings.checksum,
		dependencies,
		dependenciesRange: dependenciesNode && rangeOf(dependenciesNode),
		replace: strings.replace,
		headerRange: header,
		range,
	};
}

export function readLockfileToml(text: string, program: AST.TOMLProgram | undefined, problems: Problem[]): Parsed<Lockfile> {
	const builder = new LockfileBuilder(problems);
	let version: VersionInput | undefined;
	const metadata = new Map<string, string>();
	for (const item of program?.body[0].body ?? []) {
		if (item.type === 'TOMLKeyValue') {
			const key = item.key.keys.length === 1 ? keyName(item.key.keys[0]!) : undefined;
			if (key === 'version') {
				version = { value: item.value.type === 'TOMLValue' && item.value.kind === 'integer' ? item.value.value : undefined, range: rangeOf(item.value) };
			} else if (key === 'package' && item.value.type === 'TOMLArray') {
				// `package = [{ ... }, ...]` is the same array of tables, written inline.
				for (const element of item.value.elements) {
					const input = element.type === 'TOMLInlineTable' && packageInput(element.body, rangeOf(element), rangeOf(element), problems);
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
			const input = packageInput(item.body, rangeOf(item), headerRange(text, item), problems);
			if (input) builder.addPackage(input);
		} else if (item.kind === 'standard' && first === 'metadata' && second === undefined) {
			for (const [key, node] of fieldsOf(item.body)) if (node.type === 'TOMLValue' && node.kind === 'string') metadata.set(key, node.value);
		}
	}
	return builder.finish(text, version, metadata);
}
