/**
 * Provenance findings (cli-report.md, `provenance`): `provenance-modified` (files of the published package that
 * match no file of its repository at the recorded commit), `provenance-dirty` (published from a work tree with
 * uncommitted changes), `provenance-missing` (nothing to compare with: no vcs info, no repository, a commit the
 * repository does not have) and `provenance-trustpub-mismatch` (crates.io's Trusted Publishing record names
 * another commit than `.cargo_vcs_info.json`). Each carries the verdict's data, so the diff command (and later the
 * pin policy) can act on it without asking again.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import type { ProvenanceFacts } from '../provenance/types';
import type { ReleaseFacts } from '../release/types';
import type { Severity } from '../text';

export type ProvenanceCode = 'provenance-modified' | 'provenance-dirty' | 'provenance-missing' | 'provenance-trustpub-mismatch';

/** Severity per code; `off` drops the finding. */
export type ProvenanceSeverities = Record<ProvenanceCode, Severity | 'off'>;

export const defaultProvenanceSeverities: ProvenanceSeverities = {
	'provenance-modified': 'warning',
	'provenance-dirty': 'information',
	'provenance-missing': 'information',
	'provenance-trustpub-mismatch': 'error',
};

/** What a provenance finding carries (LSP `Diagnostic.data`): enough to open the diff of each file. */
export interface ProvenanceFindingData {
	kind: 'provenance';
	name: string;
	version: string;
	repository: string | null;
	commit: string | null;
	pathInVcs: string | null;
	modified: string[];
	added: string[];
}

/** How many files a message names before "and N more". */
const NAMED = 3;

export function assessProvenance(pkg: LockedPackage, provenance: Fact<ProvenanceFacts> | undefined, release: Fact<ReleaseFacts> | undefined, severities: ProvenanceSeverities = defaultProvenanceSeverities): PackageIssue[] {
	if (provenance?.status !== 'known') return [];
	const facts = provenance.value;
	const data: ProvenanceFindingData = {
		kind: 'provenance',
		name: pkg.name,
		version: pkg.version,
		repository: facts.repository,
		commit: facts.commit,
		pathInVcs: facts.pathInVcs,
		modified: facts.modified ?? [],
		added: facts.added ?? [],
	};
	const subject = `${pkg.name} ${pkg.version}`;
	const issues: PackageIssue[] = [];
	const push = (code: ProvenanceCode, message: string): void => {
		const severity = severities[code];
		if (severity !== 'off') issues.push({ code, severity, message, data: { signal: 'provenance', ...data } });
	};
	switch (facts.status) {
		case 'modified': {
			const parts = [facts.modified?.length ? `differs from its repository in ${nameFiles(facts.modified)}` : '', facts.added?.length ? `has files its repository does not: ${nameFiles(facts.added)}` : ''].filter(Boolean);
			push('provenance-modified', `${subject} ${parts.join('; and ')} (commit ${shortCommit(facts.commit)})`);
			break;
		}
		case 'dirty':
			push('provenance-dirty', `${subject} was published from a work tree with uncommitted changes (commit ${shortCommit(facts.commit)}); its files match the commit, but the published build may not`);
			break;
		case 'no-vcs-info':
		case 'no-repository':
		case 'commit-not-found':
			push('provenance-missing', `The provenance of ${subject} cannot be verified: ${facts.reason ?? facts.status}`);
			break;
		default:
			break;
	}
	const trusted = release?.status === 'known' && release.value.publisher?.status === 'known' ? release.value.publisher.value : undefined;
	if (trusted?.kind === 'trusted-publishing' && trusted.sha && facts.commit && trusted.sha.toLowerCase() !== facts.commit) {
		push('provenance-trustpub-mismatch', `${subject} was published by ${trusted.provider} Trusted Publishing from commit ${shortCommit(trusted.sha)}, but its .cargo_vcs_info.json records commit ${shortCommit(facts.commit)}`);
	}
	return issues;
}

function nameFiles(files: readonly string[]): string {
	const named = files.slice(0, NAMED).join(', ');
	return files.length > NAMED ? `${named} and ${files.length - NAMED} more` : named;
}

function shortCommit(commit: string | null): string {
	return commit ? commit.slice(0, 12) : 'unknown';
}
