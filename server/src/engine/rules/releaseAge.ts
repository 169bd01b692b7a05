/**
 * `young-release`: a locked version younger than the team's minimum publish age (cargo's `min-publish-age`
 * settings, else `cargoTrust.releaseAge.minimum`). New releases are where malicious versions appear.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import { describeAge, describeDuration, isoDate } from '../release/age';
import type { ReleaseFacts } from '../release/types';

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
