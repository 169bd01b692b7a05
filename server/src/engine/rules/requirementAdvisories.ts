/**
 * Advisories against a requirement, for manifests without a Cargo.lock: the version in use is unknown, but when every
 * release `time = "0.1"` allows is affected that is worth saying on the entry, and when some are, which.
 */
import type { AdvisoryIndex } from '../advisory/advisoryIndex';
import { requirementCoverage, type Coverage } from '../advisory/requirementCoverage';
import type { Advisory } from '../advisory/types';
import type { ManifestAnalysis } from '../analyze';
import type { Finding } from '../findings';
import type { DependencySpec } from '../manifest/types';
import { placeOnce, type Bringer } from '../placeOnce';
import type { Policy } from '../policy';
import { advisorySeverity, advisoryUrl, titleBeyondKind } from './advisories';

export interface RequirementAdvisory {
	advisory: Advisory;
	coverage: Coverage & { kind: 'all' | 'some' };
}

const verbs = { vulnerability: 'vulnerable', unsound: 'unsound', unmaintained: 'unmaintained', notice: 'under a notice' };

/** The advisories (not ignored) that affect some or all of the releases a crates.io dependency's requirement allows. */
export function requirementAdvisories(spec: DependencySpec, index: AdvisoryIndex, policy: Policy): RequirementAdvisory[] {
	if (spec.versionReq === undefined || spec.source.kind !== 'registry' || spec.source.registry !== undefined || spec.source.registryIndex !== undefined) return [];
	const found: RequirementAdvisory[] = [];
	for (const advisory of index.get(spec.crateName) ?? []) {
		if (policy.ignores.has(advisory.id) || advisory.aliases.some((alias) => policy.ignores.has(alias))) continue;
		const coverage = requirementCoverage(spec.versionReq, advisory.affected);
		if (coverage?.kind === 'all' || coverage?.kind === 'some') found.push({ advisory, coverage });
	}
	return found;
}

/** `every time version "0.1" allows is vulnerable: …` or `some … are vulnerable (0.1.0 to before 0.1.5): …`. */
export function requirementMessage(spec: DependencySpec, { advisory, coverage }: RequirementAdvisory): string {
	const title = titleBeyondKind(spec.crateName, advisory);
	const head =
		coverage.kind === 'all'
			? `every ${spec.crateName} version "${spec.versionReq}" allows is ${verbs[advisory.kind]}`
			: `some ${spec.crateName} versions "${spec.versionReq}" allows are ${verbs[advisory.kind]} (${coverage.affected.join(' or ')})`;
	return title ? `${head}: ${title}` : head;
}

/** One row per (advisory, crate) per manifest, as for locked packages; every release affected is as severe as the kind. */
export function requirementFindings(manifests: readonly ManifestAnalysis[]): Finding[] {
	const byProblem = new Map<string, { spec: DependencySpec; found: RequirementAdvisory; bringers: Bringer[] }>();
	for (const manifest of manifests) {
		for (const dep of manifest.deps) {
			for (const found of dep.requirementAdvisories ?? []) {
				const key = `${found.advisory.id}\u0000${dep.spec.crateName}\u0000${dep.spec.versionReq}`;
				const entry = byProblem.get(key) ?? { spec: dep.spec, found, bringers: [] };
				entry.bringers.push({ manifest, dep, via: [] });
				byProblem.set(key, entry);
			}
		}
	}
	const root = manifests[0];
	const workspace = root?.manifest.workspace ? { file: root.path, specs: root.manifest.workspace.dependencies } : undefined;
	const findings: Finding[] = [];
	for (const { spec, found, bringers } of byProblem.values()) {
		for (const row of placeOnce(bringers, workspace, `${spec.crateName} "${spec.versionReq}"`)) {
			findings.push({
				file: row.file,
				range: row.range,
				severity: found.coverage.kind === 'all' ? advisorySeverity(found.advisory.kind) : 'information',
				code: found.advisory.id,
				message: requirementMessage(spec, found),
				package: null,
				href: advisoryUrl(found.advisory.id),
				...(row.related.length ? { related: row.related } : {}),
			});
		}
	}
	return findings;
}
