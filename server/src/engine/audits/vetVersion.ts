/**
 * cargo-vet's `VetVersion`: a semver version, optionally followed by `@git:<40 hex>` for an audited git revision.
 * A git revision is a node of its own in the audit graph; its semver part is what violations are matched against.
 */
import { compareVersions, parseVersion, type Version } from '../semver/version';

const GIT_SUFFIX = /^(.*)@git:([0-9a-f]{40})$/;

/** The canonical text of a valid VetVersion, or undefined. */
export function parseVetVersion(text: string): string | undefined {
	const trimmed = text.trim();
	const match = GIT_SUFFIX.exec(trimmed);
	const semver = parseVersion(match ? match[1]! : trimmed);
	if (!semver) return undefined;
	return match ? `${match[1]!.trim()}@git:${match[2]}` : trimmed;
}

/** The semver part of a VetVersion (which parseVetVersion has validated). */
export function semverOf(vetVersion: string): Version | undefined {
	const at = vetVersion.indexOf('@git:');
	return parseVersion(at === -1 ? vetVersion : vetVersion.slice(0, at));
}

export function compareVetVersions(a: string, b: string): number {
	const left = semverOf(a);
	const right = semverOf(b);
	if (!left || !right) return a < b ? -1 : a > b ? 1 : 0;
	return compareVersions(left, right) || (a < b ? -1 : a > b ? 1 : 0);
}
