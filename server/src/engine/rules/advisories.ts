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

/** The one-line diagnostic message, e.g. `time 0.1.45 is vulnerable: Potential segfault (RUSTSEC-2020-0071); patched in >= 0.2.23`. */
export function advisoryMessage(pkg: LockedPackage, advisory: Advisory, via: readonly string[] | undefined): string {
	const subject = via && via.length > 1 ? `${pkg.name} ${pkg.version} (via ${via.join(' → ')})` : `${pkg.name} ${pkg.version}`;
	const verb = { vulnerability: 'is vulnerable', unsound: 'is unsound', unmaintained: 'is unmaintained', notice: 'has a notice' }[advisory.kind];
	const fix = advisory.patched.length ? `patched in ${advisory.patched.join(', ')}` : 'no patched version';
	return `${subject} ${verb}: ${advisory.title} (${advisory.id}); ${fix}`;
}
