/**
 * `young-release`: a locked version younger than the team's minimum publish age (cargo's `min-publish-age`
 * settings, else `cargoTrust.releaseAge.minimum`). New releases are where malicious versions appear.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import { describeAge, describeDuration, isoDate } from '../release/age';
import type { Policy } from '../policy';
import type { ReleaseFacts } from '../release/types';

/**
 * The release fact as this root's policy reads it: the minimum age for the package's registry filled in. Facts hold
 * only what is true of the package, so a changed setting re-analyses without fetching anything again.
 */
export function applyReleasePolicy(release: Fact<ReleaseFacts> | undefined, policy: Policy): Fact<ReleaseFacts> | undefined {
	// Without a publish-age policy (engine tests build facts by hand), the fact is read as given.
	if (release?.status !== 'known' || !policy.minimumAge) return release;
	const minimumAge = policy.minimumAge?.(release.value.registryKey);
	return minimumAge === release.value.minimumAge ? release : { ...release, value: { ...release.value, minimumAge } };
}

export function assessReleaseAge(pkg: LockedPackage, release: Fact<ReleaseFacts> | undefined, now: Date): PackageIssue[] {
	if (release?.status !== 'known' || release.value.publishedAt.status !== 'known' || !release.value.minimumAge) return [];
	const publishedAt = release.value.publishedAt.value;
	const { ms, origin } = release.value.minimumAge;
	const oldEnoughAt = Date.parse(publishedAt) + ms;
	if (Number.isNaN(oldEnoughAt) || oldEnoughAt <= now.getTime()) return [];
	return [
		{
			code: 'young-release',
			severity: 'warning',
			message: `${pkg.name} ${pkg.version} was published ${describeAge(publishedAt, now)} (${publishedAt.slice(0, 10)}); it is old enough on ${isoDate(oldEnoughAt)} under your ${describeDuration(ms)} policy (${origin})`,
			data: { signal: 'young-release', publishedAt, minimumAgeMs: ms, policy: origin },
		},
	];
}
