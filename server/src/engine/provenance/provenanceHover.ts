/**
 * The provenance part of the hover card: the verdict, the commit (linked on its forge when we know the forge),
 * the first files that differ or exist only in the package, symbolic links in the repository, what was not
 * compared, a command link to the diff view, and for unknown verdicts the reason. Every string from the crate or its repository goes through markdown.ts.
 */
import type { PackageTrust } from '../analyze';
import { mdCode, mdText } from '../markdown';
import { commitUrl } from './forge';
import type { ProvenanceFacts } from './types';

/** The command the hover links to (contributed by the client: protocol.ts's ClientCommands.showProvenanceDiff). */
export const SHOW_DIFF_COMMAND = 'cargoTrust.showProvenanceDiff';

/** The command that checks the commit against the repository's branches and tags (protocol.ts's ClientCommands.checkCommitReachable). */
export const CHECK_REACHABLE_COMMAND = 'cargoTrust.checkCommitReachable';

/** Files listed per kind before "and N more". */
const SHOWN = 5;

/** Arguments of the command link: a file of the workspace (to find its analysis) and the package. */
export interface ProvenanceCommandArgs {
	file: string;
	name: string;
	version: string;
}

export function provenanceSection(trust: PackageTrust, workspaceFile: string): string[] {
	const fact = trust.provenance;
	// A path crate is the user's own code: there is nothing published to compare.
	if (trust.pkg.source.kind === 'path') return [];
	if (fact === undefined) return ['**Provenance:** checking…', ''];
	if (fact.status === 'disabled') return [`**Provenance:** not checked (${mdText(fact.reason)})`, ''];
	if (fact.status === 'unknown') return [`**Provenance:** unknown (${mdText(fact.reason)})`, ''];
	const facts = fact.value;
	const args: ProvenanceCommandArgs = { file: workspaceFile, name: trust.pkg.name, version: trust.pkg.version };
	const lines = [`**Provenance:** ${verdict(facts)}${commitPart(facts)}`];
	if (!COMPARED.has(facts.status)) {
		if (facts.reason) lines.push(mdText(facts.reason));
		return [lines.join('  \n'), ''];
	}
	if (facts.modified?.length) lines.push(`Differ from the repository: ${fileList(facts.modified)}`);
	if (facts.added?.length) lines.push(`Only in the published package: ${fileList(facts.added)}`);
	for (const path of facts.repositorySymlinks.slice(0, SHOWN)) lines.push(`The repository holds a symbolic link at ${mdCode(path)} (its id is the link's target path, so the published copy differs)`);
	if (facts.modified?.length || facts.added?.length) lines.push(commandLink('Show the differences', SHOW_DIFF_COMMAND, args));
	lines.push(reachabilityLine(facts, args));
	if (facts.skipped.length) lines.push(`${facts.skipped.length} ${facts.skipped.length === 1 ? 'entry' : 'entries'} not compared (${facts.skipped.slice(0, 3).map((entry) => `${mdCode(entry.path)}: ${mdText(entry.reason)}`).join('; ')}${facts.skipped.length > 3 ? '; …' : ''})`);
	return [lines.join('  \n'), ''];
}

/** Verdicts that come from a comparison (the others carry a reason instead). */
const COMPARED = new Set(['verified', 'modified', 'dirty']);

function verdict(facts: ProvenanceFacts): string {
	switch (facts.status) {
		case 'verified':
			return '✅ verified: every file matches its repository';
		case 'modified':
			return '⚠️ **modified**: the published files do not all match the repository';
		case 'dirty':
			return 'dirty: published from a work tree with uncommitted changes (the files match the commit)';
		case 'no-vcs-info':
			return 'unknown: no `.cargo_vcs_info.json` (published without git information)';
		case 'no-repository':
			return 'unknown: no `package.repository`';
		case 'commit-not-found':
			return 'unknown: the recorded commit is not in the repository';
		case 'unreachable':
			return 'unknown: the repository could not be reached';
		case 'unsupported-repository':
			return 'unknown: the repository URL is not fetched';
		default:
			return 'unknown: error';
	}
}

function commitPart(facts: ProvenanceFacts): string {
	if (facts.commit === null) return '';
	const where = facts.pathInVcs ? ` in ${mdCode(facts.pathInVcs)}` : '';
	// A commit the repository does not have (or that was never fetched) gets no link that would look like proof.
	const url = facts.repository === null || !COMPARED.has(facts.status) ? undefined : commitUrl(facts.repository, facts.commit);
	// commitUrl only builds links of safe characters on known forges: the URL can be a link destination as it is.
	const commit = url ? `[${facts.commit.slice(0, 12)}](${url})` : mdCode(facts.commit.slice(0, 12));
	return ` · commit ${commit}${where}${facts.repository ? ` of ${mdText(facts.repository)}` : ''}`;
}

/** Whether the commit is on a branch or tag (an imposter commit is only on a fork's ref); a link to check it on demand. */
function reachabilityLine(facts: ProvenanceFacts, args: ProvenanceCommandArgs): string {
	const { reachability } = facts;
	const check = commandLink('Check that this commit is on a branch or tag', CHECK_REACHABLE_COMMAND, args);
	if (reachability === undefined) return check;
	if (reachability.reachable === true) return `On a branch or tag: ${mdCode(reachability.via ?? '')}`;
	if (reachability.reachable === false) return '⚠️ **On no branch or tag** of the repository: the commit may come from a fork (an imposter commit)';
	return `Branches and tags: unknown (${mdText(reachability.reason ?? 'not checked')}) · ${check}`;
}

function fileList(files: readonly string[]): string {
	const shown = files.slice(0, SHOWN).map(mdCode).join(', ');
	return files.length > SHOWN ? `${shown} and ${files.length - SHOWN} more` : shown;
}

/**
 * A command URI (VS Code runs it when the client trusts the command: the language client's `markdown.isTrusted`
 * lists exactly ours). The arguments are JSON, percent-encoded including the characters that would end the
 * link destination.
 */
function commandLink(label: string, command: string, args: ProvenanceCommandArgs): string {
	const encoded = encodeURIComponent(JSON.stringify([args])).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `[${label}](command:${command}?${encoded})`;
}
