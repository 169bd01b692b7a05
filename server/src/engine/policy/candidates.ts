/**
 * Choosing the version to move to (issue 15): Pin = the newest passing version older than the locked one; Upgrade
 * (only when the locked version is vulnerable, unsound or yanked) = the lowest passing version newer than it; never
 * pre-releases. The preferred suggestion is the upgrade, else the pin; none when the locked version passes.
 */
import { compareVersions, parseVersion, type Version } from '../semver/version';
import type { PolicyCondition, PolicyVerdict } from './trustPolicy';

/** One version the registry's index lists (the lead adapts the crate-versions fact to this). */
export interface CandidateVersion {
	version: string;
	yanked: boolean;
	publishedAt?: Date;
	checksum?: string;
}

export interface Suggestion {
	action: 'pin' | 'upgrade';
	version: string;
}

export interface CandidateChoice {
	/** Preferred first. */
	suggestions: Suggestion[];
	/** When the locked version fails and nothing passes: "no older version passes: 0.10.3 unaudited, ...". */
	explanation: string | undefined;
}

const EXPLAINED = 5;

export function chooseCandidates(versions: readonly CandidateVersion[], locked: string, lockedVerdict: PolicyVerdict, evaluate: (candidate: CandidateVersion) => PolicyVerdict): CandidateChoice {
	if (lockedVerdict.passes) return { suggestions: [], explanation: undefined };
	const lockedVersion = parseVersion(locked);
	if (!lockedVersion) return { suggestions: [], explanation: `the locked version "${locked}" is not a semver version` };
	const releases = versions
		.map((candidate) => ({ candidate, parsed: parseVersion(candidate.version) }))
		.filter((entry): entry is { candidate: CandidateVersion; parsed: Version } => entry.parsed !== undefined && entry.parsed.pre.length === 0)
		.sort((a, b) => compareVersions(a.parsed, b.parsed));
	const older = releases.filter((entry) => compareVersions(entry.parsed, lockedVersion) < 0).reverse();
	const newer = releases.filter((entry) => compareVersions(entry.parsed, lockedVersion) > 0);
	const rejected: string[] = [];
	const firstPassing = (list: typeof releases): CandidateVersion | undefined => {
		for (const { candidate } of list) {
			const verdict = evaluate(candidate);
			if (verdict.passes) return candidate;
			if (rejected.length < EXPLAINED) rejected.push(`${candidate.version} ${verdict.failed.join(', ')}`);
		}
		return undefined;
	};
	const upgradeWanted = lockedVerdict.failed.some((condition: PolicyCondition) => condition === 'vulnerable' || condition === 'yanked');
	const pin = firstPassing(older);
	const olderRejected = [...rejected];
	const upgrade = upgradeWanted ? firstPassing(newer) : undefined;
	const suggestions: Suggestion[] = [];
	if (upgrade) suggestions.push({ action: 'upgrade', version: upgrade.version });
	if (pin) suggestions.push({ action: 'pin', version: pin.version });
	if (suggestions.length) return { suggestions, explanation: undefined };
	const more = older.length > EXPLAINED ? '…' : '';
	const explanation = older.length ? `no older version passes: ${olderRejected.join(', ')}${more}` : 'no older version is published';
	return { suggestions, explanation };
}
