/**
 * Cargo.toml → `Manifest`: the package's identity, its workspace table, and every dependency of every kind and
 * target, with the ranges hover, diagnostics and edits need. Total: a broken file yields what is intact plus problems.
 */
import { parseTomlRecovering } from '../toml/parseTomlRecovering';
import { buildTomlTree, describeType, rangeOf, staticValue, treeValue, type TomlTreeNode } from '../toml/tomlAst';
import { firstLineRange, type Parsed, type Problem, type TextRange } from '../text';
import { readDependency, readDependencyTable, typeProblem, type DependencyContext } from './readDependencySpec';
import type { DependencyKind, DependencySpec, Manifest, PatchSpec, WorkspaceSection } from './types';

export interface ManifestOptions {
	/** The workspace root's `[workspace.dependencies]`, for `workspace = true` entries; defaults to this manifest's own. */
	workspaceDependencies?: DependencySpec[];
	/** The workspace root's `[workspace.package]`, for `version.workspace = true`; defaults to this manifest's own. */
	workspacePackage?: Record<string, unknown>;
}

/** The dependency tables of a manifest or of a `[target.X]` table, with cargo's legacy underscore spellings. */
const DEPENDENCY_TABLES: readonly [string, DependencyKind][] = [
	['dependencies', 'normal'],
	['dev-dependencies', 'dev'],
	['dev_dependencies', 'dev'],
	['build-dependencies', 'build'],
	['build_dependencies', 'build'],
];

/** The node when it is a table; a problem when it is something else. */
function table(name: string, node: TomlTreeNode | undefined, problems: Problem[]): TomlTreeNode | undefined {
	if (!node?.value) return node;
	problems.push(typeProblem(`\`${name}\` must be a table, not ${describeType(node.value)}`, node));
	return undefined;
}

function stringValue(name: string, node: TomlTreeNode | undefined, problems: Problem[]): { value: string; range: TextRange } | undefined {
	if (!node) return undefined;
	if (node.value?.type === 'TOMLValue' && node.value.kind === 'string') return { value: node.value.value, range: rangeOf(node.value) };
	problems.push(typeProblem(`\`${name}\` must be a string, not ${node.value ? describeType(node.value) : 'a table'}`, node));
	return undefined;
}

function stringArray(name: string, node: TomlTreeNode | undefined, problems: Problem[]): string[] {
	if (!node) return [];
	if (node.value?.type !== 'TOMLArray') {
		problems.push(typeProblem(`\`${name}\` must be an array of strings, not ${node.value ? describeType(node.value) : 'a table'}`, node));
		return [];
	}
	const strings: string[] = [];
	for (const element of node.value.elements) {
		if (element.type === 'TOMLValue' && element.kind === 'string') strings.push(element.value);
		else problems.push({ code: 'manifest-type', severity: 'error', message: `\`${name}\` must hold strings, not ${describeType(element)}`, range: rangeOf(element) });
	}
	return strings;
}

function readWorkspace(node: TomlTreeNode, problems: Problem[]): { section: WorkspaceSection; package: Record<string, unknown> | undefined } {
	const packageNode = table('workspace.package', node.children.get('package'), problems);
	return {
		section: {
			members: stringArray('workspace.members', node.children.get('members'), problems),
			exclude: stringArray('workspace.exclude', node.children.get('exclude'), problems),
			defaultMembers: stringArray('workspace.default-members', node.children.get('default-members'), problems),
			// The root's own templates cannot inherit from anything.
			dependencies: readDependencyTable('workspace.dependencies', node.children.get('dependencies'), { kind: 'normal' }, { problems, inherited: undefined }),
			range: rangeOf(node.statements[0]!),
		},
		package: packageNode && (treeValue(packageNode) as Record<string, unknown>),
	};
}

interface PackageIdentity {
	name: { value: string; range: TextRange } | undefined;
	version: string | undefined;
	workspace: string | undefined;
}

function readPackage(node: TomlTreeNode | undefined, inherited: Record<string, unknown> | undefined, problems: Problem[]): PackageIdentity {
	if (!node) return { name: undefined, version: undefined, workspace: undefined };
	const versionNode = node.children.get('version');
	let version: string | undefined;
	const inherits = versionNode && !versionNode.value ? versionNode.children.get('workspace') : undefined;
	if (inherits) {
		const rootVersion = inherited?.['version'];
		if (typeof rootVersion === 'string') {
			version = rootVersion;
		} else {
			problems.push({ code: 'workspace-inherit', severity: 'error', message: '`version` has `workspace = true`, but the workspace root has no `[workspace.package] version`', range: rangeOf(inherits.keys[0]!) });
		}
	} else {
		version = stringValue('package.version', versionNode, problems)?.value;
	}
	return {
		name: stringValue('package.name', node.children.get('name'), problems),
		version,
		workspace: stringValue('package.workspace', node.children.get('workspace'), problems)?.value,
	};
}

function readDependencyTables(parent: TomlTreeNode, prefix: string, target: string | undefined, context: DependencyContext): DependencySpec[] {
	return DEPENDENCY_TABLES.flatMap(([name, kind]) =>
		readDependencyTable(`${prefix}${name}`, parent.children.get(name), target === undefined ? { kind } : { kind, target }, context),
	);
}

function readTargets(node: TomlTreeNode | undefined, context: DependencyContext): DependencySpec[] {
	const targets = table('target', node, context.problems);
	if (!targets) return [];
	const specs: DependencySpec[] = [];
	for (const [target, targetNode] of targets.children) {
		const targetTable = table(`target.${target}`, targetNode, context.problems);
		// A loop, not `push(...specs)`: a spread passes every element on the stack, and one target can hold 100k entries.
		if (targetTable) for (const spec of readDependencyTables(targetTable, `target.${target}.`, target, context)) specs.push(spec);
	}
	return specs;
}

/** The crate name in a package id spec: `foo`, `foo:1.0`, `foo@1.0`, `https://github.com/rust-lang/crates.io-index#foo@1.0`. */
function packageIdSpecName(spec: string): string {
	const hash = spec.lastIndexOf('#');
	const nameAndVersion = hash === -1 ? spec.slice(spec.lastIndexOf('/') + 1) : spec.slice(hash + 1);
	return nameAndVersion.split(/[@:]/)[0] ?? nameAndVersion;
}

function readPatches(root: TomlTreeNode, problems: Problem[]): PatchSpec[] {
	// Neither `[patch]` nor `[replace]` entries can inherit from the workspace.
	const context: DependencyContext = { problems, inherited: undefined };
	const patches: PatchSpec[] = [];
	const patch = table('patch', root.children.get('patch'), problems);
	for (const [target, node] of patch?.children ?? []) {
		for (const dependency of readDependencyTable(`patch.${target}`, node, { kind: 'normal' }, context)) patches.push({ target, dependency });
	}
	const replace = table('replace', root.children.get('replace'), problems);
	for (const [spec, node] of replace?.children ?? []) {
		const dependency = readDependency(spec, node, { kind: 'normal' }, context, packageIdSpecName(spec));
		if (dependency) patches.push({ target: 'replace', dependency });
	}
	return patches;
}

/**
 * Where cargo-vet keeps its store, read here so the audit source needs no parse of its own: it was a second parse
 * of the root manifest on every analysis, most of an edit's cost in a large workspace.
 */
function vetStorePath(root: TomlTreeNode): string | undefined {
	for (const section of ['workspace', 'package']) {
		let node = root.children.get(section);
		for (const key of ['metadata', 'vet', 'store', 'path']) node = node?.children.get(key);
		const value = node?.value ? staticValue(node.value) : undefined;
		if (typeof value === 'string' && value !== '') return value;
	}
	return undefined;
}

export function parseManifest(text: string, options: ManifestOptions = {}): Parsed<Manifest> {
	const parsed = parseTomlRecovering(text);
	const problems = [...parsed.problems];
	if (!parsed.value) {
		return { value: { packageName: undefined, packageVersion: undefined, packageWorkspace: undefined, workspace: undefined, dependencies: [], patches: [] }, problems };
	}
	if (parsed.value.body[0].body.length === 0 && problems.length === 0) {
		// Nothing but blank lines and comments: cargo rejects it for lacking both tables.
		problems.push({ code: 'manifest-empty', severity: 'error', message: 'Cargo.toml is empty: cargo needs a `[package]` or a `[workspace]` table', range: firstLineRange(text) });
	}
	const root = buildTomlTree(parsed.value);
	const workspaceNode = table('workspace', root.children.get('workspace'), problems);
	const workspace = workspaceNode && readWorkspace(workspaceNode, problems);
	const identity = readPackage(table('package', root.children.get('package'), problems), options.workspacePackage ?? workspace?.package, problems);
	const context: DependencyContext = { problems, inherited: options.workspaceDependencies ?? workspace?.section.dependencies ?? [] };
	const dependencies = [...readDependencyTables(root, '', undefined, context), ...readTargets(root.children.get('target'), context)];
	dependencies.sort((a, b) => a.entryRange.start - b.entryRange.start);
	const manifest: Manifest = {
		packageName: identity.name?.value,
		packageVersion: identity.version,
		packageWorkspace: identity.workspace,
		workspace: workspace?.section,
		dependencies,
		patches: readPatches(root, problems),
	};
	if (identity.name) manifest.packageNameRange = identity.name.range;
	if (workspace?.package) manifest.workspacePackage = workspace.package;
	const storePath = vetStorePath(root);
	if (storePath !== undefined) manifest.vetStorePath = storePath;
	problems.sort((a, b) => a.range.start - b.range.start);
	return { value: manifest, problems };
}
