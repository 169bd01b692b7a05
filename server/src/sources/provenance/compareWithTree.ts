/**
 * The comparison rules of cli-report.md (`provenance`), pure: the package's files against the repository's
 * entries at `path_in_vcs`, by git blob id. Not compared: `.cargo_vcs_info.json`, `Cargo.toml` (cargo rewrites
 * it; `Cargo.toml.orig` is compared with the repository's `Cargo.toml` instead, under its own name), `Cargo.lock`
 * when the repository has none there, `.cargo-ok`, `.cargo-checksum.json`. A repository entry's id is used as it
 * is: a symbolic link's id is that of its target path, so the package's copy of the content differs (and the
 * link is named, so people see why).
 */
import type { ProvenanceFacts } from '../../engine/provenance/types';
import type { TreeEntry } from '../git/commitTrees';
import type { PackageInventory } from './packageInventory';
import type { VcsInfo } from './vcsInfo';

const NEVER_COMPARED = new Set(['.cargo_vcs_info.json', 'Cargo.toml', '.cargo-ok', '.cargo-checksum.json']);

/** The repository path a package file is compared with; undefined when it is never compared. */
export function repositoryPathOf(path: string): string | undefined {
	if (NEVER_COMPARED.has(path)) return undefined;
	return path === 'Cargo.toml.orig' ? 'Cargo.toml' : path;
}

export function compareWithTree(inventory: PackageInventory, vcs: VcsInfo, repository: string, tree: ReadonlyMap<string, TreeEntry>): ProvenanceFacts {
	const modified: string[] = [];
	const added: string[] = [];
	const repositorySymlinks: string[] = [];
	for (const file of inventory.files) {
		const theirs = repositoryPathOf(file.path);
		if (theirs === undefined) continue;
		const entry = tree.get(theirs);
		if (entry === undefined) {
			if (file.path !== 'Cargo.lock') added.push(file.path);
			continue;
		}
		if (entry.id === file.blobId) continue;
		modified.push(file.path);
		if (entry.mode === '120000') repositorySymlinks.push(file.path);
	}
	modified.sort();
	added.sort();
	repositorySymlinks.sort();
	return {
		status: modified.length > 0 || added.length > 0 ? 'modified' : vcs.dirty ? 'dirty' : 'verified',
		repository,
		commit: vcs.sha1,
		pathInVcs: vcs.pathInVcs,
		dirty: vcs.dirty,
		modified,
		added,
		reason: null,
		repositorySymlinks,
		skipped: inventory.skipped,
	};
}
