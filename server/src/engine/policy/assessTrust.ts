/**
 * The trust policy applied to every locked package of an analysis, and the pin/upgrade suggestion for those that
 * fail it (issue 15). Candidates are the versions the registry's index lists; each is judged with the facts known
 * for it: its yanked flag and publish time from the index, advisories matched against it, its vetting verdict.
 * Provenance and unsafe counts are known only for the locked version: unknown for a candidate, which does not fail.
 */
import type { ManifestAnalysis, PackageTrust } from '../analyze';
import type { AdvisoryIndex } from '../advisory/advisoryIndex';
import { isAffected } from '../advisory/ranges';
import { vetPasses, type VetResult } from '../audits/auditGraph';
import { auditorOf } from '../audits/auditors';
import type { Fact } from '../facts';
import { cargoUpdateCommand } from '../fixes/cargoUpdateCommand';
import { pinEdits, pinnedRequirement } from '../fixes/requirementEdits';
import type { Policy } from '../policy';
import type { ReleaseFacts } from '../release/types';
import { satisfies } from '../semver/cargoReq';
import type { AuditView } from './auditView';
import { chooseCandidates, type CandidateVersion } from './candidates';
import { evaluatePolicy, type AdvisoryKind, type PolicyVerdict, type TrustPolicySettings, type VersionFacts } from './trustPolicy';

const DAY_MS = 86_400_000;
/** cargoTrust.releaseAge.minimum's default, when the registry data (which carries the effective minimum) is unknown. */

export interface SuggestionDetail {
	action: 'pin' | 'upgrade';
	version: string;
	/** `=X.Y.Z`, or null for a transitive package (only `cargo update --precise` moves it). */
	requirement: string | null;
	/** The manifest requirement X.Y.Z does not satisfy, when it leaves one. */
	leaves: string | undefined;
	/** Undefined when the names are not safe to put in a shell command. */
	command: string | undefined;
	reasons: string[];
}

export interface PackagePolicy {
	/** Null when the package has no audit verdict (no audit data, or a first-party package). */
	audit: VetResult | null;
	policy: PolicyVerdict;
	/** Preferred first. */
	suggestions: SuggestionDetail[];
	/** When the locked version fails and nothing passes: why, for hover. */
	explanation: string | undefined;
}

export interface AssessContext {
	packages: readonly PackageTrust[];
	manifests: readonly ManifestAnalysis[];
	texts: ReadonlyMap<string, string>;
	audits: AuditView;
	advisories: Fact<AdvisoryIndex>;
	policy: Policy;
	now: Date;
}

type ProvenanceState = VersionFacts['provenance'];

function provenanceState(trust: PackageTrust): ProvenanceState {
	if (trust.provenance?.status !== 'known') return 'unknown';
	const { status } = trust.provenance.value;
	return status === 'verified' || status === 'modified' || status === 'commit-not-found' ? status : 'unknown';
}

/** The candidate versions of a crate: the index's list. A version whose index line has no `pubtime` has an unknown age. */
export function candidateVersionsOf(release: ReleaseFacts): CandidateVersion[] {
	return release.versions.map((entry) => {
		const date = entry.publishedAt === null ? undefined : new Date(entry.publishedAt);
		return { version: entry.version, yanked: entry.yanked, ...(date && !Number.isNaN(date.getTime()) ? { publishedAt: date } : {}) };
	});
}

export function assessTrust(context: AssessContext): PackagePolicy[] {
	const { audits, policy, now } = context;
	const index = context.advisories.status === 'known' ? context.advisories.value : undefined;
	return context.packages.map((trust): PackagePolicy => {
		const { pkg } = trust;
		const release = trust.release?.status === 'known' ? trust.release.value : undefined;
		// The release fact carries the root's policy (applyReleasePolicy); none set means no minimum ("0").
		const minimumAgeMs = release?.minimumAge?.ms ?? 0;
		const settings: TrustPolicySettings = { minimumAgeMs, blockOn: policy.trust.blockOn, requireAudits: audits.required };
		const audit = audits.statuses?.verdicts.get(pkg.index) ?? null;
		const published = release?.publishedAt.status === 'known' ? new Date(release.publishedAt.value) : undefined;
		const lockedFacts: VersionFacts = {
			yanked: release?.yanked,
			publishedAt: published,
			advisoryKinds: (trust.advisories ?? []).filter((match) => !match.ignored).map((match) => match.advisory.kind),
			provenance: provenanceState(trust),
			audit: audit ? { vetted: vetPasses({ ...audit, violations: [] }), violated: audit.violations.length > 0 } : undefined,
		};
		const verdict = evaluatePolicy(lockedFacts, settings, now);
		if (verdict.passes || !release || pkg.source.kind === 'path' || pkg.source.kind === 'git') return { audit, policy: verdict, suggestions: [], explanation: undefined };

		const required = audit?.required ?? [];
		const candidateAudit = (version: string): VetResult | undefined => (audits.statuses && audit ? audits.statuses.index.vet(pkg.name, version, required) : undefined);
		const advisoryKinds = (version: string): AdvisoryKind[] | undefined => {
			if (!index || trust.advisories === null) return undefined;
			return (index.get(pkg.name) ?? [])
				.filter((advisory) => isAffected(advisory.affected, version) && !policy.ignores.has(advisory.id) && !advisory.aliases.some((alias) => policy.ignores.has(alias)))
				.map((advisory) => advisory.kind);
		};
		const evaluate = (candidate: CandidateVersion): PolicyVerdict => {
			const vet = candidateAudit(candidate.version);
			const result = evaluatePolicy(
				{ yanked: candidate.yanked, publishedAt: candidate.publishedAt, advisoryKinds: advisoryKinds(candidate.version) ?? [], provenance: 'unknown', audit: vet ? { vetted: vetPasses({ ...vet, violations: [] }), violated: vet.violations.length > 0 } : undefined },
				settings,
				now,
			);
			// A version we suggest must be shown old enough: an unknown publish time does not pass condition 2 here.
			if (!candidate.publishedAt) return { passes: false, failed: [...result.failed, 'age-unknown'] };
			return result;
		};
		const choice = chooseCandidates(candidateVersionsOf(release), pkg.version, verdict, evaluate);
		const edits = (version: string) => pinEdits(context.manifests, context.texts, pkg.index, version);
		const suggestions = choice.suggestions.map((suggestion): SuggestionDetail => {
			const candidate = candidateVersionsOf(release).find((entry) => entry.version === suggestion.version)!;
			const direct = edits(suggestion.version).length > 0;
			return {
				action: suggestion.action,
				version: suggestion.version,
				requirement: direct ? pinnedRequirement(suggestion.version) : null,
				leaves: direct ? leftRequirement(context.manifests, pkg.index, suggestion.version) : undefined,
				command: cargoUpdateCommand(pkg.name, pkg.version, suggestion.version),
				reasons: reasonsFor(candidate, candidateAudit(suggestion.version), audits.required, advisoryKinds(suggestion.version), now),
			};
		});
		return { audit, policy: verdict, suggestions, explanation: choice.explanation };
	});
}

/** The first requirement (as written) of an entry of the package that `version` does not satisfy. */
function leftRequirement(manifests: readonly ManifestAnalysis[], lockIndex: number, version: string): string | undefined {
	for (const manifest of manifests) {
		for (const dep of manifest.deps) {
			if (dep.lockIndex !== lockIndex || dep.spec.versionReq === undefined) continue;
			if (satisfies(dep.spec.versionReq, version) === false) return dep.spec.versionReq;
		}
	}
	return undefined;
}

/** Why the candidate is trusted, from known facts only: an unknown fact is not claimed. */
function reasonsFor(candidate: CandidateVersion, vet: VetResult | undefined, required: boolean, advisoryKinds: AdvisoryKind[] | undefined, now: Date): string[] {
	const reasons: string[] = [];
	if (required && vet && vetPasses(vet)) {
		const exempted = vet.by.length > 0 && vet.by.every((step) => step.kind === 'exemption');
		const sources = [...new Set(vet.by.filter((step) => step.kind !== 'exemption').map(auditorOf))];
		reasons.push(exempted ? `exempted for ${vet.required.join(', ')}` : `audited ${vet.required.join(', ')}${sources.length ? ` by ${sources.join(', ')}` : ''}`);
	}
	if (candidate.publishedAt) {
		const days = Math.floor((now.getTime() - candidate.publishedAt.getTime()) / DAY_MS);
		reasons.push(`${days} ${days === 1 ? 'day' : 'days'} old`);
	}
	if (advisoryKinds) reasons.push(advisoryKinds.length === 0 ? 'no advisories' : `no blocking advisories (${[...new Set(advisoryKinds)].join(', ')})`);
	return reasons;
}
