/**
 * The pin/upgrade edits against the texts as they are now, when the user picks the fix: the finding was computed
 * from an earlier analysis, and the buffers may have changed since. Parses the manifests and the lockfile and
 * resolves the entries again (no facts, no rules), then edits every entry that resolves to `name@locked`.
 */
import { parseLockfile } from '../lockfile/parseLockfile';
import { parseManifest } from '../manifest/parseManifest';
import { resolveWorkspace } from '../resolve';
import type { SourceText } from '../toml/sourceText';
import type { ManifestAnalysis } from '../analyze';
import { pinEdits, type FileEdit } from './requirementEdits';

export interface WorkspaceTexts {
	/** The root manifest first. */
	manifests: readonly SourceText[];
	lockfile: SourceText | undefined;
}

/** Empty when the package is no longer locked at `locked` or no entry of it has a version to edit. */
export function pinEditsFromTexts(workspace: WorkspaceTexts, name: string, locked: string, version: string): FileEdit[] {
	const [root] = workspace.manifests;
	if (!root || !workspace.lockfile) return [];
	const lockfile = parseLockfile(workspace.lockfile.text).value;
	const pkg = lockfile.packages.find((candidate) => candidate.name === name && candidate.version === locked && candidate.source.kind !== 'path' && candidate.source.kind !== 'git');
	if (!pkg) return [];
	const rootManifest = parseManifest(root.text).value;
	const inherit = { workspaceDependencies: rootManifest.workspace?.dependencies ?? [], workspacePackage: rootManifest.workspacePackage ?? {} };
	// Every manifest parsed with the root's templates, the root included, so `workspace = true` entries resolve (as analyze does).
	const members = workspace.manifests.map((file) => ({ manifestPath: file.path, manifest: parseManifest(file.text, inherit).value }));
	const resolution = resolveWorkspace(members, lockfile).value;
	const manifests: ManifestAnalysis[] = members.map(({ manifestPath, manifest }) => ({ path: manifestPath, manifest, deps: resolution.dependenciesOf(manifestPath).map((dep) => ({ spec: dep.spec, lockIndex: dep.lockIndex })) }));
	const texts = new Map(workspace.manifests.map((file) => [file.path, file.text]));
	return pinEdits(manifests, texts, pkg.index, version);
}
