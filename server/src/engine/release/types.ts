/**
 * What the registry says about a locked version: when it was published and by whom, whether it is yanked,
 * its checksum, and the other versions (for latest and latest-compatible).
 */
import type { Fact } from '../facts';

export type Publisher =
	/** `id`: crates.io's numeric user id (cargo-vet's `user-id`), when the API gave one. */
	| { kind: 'user'; id?: number; login: string; name: string | null }
	| { kind: 'trusted-publishing'; provider: string; repository: string; runId: string | null; sha: string | null };

export interface MinimumAge {
	ms: number;
	origin: string;
}

/** One version of a crate as its registry's index lists it, with its publisher when that was asked for. */
export interface CrateVersion {
	version: string;
	yanked: boolean;
	/** The index `pubtime`; null when the line has none (crates.io's API `created_at` is asked only for a locked version). */
	publishedAt: string | null;
	/** The index `cksum` (hex SHA-256 of the .crate). */
	checksum: string;
	/** Undefined until fetched (crates.io's API, for every version of a crate whose locked version's publisher was asked for). */
	publisher: Fact<Publisher> | undefined;
}

export interface ReleaseFacts {
	/** Who answers for the package: `crates.io` or the registry's index URL. */
	registry: string;
	/** ISO time the version was published, with where it came from (`index pubtime` or `crates.io API created_at`). */
	publishedAt: Fact<string>;
	yanked: boolean;
	/** The index `cksum` of the locked version. */
	indexChecksum: string | undefined;
	/** cargo's name of the registry (`crates-io`, a `[registries]` name), which its publish-age settings use; null when it has none. */
	registryKey: string | null;
	/** Every version the index lists, in index order: the crate's versions fact, shared by each locked version of it. */
	versions: readonly CrateVersion[];
	/** The account or trusted publisher of the locked version; undefined until fetched (direct dependencies, or on hover). */
	publisher: Fact<Publisher> | undefined;
	/** The version published before the locked one, and its publisher, to notice a change of hands. */
	previous: { version: string; publisher: Fact<Publisher> } | undefined;
	/**
	 * The team's minimum publish age for this registry and where it is set (`registry.global-min-publish-age in ...`).
	 * Policy, not a fact: sources leave it undefined and the engine fills it from the root's policy at each analysis.
	 */
	minimumAge: MinimumAge | undefined;
	/** Publish-age settings for this registry that cargo ignores or rejects (a policy someone believes is enforced). */
	policyNotices?: string[];
	/** How fresh the index data is: `index.crates.io, revalidated 2026-11-25T08:00:00Z`. */
	origin: string;
}
