/**
 * The trust policy of issue 15, as one pure function: a version passes when it is not yanked, old enough, free of
 * (non-ignored, non-withdrawn) vulnerability and unsound advisories, not shown `modified` or `commit-not-found` by
 * provenance, and, when audits are required, vetted for its required criteria with no matching violation.
 * Unknown facts do not fail a condition here; the callers show them as unknown.
 */
export type PolicyCondition = 'yanked' | 'young' | 'vulnerable' | 'provenance' | 'unaudited' | 'violation' | /** a candidate whose publish time is unknown (never said of the locked version) */ 'age-unknown';

export type AdvisoryKind = 'vulnerability' | 'unsound' | 'unmaintained' | 'notice';

export interface VersionFacts {
	yanked: boolean | undefined;
	publishedAt: Date | undefined;
	/** Advisories matching the version, already without ignored and withdrawn ones. */
	advisoryKinds: readonly AdvisoryKind[];
	provenance: 'verified' | 'modified' | 'commit-not-found' | 'unknown' | undefined;
	/** Undefined when audits are not required or there is no audit data. */
	audit: { vetted: boolean; violated: boolean } | undefined;
}

export interface TrustPolicySettings {
	minimumAgeMs: number;
	/** Advisory kinds that fail the policy (default: vulnerability and unsound). */
	blockOn: readonly AdvisoryKind[];
	requireAudits: boolean;
}

export const DEFAULT_BLOCK_ON: readonly AdvisoryKind[] = ['vulnerability', 'unsound'];

export interface PolicyVerdict {
	passes: boolean;
	failed: PolicyCondition[];
}

export function evaluatePolicy(facts: VersionFacts, settings: TrustPolicySettings, now: Date): PolicyVerdict {
	const failed: PolicyCondition[] = [];
	if (facts.yanked) failed.push('yanked');
	if (facts.publishedAt && now.getTime() - facts.publishedAt.getTime() < settings.minimumAgeMs) failed.push('young');
	if (facts.advisoryKinds.some((kind) => settings.blockOn.includes(kind))) failed.push('vulnerable');
	if (facts.provenance === 'modified' || facts.provenance === 'commit-not-found') failed.push('provenance');
	if (settings.requireAudits && facts.audit) {
		if (!facts.audit.vetted) failed.push('unaudited');
		if (facts.audit.violated) failed.push('violation');
	}
	return { passes: failed.length === 0, failed };
}

/** `auto`: audits are required when the workspace has a cargo-vet store or `cargoTrust.audits.sources` is set. */
export function auditsRequired(setting: 'auto' | 'always' | 'never', hasAuditData: boolean): boolean {
	return setting === 'always' || (setting === 'auto' && hasAuditData);
}
