/**
 * `checksum-mismatch`: Cargo.lock records a different sha256 than the registry's index for the same version.
 * One of the two was tampered with (or the registry replaced the file), so this is an error.
 */
import type { Fact } from '../facts';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';
import type { ReleaseFacts } from '../release/types';

export function assessChecksum(pkg: LockedPackage, release: Fact<ReleaseFacts> | undefined): PackageIssue[] {
	if (release?.status !== 'known' || !pkg.checksum || !release.value.indexChecksum) return [];
	if (pkg.checksum.toLowerCase() === release.value.indexChecksum.toLowerCase()) return [];
	return [
		{
			code: 'checksum-mismatch',
			severity: 'error',
			message: `Cargo.lock's checksum for ${pkg.name} ${pkg.version} (${pkg.checksum.slice(0, 16)}…) differs from ${release.value.registry}'s (${release.value.indexChecksum.slice(0, 16)}…): the lockfile or the registry was tampered with`,
			data: { signal: 'checksum-mismatch', registry: release.value.registry, lockChecksum: pkg.checksum, indexChecksum: release.value.indexChecksum },
		},
	];
}
