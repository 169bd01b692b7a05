/**
 * The manifest edits behind "Pin to X.Y.Z" and "Upgrade to X.Y.Z" (issue 15): every entry that brings the locked
 * package in gets the requirement `=X.Y.Z`, in whatever form it is written. Only the characters inside the version
 * string change, so the quote style, comments, spacing and key order around it stay as they are.
 * An entry that inherits (`workspace = true`) edits the root's `[workspace.dependencies]` entry instead, even from a
 * member's manifest. An entry without a version of its own (`git`, `path` only) gets no edit.
 * Pure: works on the texts and ranges the analysis already has.
 */
import type { ManifestAnalysis } from '../analyze';
import type { DependencySpec } from '../manifest/types';
import type { TextRange } from '../text';

export interface FileEdit {
	/** Absolute path of the manifest to edit. */
	file: string;
	/** UTF-16 offsets into that file's text. */
	range: TextRange;
	newText: string;
}

export interface ManifestText {
	path: string;
	text: string;
}

/** The requirement a fix writes: exactly that version, as `cargo update --precise` will lock it. */
export function pinnedRequirement(version: string): string {
	return `=${version}`;
}

/** The range inside the string's delimiters (`"…"`, `'…'`, `"""…"""`, `'''…'''`), so the quote style is kept. */
function innerRange(text: string, range: TextRange): TextRange | undefined {
	const literal = text.slice(range.start, range.end);
	const delimiter = /^("""|'''|"|')/.exec(literal)?.[1];
	if (!delimiter || !literal.endsWith(delimiter) || literal.length < delimiter.length * 2) return undefined;
	return { start: range.start + delimiter.length, end: range.end - delimiter.length };
}

/**
 * The edit for one entry: on its own version string, or on the root's `[workspace.dependencies]` entry it inherits.
 * `root` is the workspace root manifest (with its parsed `[workspace.dependencies]`), when there is one.
 */
export function requirementEdit(spec: DependencySpec, manifest: ManifestText, root: (ManifestText & { workspaceDependencies: readonly DependencySpec[] }) | undefined, version: string): FileEdit | undefined {
	if (spec.inheritsFromWorkspace) {
		const rootSpec = root?.workspaceDependencies.find((candidate) => candidate.key === spec.key);
		return rootSpec && root ? requirementEdit(rootSpec, root, undefined, version) : undefined;
	}
	// Only registry entries name a version cargo resolves against the index; a git or path entry's version is not pinned.
	if (spec.source.kind !== 'registry' || !spec.versionRange) return undefined;
	const inner = innerRange(manifest.text, spec.versionRange);
	return inner ? { file: manifest.path, range: inner, newText: pinnedRequirement(version) } : undefined;
}

/**
 * Every edit that moves the locked package `lockIndex` to `version`: each manifest entry resolved to it (cargo must
 * satisfy all of them with one version, so pinning one entry alone would not resolve). Edits on the same root
 * entry (several members inheriting it) are given once. Empty when no entry can be edited.
 */
export function pinEdits(manifests: readonly ManifestAnalysis[], texts: ReadonlyMap<string, string>, lockIndex: number, version: string): FileEdit[] {
	const rootAnalysis = manifests[0];
	const rootText = rootAnalysis ? texts.get(rootAnalysis.path) : undefined;
	const root = rootAnalysis?.manifest.workspace && rootText !== undefined ? { path: rootAnalysis.path, text: rootText, workspaceDependencies: rootAnalysis.manifest.workspace.dependencies } : undefined;
	const edits: FileEdit[] = [];
	for (const analysis of manifests) {
		const text = texts.get(analysis.path);
		if (text === undefined) continue;
		for (const dep of analysis.deps) {
			if (dep.lockIndex !== lockIndex) continue;
			const edit = requirementEdit(dep.spec, { path: analysis.path, text }, root, version);
			if (edit && !edits.some((seen) => seen.file === edit.file && seen.range.start === edit.range.start)) edits.push(edit);
		}
	}
	return edits;
}
