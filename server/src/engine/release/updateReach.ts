/**
 * What `cargo update -p NAME` would reach for a transitive package: the newest non-yanked release the registry lists
 * that is caret-compatible with the locked version. The dependents' exact requirements are not in Cargo.lock;
 * caret-compatibility with the locked version (same major, same minor for 0.x, same patch for 0.0.x) is the
 * approximation cargo's own lock updates rely on, since every dependent's requirement already admitted the locked version.
 */
import { isAffected } from '../advisory/ranges';
import type { AffectedRange } from '../advisory/types';
import type { Fact } from '../facts';
import { compareVersions, parseVersion, type Version } from '../semver/version';
import type { ReleaseFacts } from './types';

function caretCompatible(locked: Version, other: Version): boolean {
	if (locked.major !== other.major) return false;
	if (locked.major > 0) return true;
	if (locked.minor !== other.minor) return false;
	return locked.minor > 0 || locked.patch === other.patch;
}

/** The version `cargo update -p` reaches when it is patched; undefined when it is not, or when registry data is missing. */
export function patchedUpdateWithinRequirements(locked: string, release: Fact<ReleaseFacts> | undefined, affected: readonly AffectedRange[]): string | undefined {
	if (release?.status !== 'known') return undefined;
	const current = parseVersion(locked);
	if (!current) return undefined;
	let best: { text: string; version: Version } | undefined;
	for (const entry of release.value.versions) {
		const version = entry.yanked ? undefined : parseVersion(entry.version);
		if (!version || version.pre.length > 0 || !caretCompatible(current, version) || compareVersions(version, current) <= 0) continue;
		if (!best || compareVersions(version, best.version) > 0) best = { text: entry.version, version };
	}
	return best && !isAffected([...affected], best.text) ? best.text : undefined;
}
