/**
 * `unsafe-code`: a package whose published source uses `unsafe` more often than the team's threshold
 * (`cargoTrust.unsafe.warnAbove`, off by default). Information only: unsafe code is not a defect in itself.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import type { Policy } from '../policy';
import { describeCounts, totalUnsafe } from '../unsafe/totals';
import type { UnsafeFacts } from '../unsafe/types';

export function assessUnsafe(pkg: LockedPackage, facts: Fact<UnsafeFacts> | undefined, policy: Policy): PackageIssue[] {
	if (policy.unsafeWarnAbove === undefined || facts?.status !== 'known') return [];
	const total = totalUnsafe(facts.value.counts);
	if (total <= policy.unsafeWarnAbove) return [];
	return [
		{
			code: 'unsafe-code',
			severity: 'information',
			message: `${pkg.name} ${pkg.version} uses unsafe ${total} times (${describeCounts(facts.value.counts)}), above your threshold of ${policy.unsafeWarnAbove}`,
			data: { signal: 'unsafe-code', total, counts: facts.value.counts, warnAbove: policy.unsafeWarnAbove },
		},
	];
}
