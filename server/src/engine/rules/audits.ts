/**
 * `unaudited` (a warning, only when audits are required) and `audit-violation` (an error: a vetted version that
 * matches a violation, which cargo-vet refuses), per locked package, from its vetting verdict.
 */
import { vetPasses, type VetResult } from '../audits/auditGraph';
import type { PackageIssue } from '../findings';
import type { LockedPackage } from '../lockfile/types';

export function assessAudit(pkg: LockedPackage, verdict: VetResult | undefined, required: boolean): PackageIssue[] {
	if (!verdict) return [];
	const issues: PackageIssue[] = [];
	const data = { signal: 'audit' as const, required: [...verdict.required], violations: verdict.violations.length };
	for (const violation of verdict.violations) {
		const from = violation.source === 'local' ? 'audits.toml' : violation.source;
		issues.push({ code: 'audit-violation', severity: 'error', message: `${pkg.name} ${pkg.version} matches a violation (${violation.requirement}, ${violation.criteria.join(', ')}) from ${from}; cargo-vet refuses this.`, data });
	}
	if (required && !vetPasses({ ...verdict, violations: [] })) {
		const unknown = verdict.unknownRequired.length ? ` (${verdict.unknownRequired.join(', ')} is not a defined criterion)` : '';
		issues.push({ code: 'unaudited', severity: 'warning', message: `${pkg.name} ${pkg.version} is not audited for ${verdict.required.join(', ')} by anyone you trust${unknown}.`, data });
	}
	return issues;
}
