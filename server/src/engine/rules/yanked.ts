/**
 * `yanked`: the registry marks the locked version as yanked; its authors withdrew it.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import type { ReleaseFacts } from '../release/types';

export function assessYanked(pkg: LockedPackage, release: Fact<ReleaseFacts> | undefined): PackageIssue[] {
	if (release?.status !== 'known' || !release.value.yanked) return [];
	return [{ code: 'yanked', severity: 'warning', message: `${pkg.name} ${pkg.version} is yanked from ${release.value.registry}`, data: { signal: 'yanked', registry: release.value.registry } }];
}
