/**
 * `check --suggest`: each package that fails the trust policy, why, and its preferred fix as the commands to run
 * (we never run cargo ourselves). A direct dependency's requirement must change first when the version leaves it.
 */
import type { WorkspaceAnalysis } from '../analyze';
import { fixTitle } from '../fixes/fixTitle';

export function suggestionText(analysis: WorkspaceAnalysis): string {
	const lines: string[] = [];
	for (const trust of analysis.packages) {
		const verdict = analysis.trust[trust.pkg.index];
		if (!verdict || verdict.policy.passes) continue;
		const { name, version } = trust.pkg;
		const [fix] = verdict.suggestions;
		lines.push(`# ${name} ${version} fails the trust policy (${verdict.policy.failed.join(', ')})`);
		if (!fix) {
			lines.push(`#   no fix: ${verdict.explanation ?? 'no candidate version is known yet'}`);
			continue;
		}
		lines.push(`#   ${fixTitle(fix)}`);
		if (fix.requirement && fix.leaves !== undefined) lines.push(`#   first set the requirement of ${name} to "${fix.requirement}" in Cargo.toml`);
		lines.push(fix.command ?? `#   (no command: the name or version is not safe to put in a shell)`);
	}
	return lines.length ? `\nSuggested fixes:\n${lines.join('\n')}\n` : '\nSuggested fixes: none (every package passes the trust policy)\n';
}
