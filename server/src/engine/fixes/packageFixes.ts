/**
 * The quick fixes a package's findings carry: its pin/upgrade suggestions as titled fixes, computed once per
 * analysis and attached to every finding of a signal the trust policy weighs.
 */
import type { FindingData, IssueData, PackageFix } from '../findings';
import type { PackagePolicy } from '../policy/assessTrust';
import { fixTitle } from './fixTitle';

/** The signals whose findings can make a package fail the policy; checksum, publisher and unsafe findings are not conditions of it. */
const POLICY_SIGNALS: ReadonlySet<IssueData['signal']> = new Set(['advisory', 'young-release', 'yanked', 'audit', 'provenance']);

export function packageFixes(trust: PackagePolicy | undefined): PackageFix[] {
	if (!trust || trust.policy.passes) return [];
	return trust.suggestions.map((suggestion) => ({
		action: suggestion.action,
		version: suggestion.version,
		title: fixTitle({ action: suggestion.action, version: suggestion.version, reasons: suggestion.reasons, leaves: suggestion.leaves }),
		requirement: suggestion.requirement,
		leavesRequirement: suggestion.leaves !== undefined,
		command: suggestion.command ?? null,
	}));
}

/** The finding data with the package's fixes, when its signal is one the policy weighs and there are fixes. */
export function withFixes(data: FindingData, fixes: readonly PackageFix[]): FindingData {
	return fixes.length && POLICY_SIGNALS.has(data.signal) ? { ...data, fixes: [...fixes] } : data;
}
