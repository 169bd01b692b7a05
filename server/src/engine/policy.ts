import type { ProvenanceSeverities } from './rules/provenance';
import type { MinimumAge } from './release/types';

/**
 * What the team has decided: which advisories are ignored and why. Built from settings and config files by the sources.
 */

export interface IgnoreEntry {
	id: string;
	reason: string | null;
	/** Where the ignore was written: a file path or `setting cargoTrust.advisories.ignore`. */
	origin: string;
}

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
}

export function buildPolicy(ignores: readonly IgnoreEntry[], unsafeWarnAbove?: number, minimumAge?: Policy['minimumAge'], provenanceSeverities?: ProvenanceSeverities): Policy {
	const map = new Map<string, IgnoreEntry>();
	for (const entry of ignores) if (!map.has(entry.id)) map.set(entry.id, entry);
	return { ignores: map, unsafeWarnAbove, ...(minimumAge ? { minimumAge } : {}), ...(provenanceSeverities ? { provenanceSeverities } : {}) };
}

/** `cargoTrust.advisories.ignore` entries: `RUSTSEC-2020-0071` or `RUSTSEC-2020-0071: reason`. */
export function parseIgnoreSetting(values: readonly string[]): IgnoreEntry[] {
	return values.flatMap((value) => {
		const match = /^\s*([A-Za-z]+-[\w-]+?)\s*(?::\s*(.*?))?\s*$/.exec(value);
		return match ? [{ id: match[1]!, reason: match[2] || null, origin: 'setting cargoTrust.advisories.ignore' }] : [];
	});
}
