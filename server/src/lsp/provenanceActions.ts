/**
 * The code action on `provenance-modified`: "Show how … differs from its repository", which runs the client's diff
 * command with the package the finding's data names. It changes nothing, so it is offered after the fixes.
 */
import { CodeActionKind } from 'vscode-languageserver';
import { ClientCommands, type ProvenancePackageArgs } from '../protocol';
import type { ActionProvider } from './codeActions';

export const provenanceDiff: ActionProvider = {
	name: 'provenance-diff',
	signals: ['provenance'],
	viewOnly: true,
	offer(data, diagnostic, { file }) {
		// The data made a round trip through the client: only well-formed names reach the command.
		if (diagnostic.code !== 'provenance-modified' || data.signal !== 'provenance' || typeof data.name !== 'string' || typeof data.version !== 'string') return [];
		const args = { file, name: data.name, version: data.version } satisfies ProvenancePackageArgs;
		const title = `Show how ${data.name} ${data.version} differs from its repository`;
		return [{ title, kind: CodeActionKind.QuickFix, args, command: { title, command: ClientCommands.showProvenanceDiff, arguments: [args] } }];
	},
	// The command is the whole action: there is no edit to compute.
	resolve: () => Promise.resolve(undefined),
};
