/**
 * Every Cargo workspace inside an editor folder: a folder often holds several (a monorepo, examples, fuzz crates),
 * and a crate in a subfolder must be checked although the folder itself has no Cargo.toml.
 * Bounded in depth and in directories read, and skipping build output, VCS data, JavaScript dependencies and
 * vendored sources (their manifests are other people's crates, not workspaces the user works on).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseCache } from '../../engine/analyze';
import { findWorkspaceRoot, type Overlay } from './readWorkspace';

/** How far below the folder we look; deeper manifests are found when one of their files is opened. */
export const maxDepth = 4;
/** Directories read per folder at most, so a huge tree (a home directory opened as a folder) stays cheap. */
export const maxDirectories = 2000;
const skipped = new Set(['target', '.git', 'node_modules', 'vendor', 'third_party', '.cargo']);

/**
 * The workspace roots of every Cargo.toml found in `folder`, each once, in discovery order (shallowest first).
 * One parse cache for the whole search: every member leads to the same root manifest, which is parsed once
 * (wasmtime's 103 manifests parsed its large root manifest 100 times, most of the first analysis' garbage).
 */
export async function discoverWorkspaces(folder: string, overlay?: Overlay, cache: ParseCache = new ParseCache()): Promise<string[]> {
	const manifests: string[] = [];
	let queue: string[] = [folder];
	let read = 0;
	for (let depth = 0; depth <= maxDepth && queue.length; depth++) {
		const next: string[] = [];
		for (const dir of queue) {
			if (read++ >= maxDirectories) break;
			const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
			for (const entry of entries) {
				// Symbolic links are not followed: they can loop, or lead outside the folder.
				if (entry.isFile() && entry.name === 'Cargo.toml') manifests.push(join(dir, entry.name));
				else if (entry.isDirectory() && !skipped.has(entry.name) && !entry.name.startsWith('.')) next.push(join(dir, entry.name));
			}
		}
		queue = next.sort();
	}
	const roots: string[] = [];
	for (const manifest of manifests) {
		const root = await findWorkspaceRoot(manifest, overlay, cache);
		if (root && !roots.includes(root)) roots.push(root);
	}
	return roots;
}
