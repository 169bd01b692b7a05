/**
 * What the team has decided: which advisories are ignored and why. Built from settings and config files by the sources.
 */
import type { AdvisoryKind } from './advisory/types';

export interface IgnoreEntry {
	id: string;
	reason: string | null;
	/** Where the ignore was written: a file path or `setting cargoTrust.advisories.ignore`. */
	origin: string;
}

/** `cargoTrust.policy.*`: when audits are required, and which advisory kinds fail the trust policy (issue 15). */
export interface TrustPolicyOptions {
	requireAudits: 'auto' | 'always' | 'never';
	blockOn: readonly AdvisoryKind[];
}

export const DEFAULT_TRUST_POLICY: TrustPolicyOptions = { requireAudits: 'auto', blockOn: ['vulnerability', 'unsound'] };

export interface Policy {
	/** By advisory id; the first place that ignores an id wins. */
	ignores: ReadonlyMap<string, IgnoreEntry>;
	/** `cargoTrust.unsafe.warnAbove`: report packages with more `unsafe` uses than this; undefined is off. */
	unsafeWarnAbove: number | undefined;
	trust: TrustPolicyOptions;
}

export function buildPolicy(ignores: readonly IgnoreEntry[], unsafeWarnAbove?: number, trust: TrustPolicyOptions = DEFAULT_TRUST_POLICY): Policy {
	const map = new Map<string, IgnoreEntry>();
	for (const entry of ignores) if (!map.has(entry.id)) map.set(entry.id, entry);
	return { ignores: map, unsafeWarnAbove, trust };
}

/** `cargoTrust.advisories.ignore` entries: `RUSTSEC-2020-0071` or `RUSTSEC-2020-0071: reason`. */
export function parseIgnoreSetting(values: readonly string[]): IgnoreEntry[] {
	return values.flatMap((value) => {
		const match = /^\s*([A-Za-z]+-[\w-]+?)\s*(?::\s*(.*?))?\s*$/.exec(value);
		return match ? [{ id: match[1]!, reason: match[2] || null, origin: 'setting cargoTrust.advisories.ignore' }] : [];
	});
}
