import type { ProvenanceSeverities } from './rules/provenance';
import type { MinimumAge } from './release/types';

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
	/** `cargoTrust.provenance.severity.*`; undefined is the defaults. */
	provenanceSeverities?: ProvenanceSeverities;
	/**
	 * The minimum publish age for a registry (cargo's name for it, `crates-io` or a `[registries]` name), and where
	 * it is set; undefined when none applies. Absent: no minimum anywhere.
	 */
	minimumAge?: (registryKey: string | null) => MinimumAge | undefined;
	trust: TrustPolicyOptions;
}

/** The optional parts of a policy; absent ones are their defaults. */
export interface PolicyOptions {
	minimumAge?: Policy['minimumAge'];
	provenanceSeverities?: ProvenanceSeverities;
	trust?: TrustPolicyOptions;
}

export function buildPolicy(ignores: readonly IgnoreEntry[], unsafeWarnAbove?: number, options: PolicyOptions = {}): Policy {
	const map = new Map<string, IgnoreEntry>();
	for (const entry of ignores) if (!map.has(entry.id)) map.set(entry.id, entry);
	const { minimumAge, provenanceSeverities, trust = DEFAULT_TRUST_POLICY } = options;
	return { ignores: map, unsafeWarnAbove, trust, ...(minimumAge ? { minimumAge } : {}), ...(provenanceSeverities ? { provenanceSeverities } : {}) };
}

/** `cargoTrust.advisories.ignore` entries: `RUSTSEC-2020-0071` or `RUSTSEC-2020-0071: reason`. */
export function parseIgnoreSetting(values: readonly string[]): IgnoreEntry[] {
	return values.flatMap((value) => {
		const match = /^\s*([A-Za-z]+-[\w-]+?)\s*(?::\s*(.*?))?\s*$/.exec(value);
		return match ? [{ id: match[1]!, reason: match[2] || null, origin: 'setting cargoTrust.advisories.ignore' }] : [];
	});
}
