/**
 * The provenance of a published package (cli-report.md, `provenance`): whether its files match its repository
 * at the commit recorded in `.cargo_vcs_info.json`. Types only.
 */

export type ProvenanceStatus = 'verified' | 'modified' | 'dirty' | 'no-vcs-info' | 'no-repository' | 'commit-not-found' | 'unreachable' | 'unsupported-repository' | 'error';

export interface ProvenanceFacts {
	status: ProvenanceStatus;
	/** `package.repository` of the published Cargo.toml, as written; null when there is none (or it was not read). */
	repository: string | null;
	/** `git.sha1` of `.cargo_vcs_info.json`; null without one. */
	commit: string | null;
	/** `path_in_vcs` ('' for the repository root); null without vcs info. */
	pathInVcs: string | null;
	/** `git.dirty`; null without vcs info. */
	dirty: boolean | null;
	/** Files in both with different bytes, sorted; null when nothing was compared. */
	modified: string[] | null;
	/** Files only in the package, sorted; null when nothing was compared. */
	added: string[] | null;
	/** Why the status is not a comparison's result (or what went wrong); null for verified, modified and dirty. */
	reason: string | null;
	/** Modified files that the repository holds as a symbolic link (its id is the link's target path, not content). */
	repositorySymlinks: string[];
	/** Entries of the package that were not compared (symbolic links, special files, unreadable), with why. */
	skipped: { path: string; reason: string }[];
	/** Whether the commit is on a branch or tag of the repository; absent until checked on demand (never cached on disk). */
	reachability?: CommitReachability;
}

/** Whether a commit is on a branch or tag (not only on a fork's ref): `via` names the ref; null with the reason when unknown. */
export interface CommitReachability {
	reachable: boolean | null;
	via: string | null;
	reason: string | null;
}
