/**
 * Helpers over toml-eslint-parser's AST: ranges, static values, type names, and a key tree that merges
 * the many ways TOML can write one table (headers, dotted keys, inline tables) while keeping the syntax behind each key.
 * Pure: reads the AST, never the file system.
 */
import { getStaticTOMLValue, type AST } from 'toml-eslint-parser';
import type { TextRange } from '../text';

export type TomlKeyPart = AST.TOMLBare | AST.TOMLQuoted;
export type TomlStatement = AST.TOMLKeyValue | AST.TOMLTable;

export function rangeOf(node: { range: [number, number] }): TextRange {
	return { start: node.range[0], end: node.range[1] };
}

/** The smallest range covering every node, in any order. */
export function spanOf(nodes: readonly { range: [number, number] }[]): TextRange {
	let start = Infinity;
	let end = -Infinity;
	for (const node of nodes) {
		start = Math.min(start, node.range[0]);
		end = Math.max(end, node.range[1]);
	}
	return { start, end };
}

export function keyName(part: TomlKeyPart): string {
	return part.type === 'TOMLBare' ? part.name : part.value;
}

/** The JS value of a content node: strings, numbers, booleans, `Date`s, arrays and plain objects. */
export function staticValue(node: AST.TOMLContentNode): unknown {
	return getStaticTOMLValue(node);
}

/** `a string`, `an integer`, ...: for messages about a value of the wrong type. */
export function describeType(node: AST.TOMLContentNode): string {
	switch (node.type) {
		case 'TOMLArray':
			return 'an array';
		case 'TOMLInlineTable':
			return 'a table';
		case 'TOMLValue':
			switch (node.kind) {
				case 'string':
					return 'a string';
				case 'integer':
					return 'an integer';
				case 'float':
					return 'a float';
				case 'boolean':
					return 'a boolean';
				default:
					return 'a date-time';
			}
	}
}

/** One key of the document, with every piece of syntax that wrote it. */
export interface TomlTreeNode {
	/** The key parts that name this node, in file order (a table can be named by several headers and dotted keys). */
	keys: TomlKeyPart[];
	/** The outermost statements (table headers, key-values) that write this node or something below it. */
	statements: TomlStatement[];
	/** The assigned value when it is not a table; tables (inline or not) live in `children` instead. */
	value: AST.TOMLContentNode | undefined;
	children: Map<string, TomlTreeNode>;
}

function emptyNode(): TomlTreeNode {
	return { keys: [], statements: [], value: undefined, children: new Map() };
}

function child(parent: TomlTreeNode, part: TomlKeyPart, statement: TomlStatement): TomlTreeNode {
	const name = keyName(part);
	let node = parent.children.get(name);
	if (!node) {
		node = emptyNode();
		parent.children.set(name, node);
	}
	node.keys.push(part);
	node.statements.push(statement);
	return node;
}

function insertKeyValue(parent: TomlTreeNode, keyValue: AST.TOMLKeyValue): void {
	let node = parent;
	for (const part of keyValue.key.keys) node = child(node, part, keyValue);
	if (keyValue.value.type === 'TOMLInlineTable') {
		for (const inner of keyValue.value.body) insertKeyValue(node, inner);
	} else {
		node.value = keyValue.value;
	}
}

/**
 * Merges the document into one tree of keys. Arrays of tables (`[[bin]]`) and tables under them are left out:
 * nothing this project reads from a manifest lives there, and the lockfile reader walks them itself.
 */
export function buildTomlTree(program: AST.TOMLProgram): TomlTreeNode {
	const root = emptyNode();
	for (const item of program.body[0].body) {
		if (item.type === 'TOMLKeyValue') {
			insertKeyValue(root, item);
		} else if (item.kind === 'standard' && item.resolvedKey.every((part) => typeof part === 'string')) {
			let node = root;
			for (const part of item.key.keys) node = child(node, part, item);
			for (const keyValue of item.body) insertKeyValue(node, keyValue);
		}
	}
	return root;
}

/** The plain JS value of a tree node (what `getStaticTOMLValue` gives for the same key). */
export function treeValue(node: TomlTreeNode): unknown {
	if (node.value) return staticValue(node.value);
	const table: Record<string, unknown> = {};
	// Defined, not assigned, so a key named `__proto__` stays an ordinary key.
	for (const [name, entry] of node.children) Object.defineProperty(table, name, { value: treeValue(entry), enumerable: true, writable: true, configurable: true });
	return table;
}
