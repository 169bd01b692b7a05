/**
 * Finds a Cargo workspace on disk the way cargo does and reads its files: the root manifest, every member's
 * manifest (member globs, excludes, and path dependencies inside the root), and the root's Cargo.lock.
 * Open editor buffers win over disk through `overlay`. Reading only: nothing in the workspace is ever executed.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ParseCache } from '../../engine/analyze';
import { parseManifest } from '../../engine/manifest/parseManifest';
import { isExcludedFromWorkspace, isWorkspaceMember, memberPatternBase, matchesMemberPattern } from '../../engine/manifest/workspaceMembers';
import type { Manifest } from '../../engine/manifest/types';
import type { SourceText } from '../../engine/toml/sourceText';
import { fsErrorReason, isAbsentError } from '../fsErrors';
import { readRegularBytes } from '../readRegularFile';
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
	/** Files that exist but could not be read (permission denied, a directory): never mistaken for absent ones. */
	unreadable: UnreadableFile[];
}

export interface UnreadableFile {
	path: string;
	kind: 'manifest' | 'lockfile';
	/** In words (`fsErrorReason`): "permission denied", "is a directory". */
	reason: string;
}

/** Reads a file's bytes (decoded here, as editors do) or text; injectable so tests can fake errors that root (which tests run as) never gets. */
export type ReadFile = (path: string) => Promise<Uint8Array | string>;
const readBytes: ReadFile = readRegularBytes;

type ReadResult = { file: SourceText } | { missing: true } | { error: string };

/** Upper bound on members, so a hostile glob such as `**` in a huge tree cannot stall the server. */
const maxMembers = 2000;

async function readResult(path: string, overlay: Overlay | undefined, read: ReadFile): Promise<ReadResult> {
	const open = overlay?.(path);
	if (open !== undefined) return { file: { path, text: open } };
	try {
		const content = await read(path);
		return { file: typeof content === 'string' ? { path, text: content } : decodeUtf8(path, content) };
	} catch (error) {
		return isAbsentError(error) ? { missing: true } : { error: fsErrorReason(error) };
	}
}

export async function readText(path: string, overlay?: Overlay): Promise<SourceText | undefined> {
	const result = await readResult(path, overlay, readBytes);
	return 'file' in result ? result.file : undefined;
}

/** The manifest in `dir`; `unreadable` when a Cargo.toml is there but cannot be read (so the search stops at it). */
async function readManifestAt(dir: string, overlay: Overlay | undefined, cache: ParseCache): Promise<Manifest | 'unreadable' | undefined> {
	const result = await readResult(join(dir, 'Cargo.toml'), overlay, readBytes);
	if ('error' in result) return 'unreadable';
	if (!('file' in result)) return undefined;
	const { text } = result.file;
	return cache.manifest(text, undefined, () => parseManifest(text)).value;
}

/**
 * The workspace root for a Cargo.toml, Cargo.lock or directory: the nearest manifest's own `[workspace]`,
 * its `package.workspace` key, else the first ancestor `[workspace]` that lists it as a member, else its own directory.
 * A nearest Cargo.toml that cannot be read makes its directory the root, so reading it says why.
 * Pass one `cache` when finding the roots of many manifests: each reads the same workspace root manifest.
 */
export async function findWorkspaceRoot(start: string, overlay?: Overlay, cache: ParseCache = new ParseCache()): Promise<string | undefined> {
	let dir = (await stat(start).then((s) => s.isDirectory(), () => false)) ? start : dirname(start);
	let packageDir: string | undefined;
	let manifest: Manifest | undefined;
	for (let current = dir; ; current = dirname(current)) {
		const found = await readManifestAt(current, overlay, cache);
		if (found === 'unreadable') return current;
		if (found) {
			manifest = found;
			packageDir = current;
			break;
		}
		if (dirname(current) === current) return undefined;
	}
	dir = packageDir;
	if (manifest.workspace) return dir;
	if (manifest.packageWorkspace) return resolve(dir, manifest.packageWorkspace);
	for (let current = dirname(dir); current !== dir; current = dirname(current)) {
		const candidate = await readManifestAt(current, overlay, cache);
		if (candidate !== 'unreadable' && candidate?.workspace) {
			const rel = relative(current, dir).split(sep).join('/');
			return isWorkspaceMember(rel, candidate.workspace.members, candidate.workspace.exclude) ? current : dir;
		}
		if (dirname(current) === current) break;
	}
	return dir;
}

/** `cache` shares parses with the analysis that follows (the same texts, keyed the same way): each text is parsed once. */
export async function readWorkspace(root: string, overlay?: Overlay, read: ReadFile = readBytes, cache: ParseCache = new ParseCache()): Promise<WorkspaceFiles> {
	const problems: WorkspaceFiles['problems'] = [];
	const unreadable: UnreadableFile[] = [];
	const rootPath = join(root, 'Cargo.toml');
	const rootResult = await readResult(rootPath, overlay, read);
	if (!('file' in rootResult)) {
		const reason = 'error' in rootResult ? rootResult.error : 'not found';
		return { root, manifests: [], lockfile: undefined, problems: [{ file: rootPath, message: `cannot read ${rootPath}: ${reason}` }], unreadable: [{ path: rootPath, kind: 'manifest', reason }] };
	}
	const rootFile = rootResult.file;
	const manifests = new Map<string, SourceText>([[rootPath, rootFile]]);
	const rootManifest = cache.manifest(rootFile.text, undefined, () => parseManifest(rootFile.text)).value;
	const queue: { dir: string; manifest: Manifest }[] = [{ dir: root, manifest: rootManifest }];
	const workspace = rootManifest.workspace;
	const inherit = { workspaceDependencies: workspace?.dependencies ?? [], workspacePackage: rootManifest.workspacePackage ?? {} };
	const exclude = workspace?.exclude ?? [];
	const inheritKey = JSON.stringify(inherit);

	const addMember = async (dir: string, explicit: boolean): Promise<void> => {
		const path = join(dir, 'Cargo.toml');
		if (manifests.has(path) || manifests.size >= maxMembers) return;
		const result = await readResult(path, overlay, read);
		if ('error' in result) {
			problems.push({ file: rootPath, message: `cannot read the Cargo.toml of workspace member ${relative(root, dir) || '.'}: ${result.error}` });
			unreadable.push({ path, kind: 'manifest', reason: result.error });
			return;
		}
		if (!('file' in result)) {
			if (explicit) problems.push({ file: rootPath, message: `workspace member ${relative(root, dir) || '.'} has no Cargo.toml` });
			return;
		}
		manifests.set(path, result.file);
		const text = result.file.text;
		queue.push({ dir, manifest: cache.manifest(text, inheritKey, () => parseManifest(text, inherit)).value });
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
	const lock = await readResult(lockPath, overlay, read);
	if ('error' in lock) unreadable.push({ path: lockPath, kind: 'lockfile', reason: lock.error });
	const [first, ...rest] = manifests.values();
	return {
		root,
		manifests: [first!, ...rest.sort((a, b) => a.path.localeCompare(b.path))],
		lockfile: 'file' in lock ? lock.file : undefined,
		problems,
		unreadable,
	};
}

/** A Cargo.lock with no Cargo.toml beside or above it, checked on its own as cargo-audit does. */
export async function readLoneLockfile(path: string, overlay?: Overlay, read: ReadFile = readBytes): Promise<WorkspaceFiles> {
	const lock = await readResult(path, overlay, read);
	const reason = 'error' in lock ? lock.error : 'not found';
	return {
		root: dirname(path),
		manifests: [],
		lockfile: 'file' in lock ? lock.file : undefined,
		problems: [],
		unreadable: 'file' in lock ? [] : [{ path, kind: 'lockfile', reason }],
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
