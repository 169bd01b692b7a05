/**
 * The newest versions a registry offers: the latest release, and the latest that a requirement accepts
 * (cargo's matching, so pre-releases only when the requirement asks for them). Yanked versions never count.
 */
import { matchesCargoReq, parseCargoReq } from '../semver/cargoReq';
import { compareVersions, parseVersion, type Version } from '../semver/version';
import type { ReleaseFacts } from './types';

function newest(versions: ReleaseFacts['versions'], accept: (version: Version) => boolean): string | null {
	let best: { text: string; version: Version } | undefined;
	for (const entry of versions) {
		if (entry.yanked) continue;
		const version = parseVersion(entry.version);
		if (!version || !accept(version)) continue;
		if (!best || compareVersions(version, best.version) > 0) best = { text: entry.version, version };
	}
	return best?.text ?? null;
}

/** The newest non-yanked release, or the newest non-yanked pre-release when there is no release at all. */
export function latestVersion(versions: ReleaseFacts['versions']): string | null {
	return newest(versions, (v) => v.pre.length === 0) ?? newest(versions, () => true);
}

export function latestCompatible(versions: ReleaseFacts['versions'], requirement: string | undefined): string | null {
	if (!requirement) return null;
	const parsed = parseCargoReq(requirement);
	if ('error' in parsed) return null;
	return newest(versions, (v) => matchesCargoReq(parsed.req, v));
}
