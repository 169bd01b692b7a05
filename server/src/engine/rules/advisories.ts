/**
 * Pure rules for RustSec advisories: which advisories apply to a locked package, and the findings they give.
 * Reads only facts and policy; never fetches. Unknown advisory data gives `null` matches, never an empty list.
 */
import { isAffected } from '../advisory/ranges';
import type { AdvisoryIndex } from '../advisory/advisoryIndex';
import type { Advisory, AdvisoryKind } from '../advisory/types';
import type { Fact } from '../facts';
import type { LockedPackage } from '../lockfile/types';
import type { Policy } from '../policy';
import type { Severity } from '../text';
import { describeAlternatives, firstFixAbove } from '../advisory/describeRanges';

export interface AdvisoryMatch {
	advisory: Advisory;
	ignored: boolean;
	ignoreReason: string | null;
	/** Where the ignore was written. */
	ignoreOrigin: string | null;
}

/** Why a package has no advisory verdict, or undefined when it has one. */
export function advisoriesNotApplicable(pkg: LockedPackage, fact: Fact<AdvisoryIndex>): string | undefined {
	if (fact.status !== 'known') return `advisory data unavailable: ${fact.reason}`;
	if (pkg.source.kind !== 'crates-io') return 'RustSec covers crates.io packages only';
	return undefined;
}

/** The advisories whose ranges contain the locked version (RustSec's matching), or null when that is unknown. */
export function matchAdvisories(pkg: LockedPackage, fact: Fact<AdvisoryIndex>, policy: Policy): AdvisoryMatch[] | null {
	if (fact.status !== 'known' || advisoriesNotApplicable(pkg, fact)) return null;
	const candidates = fact.value.get(pkg.name) ?? [];
	return candidates
		.filter((advisory) => isAffected(advisory.affected, pkg.version))
		.map((advisory) => {
			const ignore = policy.ignores.get(advisory.id) ?? advisory.aliases.map((alias) => policy.ignores.get(alias)).find((entry) => entry);
			return { advisory, ignored: ignore !== undefined, ignoreReason: ignore?.reason ?? null, ignoreOrigin: ignore?.origin ?? null };
		})
		.sort((a, b) => severityRank(a.advisory.kind) - severityRank(b.advisory.kind) || a.advisory.id.localeCompare(b.advisory.id));
}

export function advisorySeverity(kind: AdvisoryKind): Severity {
	return kind === 'vulnerability' ? 'error' : kind === 'notice' ? 'information' : 'warning';
}

function severityRank(kind: AdvisoryKind): number {
	return ['vulnerability', 'unsound', 'unmaintained', 'notice'].indexOf(kind);
}

export function advisoryUrl(id: string): string {
	return `https://rustsec.org/advisories/${id}.html`;
}

/** The kind as the message says it: `mio 0.8.4 vulnerable`. */
export const kindWords: Record<AdvisoryKind, string> = { vulnerability: 'vulnerable', unsound: 'unsound', unmaintained: 'unmaintained', notice: 'notice' };

/** Titles are long in the Problems panel; the hover has the whole text. */
const TITLE_LIMIT = 90;

/**
 * The title without what the message already says: "`instant` is unmaintained" adds nothing to
 * "instant 0.1.12 unmaintained", and "tsify-next is unmaintained, use tsify instead" keeps "use tsify instead".
 */
export function titleBeyondKind(name: string, advisory: Advisory): string {
	const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
	const title = advisory.title.trim();
	if (advisory.kind === 'notice') return title;
	const repeat = new RegExp(`^(?:the\\s+)?[\`*]*${escaped}[\`*]*(?:\\s+crate)?\\s+(?:is|has\\s+been)\\s+${kindWords[advisory.kind]}\\b[\\s.,;:]*`, 'i');
	return title.replace(repeat, '');
}

/**
 * The one-line diagnostic message, useful part first and said once, without the id (it is in the code column):
 * `mio 0.8.4 (via tokio) vulnerable, fixed in 0.8.11: Tokens for named pipes may be delivered after deregistration`.
 * `via` is the path from the entry's own package down to, not including, the package; `reaches` is the patched
 * version `cargo update -p` reaches, for a transitive package, when the registry data shows one.
 */
export function advisoryMessage(pkg: LockedPackage, advisory: Advisory, via: readonly string[] | undefined, reaches?: string): string {
	const subject = via && via.length > 0 ? `${pkg.name} ${pkg.version} (via ${via.join(' → ')})` : `${pkg.name} ${pkg.version}`;
	const fixedIn = firstFixAbove(advisory.patched, pkg.version);
	const fix = fixedIn
		? `, fixed in ${fixedIn}`
		: advisory.patched.length
			? `, patched ${describeAlternatives(advisory.patched)}`
			: advisory.kind === 'vulnerability' || advisory.kind === 'unsound'
				? ', no fixed version'
				: '';
	const title = titleBeyondKind(pkg.name, advisory);
	const shortTitle = title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 1).trimEnd()}…` : title;
	const head = `${subject} ${kindWords[advisory.kind]}${fix}`;
	const withTitle = shortTitle ? `${head}: ${shortTitle}` : head;
	const update = reaches ? ` (\`cargo update -p ${pkg.name}\` reaches ${reaches})` : '';
	// The update hint goes in only while the message stays short enough for one line of the Problems panel.
	return update && `${head}${update}`.length <= 100 ? (shortTitle ? `${head}${update}: ${shortTitle}` : `${head}${update}`) : withTitle;
}
