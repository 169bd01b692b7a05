/**
 * The audit and trust-policy parts of the hover card (issue 15): for which criteria the locked version is vetted,
 * by whom and how (each step of the path from the empty root: full audit, delta `1.2.0 → 1.3.0`, wildcard audit of a
 * publisher, trusted publisher, exemption) and from which source, or "not audited by anyone you trust"; then, when
 * the version fails the policy, each failed condition and the fix (or why there is none). Every string from the
 * store, the registry or the lockfile goes through markdown.ts.
 */
import type { PackageTrust } from '../analyze';
import { fixTitle } from '../fixes/fixTitle';
import { mdCode, mdText } from '../markdown';
import type { AuditView } from '../policy/auditView';
import type { PackagePolicy } from '../policy/assessTrust';
import type { PolicyCondition } from '../policy/trustPolicy';
import { describeAge, describeDuration } from '../release/age';
import { vetPasses, type AuditStep, type VetResult } from './auditGraph';
import { auditorOf } from './auditors';

export function auditSection(view: AuditView, verdict: PackagePolicy | undefined, trust: PackageTrust): string[] {
	if (view.data.status !== 'known') return view.required && trust.pkg.source.kind !== 'path' ? [`**Audit:** unknown (${mdText(view.data.reason)})`, ''] : [];
	// No verdict: a first-party package, or no lockfile to vet against.
	const audit = verdict?.audit;
	if (!audit) return [];
	const lines = [`**Audit:** ${headline(audit)}`];
	for (const step of audit.by) lines.push(`- ${stepLine(step)}`);
	for (const violation of audit.violations) {
		const from = violation.source === 'local' ? 'audits.toml' : `import ${violation.source}`;
		lines.push(`- ⚠️ matches the **violation** ${mdCode(violation.requirement)} (${mdText(violation.criteria.join(', '))}) from ${mdText(from)}: cargo-vet refuses this`);
	}
	for (const name of audit.unknownRequired) lines.push(`- ${mdCode(name)} is required but no criterion of that name is defined (never met)`);
	return [...lines, ''];
}

function headline(audit: VetResult): string {
	const required = mdText(audit.required.join(', '));
	const met = audit.required.filter((name) => audit.vetted.includes(name));
	if (vetPasses({ ...audit, violations: [] })) {
		const exempted = met.some((name) => !audit.fullyAudited.includes(name));
		return `vetted for ${mdText(audit.vetted.join(', '))}${exempted ? ' **with exemptions**' : ''}`;
	}
	if (audit.vetted.length === 0) return `not audited by anyone you trust (requires ${required})`;
	return `vetted for ${mdText(audit.vetted.join(', '))} only; requires ${required}`;
}

/** One edge of the path, e.g. "delta audit `1.2.0 → 1.3.0` by Ann (audits.toml)". */
function stepLine(step: AuditStep): string {
	const detail = mdCode(step.detail.replace(/ -> /g, ' → '));
	const where = step.source === 'local' ? (step.kind === 'exemption' ? 'config.toml' : 'audits.toml') : 'imported';
	const by = `by ${mdText(auditorOf(step))} (${where})`;
	switch (step.kind) {
		case 'full':
			return `full audit of ${detail} ${by}`;
		case 'delta':
			return `delta audit ${detail} ${by}`;
		case 'wildcard':
			return `wildcard audit of a publisher: ${detail} ${by}`;
		case 'trusted':
			return `trusted publisher: ${detail} (${where})`;
		case 'exemption':
			return `exemption for ${detail} (${where}; not an audit)`;
	}
}

/** Why the locked version fails the policy, and the fix; nothing when it passes. */
export function policySection(verdict: PackagePolicy | undefined, trust: PackageTrust, now: Date): string[] {
	if (!verdict || verdict.policy.passes) return [];
	const lines = ['**Trust policy:** fails', ...verdict.policy.failed.map((condition) => `- ${conditionLine(condition, verdict, trust, now)}`)];
	if (verdict.suggestions.length === 0) {
		// A blank line first: right after a list item the text would continue that item.
		lines.push('', `No fix: ${mdText(verdict.explanation ?? 'no candidate version is known yet')}`);
		return [lines.join('\n'), ''];
	}
	lines.push('');
	for (const suggestion of verdict.suggestions) {
		const steps = [
			suggestion.requirement ? `set the requirement to ${mdCode(suggestion.requirement)}` : '',
			suggestion.command ? `run ${mdCode(suggestion.command)}` : '(no command: the name or version is not safe to put in a shell)',
		].filter(Boolean);
		lines.push(`**Fix:** ${mdText(fixTitle(suggestion))}  \n${steps.join(', then ')}`, '');
	}
	return lines;
}

function conditionLine(condition: PolicyCondition, verdict: PackagePolicy, trust: PackageTrust, now: Date): string {
	const release = trust.release?.status === 'known' ? trust.release.value : undefined;
	switch (condition) {
		case 'yanked':
			return 'yanked from the registry';
		case 'young': {
			const published = release?.publishedAt.status === 'known' ? release.publishedAt.value : undefined;
			const minimum = release?.minimumAge ? `the minimum release age of ${describeDuration(release.minimumAge.ms)}` : 'the minimum release age';
			return `too young: published ${published ? describeAge(published, now) : 'recently'}, under ${minimum}`;
		}
		case 'vulnerable': {
			const ids = (trust.advisories ?? []).filter((match) => !match.ignored && (match.advisory.kind === 'vulnerability' || match.advisory.kind === 'unsound')).map((match) => match.advisory.id);
			return `an advisory applies${ids.length ? ` (${mdText(ids.join(', '))})` : ''}`;
		}
		case 'provenance':
			return `provenance: ${trust.provenance?.status === 'known' ? mdText(trust.provenance.value.status) : 'failed'}`;
		case 'unaudited':
			return `not vetted for ${mdText(verdict.audit?.required.join(', ') ?? 'its required criteria')} by anyone you trust`;
		case 'violation':
			return `matches a violation (${mdText((verdict.audit?.violations ?? []).map((violation) => violation.requirement).join(', '))})`;
		case 'age-unknown':
			return 'publish time unknown';
	}
}
