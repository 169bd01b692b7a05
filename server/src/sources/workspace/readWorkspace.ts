/**
 * Finds a Cargo workspace on disk the way cargo does and reads its files: the root manifest, every member's
 * manifest (member globs, excludes, and path dependencies inside the root), and the root's Cargo.lock.
 * Open editor buffers win over disk through `overlay`. Reading only: nothing in the workspace is ever executed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseManifest } from '../../engine/manifest/parseManifest';
import { isExcludedFromWorkspace, isWorkspaceMember, memberPatternBase, matchesMemberPattern } from '../../engine/manifest/workspaceMembers';
import type { Manifest } from '../../engine/manifest/types';
import type { SourceText } from '../../engine/toml/sourceText';
import { decodeUtf8 } from './decodeUtf8';

/** Returns the text of an open document for a path, when the editor has one. */
export type Overlay = (path: string) => string | undefined;

export interface WorkspaceFiles {
	root: string;
	/** The root manifest first, then members in path order. */
	manifests: SourceText[];
	lockfile: SourceText | undefined;
	/** Files that should be there but could not be read. */
	problems: { file: string; message: string }[];
}

/** Upper bound on members, so a hostile glob such as `**` in a huge tree cannot stall the server. */
const maxMembers = 2000;

export async function readText(path: string, overlay?: Overlay): Promise<SourceText | undefined> {
	const open = overlay?.(path);
	if (open !== undefined) return { path, text: open };
	const bytes = await readFile(path).catch(() => undefined);
	return bytes && decodeUtf8(path, bytes);
}

async function readManifestAt(dir: string, overlay?: Overlay): Promise<Manifest | undefined> {
	const file = await readText(join(dir, 'Cargo.toml'), overlay);
	return file && parseManifest(file.text).value;
}

/**
 * The workspace root for a Cargo.toml, Cargo.lock or directory: the nearest manifest's own `[workspace]`,
 * its `package.workspace` key, else the first ancestor `[workspace]` that lists it as a member, else its own directory.
 */
export async function findWorkspaceRoot(start: string, overlay?: Overlay): Promise<string | undefined> {
	let dir = (await stat(start).then((s) => s.isDirectory(), () => false)) ? start : dirname(start);
	let packageDir: string | undefined;
	let manifest: Manifest | undefined;
	for (let current = dir; ; current = dirname(current)) {
		manifest = await readManifestAt(current, overlay);
		if (manifest) {
			packageDir = current;
			break;
		}
		if (dirname(current) === current) return undefined;
	}
	dir = packageDir;
	if (manifest.workspace) return dir;
	if (manifest.packageWorkspace) return resolve(dir, manifest.packageWorkspace);
	for (let current = dirname(dir); current !== dir; current = dirname(current)) {
		const candidate = await readManifestAt(current, overlay);
		if (candidate?.workspace) {
			const rel = relative(current, dir).split(sep).join('/');
			return isWorkspaceMember(rel, candidate.workspace.members, candidate.workspace.exclude) ? current : dir;
		}
		if (dirname(current) === current) break;
	}
	return dir;
}

export async function readWorkspace(root: string, overlay?: Overlay): Promise<WorkspaceFiles> {
	const problems: WorkspaceFiles['problems'] = [];
	const rootPath = join(root, 'Cargo.toml');
	const rootFile = await readText(rootPath, overlay);
	if (rootFile === undefined) {
		return { root, manifests: [], lockfile: undefined, problems: [{ file: rootPath, message: `cannot read ${rootPath}` }] };
	}
	const manifests = new Map<string, SourceText>([[rootPath, rootFile]]);
	const rootManifest = parseManifest(rootFile.text).value;
	const queue: { dir: string; manifest: Manifest }[] = [{ dir: root, manifest: rootManifest }];
	const workspace = rootManifest.workspace;
	const inherit = { workspaceDependencies: workspace?.dependencies ?? [], workspacePackage: rootManifest.workspacePackage ?? {} };
	const exclude = workspace?.exclude ?? [];

	const addMember = async (dir: string, explicit: boolean): Promise<void> => {
		const path = join(dir, 'Cargo.toml');
		if (manifests.has(path) || manifests.size >= maxMembers) return;
		const file = await readText(path, overlay);
		if (file === undefined) {
			if (explicit) problems.push({ file: rootPath, message: `workspace member ${relative(root, dir) || '.'} has no Cargo.toml` });
			return;
		}
		manifests.set(path, file);
		queue.push({ dir, manifest: parseManifest(file.text, inherit).value });
	};

	if (workspace) {
		for (const pattern of workspace.members) {
			if (/[*?[]/.test(pattern)) {
				for (const dir of await expandMemberGlob(root, pattern)) {
					if (isWorkspaceMember(relative(root, dir).split(sep).join('/'), workspace.members, exclude)) await addMember(dir, false);
				}
			} else {
				await addMember(resolve(root, pattern), true);
			}
		}
	}
	// Path dependencies that live inside the workspace directory are members too (cargo's implicit membership).
	while (queue.length) {
		const { dir, manifest } = queue.shift()!;
		if (!workspace) continue;
		for (const dep of manifest.dependencies) {
			if (dep.source.kind !== 'path') continue;
			// An inherited `path` is written in the root's [workspace.dependencies], so it is relative to the root.
			const depDir = resolve(dep.inheritsFromWorkspace ? root : dir, dep.source.path);
			const rel = relative(root, depDir);
			if (rel.startsWith('..') || rel === '' || isExcludedFromWorkspace(rel.split(sep).join('/'), workspace.members, exclude)) continue;
			await addMember(depDir, false);
		}
	}

	const lockPath = join(root, 'Cargo.lock');
	const lockfile = await readText(lockPath, overlay);
	const [first, ...rest] = manifests.values();
	return {
		root,
		manifests: [first!, ...rest.sort((a, b) => a.path.localeCompare(b.path))],
		lockfile,
		problems,
	};
}

/** Lists the directories under the pattern's literal base that the glob matches (at most the pattern's depth). */
async function expandMemberGlob(root: string, pattern: string): Promise<string[]> {
	const base = memberPatternBase(pattern);
	const unbounded = pattern.includes('**');
	const depth = pattern.split('/').length - (base ? base.split('/').length : 0);
	const found: string[] = [];
	const walk = async (rel: string, level: number): Promise<void> => {
		if (level > depth && !unbounded) return;
		if (found.length >= maxMembers) return;
		let entries;
		try {
			entries = await readdir(join(root, rel), { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (!entry.isDirectory() || entry.name === 'target' || entry.name.startsWith('.')) continue;
			const child = rel ? `${rel}/${entry.name}` : entry.name;
			if (matchesMemberPattern(pattern, child)) found.push(join(root, child));
			await walk(child, level + 1);
		}
	};
	await walk(base, 1);
	return found.sort();
}
