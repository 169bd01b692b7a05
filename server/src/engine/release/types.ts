/**
 * What the registry says about a locked version: when it was published and by whom, whether it is yanked,
 * its checksum, and the other versions (for latest and latest-compatible).
 */
import type { Fact } from '../facts';

export type Publisher =
	| { kind: 'user'; login: string; name: string | null }
	| { kind: 'trusted-publishing'; provider: string; repository: string; runId: string | null; sha: string | null };

export interface ReleaseFacts {
	/** Who answers for the package: `crates.io` or the registry's index URL. */
	registry: string;
	/** ISO time the version was published, with where it came from (`index pubtime` or `crates.io API created_at`). */
	publishedAt: Fact<string>;
	yanked: boolean;
	/** The index `cksum` of the locked version. */
	indexChecksum: string | undefined;
	/** Every version the index lists, in index order. */
	versions: { version: string; yanked: boolean }[];
	/** The account or trusted publisher of the locked version; undefined until fetched (direct dependencies, or on hover). */
	publisher: Fact<Publisher> | undefined;
	/** The version published before the locked one, and its publisher, to notice a change of hands. */
	previous: { version: string; publisher: Fact<Publisher> } | undefined;
	/** The team's minimum publish age for this registry and where it is set (`registry.global-min-publish-age in ...`). */
	minimumAge: { ms: number; origin: string } | undefined;
	/** Publish-age settings for this registry that cargo ignores or rejects (a policy someone believes is enforced). */
	policyNotices?: string[];
	/** How fresh the index data is: `index.crates.io, revalidated 2026-11-25T08:00:00Z`. */
	origin: string;
}
