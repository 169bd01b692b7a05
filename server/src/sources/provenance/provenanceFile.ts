/**
 * One file of a package's provenance, for the diff view: the published copy (read from the same located,
 * checksum-verified source as the comparison) or the repository's at the recorded commit (its blob fetched on
 * demand). Text only; never throws.
 */
import type { LockedPackage } from '../../engine/lockfile/types';
import type { ProvenanceFacts } from '../../engine/provenance/types';
import { sharedByteBudget } from '../crateSource/byteBudget';
import { type LocateOptions, locateCrateSource } from '../crateSource/locateCrateSource';
import type { CommitTrees } from '../git/commitTrees';
import { repositoryPathOf } from './compareWithTree';
import { checkRepositoryUrl } from './repositoryUrl';

export type FileSide = 'published' | 'repository';

/** `absent`: that side has no such file (an added file has no repository side). */
export type ProvenanceFileText = { text: string } | { absent: true; text: '' } | { error: string };

const decoder = new TextDecoder('utf-8', { fatal: false });

export async function publishedFileText(pkg: LockedPackage, path: string, locate: Omit<LocateOptions, 'signal' | 'lease' | 'keepFile'>, signal: AbortSignal): Promise<ProvenanceFileText> {
	const lease = sharedByteBudget.lease();
	try {
		const located = await locateCrateSource(pkg, { ...locate, signal, lease, keepFile: path });
		if (located.status === 'unknown') return { error: located.reason };
		const file = located.files.find((candidate) => candidate.path === path);
		return file ? { text: decoder.decode(file.bytes) } : { absent: true, text: '' };
	} finally {
		lease.release();
	}
}

export async function repositoryFileText(facts: ProvenanceFacts, path: string, trees: Pick<CommitTrees, 'readFile'>, signal: AbortSignal): Promise<ProvenanceFileText> {
	if (facts.repository === null || facts.commit === null || facts.pathInVcs === null) return { error: 'the package names no repository and commit' };
	const url = checkRepositoryUrl(facts.repository);
	if ('reason' in url) return { error: url.reason };
	// The package's Cargo.toml.orig is the repository's Cargo.toml; a file never compared has no repository side.
	const theirs = repositoryPathOf(path);
	if (theirs === undefined) return { error: `${path} is not compared with the repository` };
	const read = await trees.readFile(url.url, facts.commit, facts.pathInVcs, theirs, signal);
	if ('error' in read) return read;
	if ('absent' in read) return { absent: true, text: '' };
	const text = decoder.decode(read.bytes);
	return { text: read.symlink ? `(the repository holds a symbolic link here, to: ${text})\n` : text };
}
