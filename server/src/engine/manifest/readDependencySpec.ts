/**
 * Reads one dependency table of a Cargo.toml (`[dependencies]`, `[target.X.dev-dependencies]`,
 * `[workspace.dependencies]`, `[patch.crates-io]`, ...) into `DependencySpec`s, from the merged key tree,
 * so sub-tables, inline tables and dotted keys all read the same. Entries of the wrong type become problems, not specs.
 */
import type { AST } from 'toml-eslint-parser';
import type { Problem } from '../text';
import { describeType, rangeOf, spanOf, staticValue, type TomlTreeNode } from '../toml/tomlAst';
import type { DependencySpec, DependencyTable, SourceKind } from './types';

export interface DependencyContext {
	problems: Problem[];
	/** The specs `workspace = true` entries inherit from; undefined where inheriting is not allowed. */
	inherited: readonly DependencySpec[] | undefined;
}

type FieldType = 'string' | 'boolean' | 'array';

/** The fields whose type we check; cargo rejects a manifest where they have another type. Others are ignored. */
const FIELD_TYPES = new Map<string, FieldType>([
	['version', 'string'],
	['git', 'string'],
	['branch', 'string'],
	['tag', 'string'],
	['rev', 'string'],
	['path', 'string'],
	['registry', 'string'],
	['registry-index', 'string'],
	['package', 'string'],
	['optional', 'boolean'],
	['workspace', 'boolean'],
	['default-features', 'boolean'],
	['default_features', 'boolean'],
	['features', 'array'],
]);

function typeMatches(node: AST.TOMLContentNode, type: FieldType): boolean {
	if (type === 'array') return node.type === 'TOMLArray';
	return node.type === 'TOMLValue' && node.kind === type;
}

/** A `manifest-type` problem on the node's value, or on its key when it is a table. */
export function typeProblem(message: string, node: TomlTreeNode): Problem {
	const range = node.value ? rangeOf(node.value) : rangeOf(node.keys[0]!);
	return { code: 'manifest-type', severity: 'error', message, range };
}

/** The entry's fields with their value nodes, or undefined (and a problem) when one has the wrong type. */
function readFields(key: string, node: TomlTreeNode, problems: Problem[]): Map<string, AST.TOMLContentNode> | undefined {
	const fields = new Map<string, AST.TOMLContentNode>();
	for (const [name, field] of node.children) {
		const type = FIELD_TYPES.get(name);
		if (!type) continue;
		if (!field.value || !typeMatches(field.value, type)) {
			const actual = field.value ? describeType(field.value) : 'a table';
			problems.push(typeProblem(`\`${name}\` of dependency \`${key}\` must be ${type === 'array' ? 'an array' : `a ${type}`}, not ${actual}`, field));
			return undefined;
		}
		fields.set(name, field.value);
	}
	return fields;
}

function stringField(fields: ReadonlyMap<string, AST.TOMLContentNode>, name: string): string | undefined {
	const node = fields.get(name);
	return node ? (staticValue(node) as string) : undefined;
}

function sourceOf(fields: ReadonlyMap<string, AST.TOMLContentNode>): SourceKind {
	const git = stringField(fields, 'git');
	if (git !== undefined) {
		const source: SourceKind & { kind: 'git' } = { kind: 'git', url: git };
		const branch = stringField(fields, 'branch');
		const tag = stringField(fields, 'tag');
		const rev = stringField(fields, 'rev');
		if (branch !== undefined) source.branch = branch;
		if (tag !== undefined) source.tag = tag;
		if (rev !== undefined) source.rev = rev;
		return source;
	}
	const path = stringField(fields, 'path');
	if (path !== undefined) return { kind: 'path', path };
	const source: SourceKind & { kind: 'registry' } = { kind: 'registry' };
	const registry = stringField(fields, 'registry');
	const registryIndex = stringField(fields, 'registry-index');
	if (registry !== undefined) source.registry = registry;
	if (registryIndex !== undefined) source.registryIndex = registryIndex;
	return source;
}

/**
 * Reads the entry `key` of a dependency table. `crateName` overrides the crate name when the key is not one
 * (the package id specs of `[replace]`). Returns undefined, with a problem, for an entry cargo would reject.
 */
export function readDependency(key: string, node: TomlTreeNode, table: DependencyTable, context: DependencyContext, crateName = key): DependencySpec | undefined {
	const { problems } = context;
	const written = {
		key,
		table,
		keyRange: rangeOf(node.keys[0]!),
		entryRange: spanOf(node.statements),
	};
	if (node.value) {
		if (node.value.type === 'TOMLValue' && node.value.kind === 'string') {
			return { ...written, crateName, versionReq: node.value.value, source: { kind: 'registry' }, inheritsFromWorkspace: false, optional: false, versionRange: rangeOf(node.value) };
		}
		problems.push(typeProblem(`dependency \`${key}\` must be a version string or a table, not ${describeType(node.value)}`, node));
		return undefined;
	}
	const fields = readFields(key, node, problems);
	if (!fields) return undefined;
	const versionNode = fields.get('version');
	const versionRange = versionNode ? rangeOf(versionNode) : undefined;
	const optional = fields.has('optional') && staticValue(fields.get('optional')!) === true;
	const workspace = fields.get('workspace');
	if (workspace) {
		const { keyRange } = written;
		if (staticValue(workspace) === false) {
			problems.push({ code: 'workspace-inherit', severity: 'error', message: `\`workspace\` of dependency \`${key}\` cannot be false; remove it or set it to true`, range: rangeOf(workspace) });
			return undefined;
		}
		if (!context.inherited) {
			problems.push({ code: 'workspace-inherit', severity: 'error', message: `\`${key}\` cannot inherit with \`workspace = true\` here`, range: keyRange });
			return undefined;
		}
		const root = context.inherited.find((spec) => spec.key === key);
		if (!root) {
			problems.push({
				code: 'workspace-inherit',
				severity: 'error',
				message: `\`${key}\` has \`workspace = true\`, but the workspace root has no \`[workspace.dependencies]\` entry \`${key}\``,
				range: keyRange,
			});
		}
		// Only `features`, `optional` and `default-features` may accompany `workspace = true`; the rest comes from the root.
		return {
			...written,
			crateName: root?.crateName ?? key,
			versionReq: root?.versionReq,
			source: root?.source ?? { kind: 'registry' },
			inheritsFromWorkspace: true,
			optional,
			versionRange,
		};
	}
	return {
		...written,
		crateName: stringField(fields, 'package') ?? crateName,
		versionReq: stringField(fields, 'version'),
		source: sourceOf(fields),
		inheritsFromWorkspace: false,
		optional,
		versionRange,
	};
}

/** Every entry of a dependency table node; a table node that is not a table is a problem. */
export function readDependencyTable(name: string, node: TomlTreeNode | undefined, table: DependencyTable, context: DependencyContext): DependencySpec[] {
	if (!node) return [];
	if (node.value) {
		context.problems.push(typeProblem(`\`${name}\` must be a table, not ${describeType(node.value)}`, node));
		return [];
	}
	const specs: DependencySpec[] = [];
	for (const [key, entry] of node.children) {
		const spec = readDependency(key, entry, table, context);
		if (spec) specs.push(spec);
	}
	return specs;
}
