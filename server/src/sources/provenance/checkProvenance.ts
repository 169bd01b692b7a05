/**
 * One package's provenance verdict from what was read of it (packageInventory.ts): its vcs info and repository
 * are checked before git is ever started (hostile values give `error` or `unsupported-repository`), then the
 * repository's tree at the recorded commit is listed (CommitTrees) and compared (compareWithTree.ts).
 */
import type { ProvenanceFacts } from '../../engine/provenance/types';
import type { CommitTrees } from '../git/commitTrees';
import { compareWithTree, repositoryPathOf } from './compareWithTree';
import type { PackageInventory } from './packageInventory';
import { checkRepositoryUrl } from './repositoryUrl';
import { parseVcsInfo } from './vcsInfo';

/** `transient`: a failure of git itself (not of the repository), worth trying again rather than keeping. */
export interface Verdict {
	facts: ProvenanceFacts;
	transient?: boolean;
}

export async function checkProvenance(inventory: PackageInventory, trees: Pick<CommitTrees, 'list'>, signal: AbortSignal): Promise<Verdict> {
	const base = { repository: inventory.repository ?? null, commit: null, pathInVcs: null, dirty: null, modified: null, added: null, repositorySymlinks: [], skipped: inventory.skipped };
	if (inventory.vcsInfoText === undefined) return { facts: { ...base, status: 'no-vcs-info', reason: 'the package has no .cargo_vcs_info.json' } };
	const vcs = parseVcsInfo(inventory.vcsInfoText);
	if ('error' in vcs) return { facts: { ...base, status: 'error', reason: vcs.error } };
	const recorded = { ...base, commit: vcs.sha1, pathInVcs: vcs.pathInVcs, dirty: vcs.dirty };
	if (inventory.repository === undefined) return { facts: { ...recorded, status: 'error', reason: inventory.manifestProblem ?? 'the packaged Cargo.toml cannot be read' } };
	if (inventory.repository === null) return { facts: { ...recorded, status: 'no-repository', reason: 'the packaged Cargo.toml has no package.repository' } };
	const url = checkRepositoryUrl(inventory.repository);
	if ('reason' in url) return { facts: { ...recorded, status: 'unsupported-repository', reason: url.reason } };
	const wanted = new Set<string>();
	for (const file of inventory.files) {
		const theirs = repositoryPathOf(file.path);
		if (theirs !== undefined) wanted.add(theirs);
	}
	const listing = await trees.list(url.url, vcs.sha1, vcs.pathInVcs, (path) => wanted.has(path), signal);
	// A failure to run or read git says nothing about the package: tried again next time.
	if (listing.status === 'error') return { facts: { ...recorded, status: 'error', reason: listing.reason }, transient: true };
	if (listing.status !== 'found') return { facts: { ...recorded, status: listing.status, reason: listing.reason } };
	return { facts: compareWithTree(inventory, vcs, inventory.repository, listing.entries) };
}
