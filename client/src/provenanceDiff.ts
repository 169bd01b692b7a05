/**
 * "Cargo Trust: Show Provenance Diff": VS Code's diff editor between the repository's file at the recorded commit
 * and the published one, for a file the server found to differ (a QuickPick when there are several). Both sides
 * are read-only documents of our own scheme whose content the server gives (`cargoTrust/provenanceFile`); the
 * client only shows them.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
	ProvenanceDiffFilesRequest,
	ProvenanceFileRequest,
	ProvenanceScheme,
	type ProvenanceDiffFilesResult,
	type ProvenanceFileParams,
	type ProvenanceFileResult,
	type ProvenancePackageArgs,
} from '../../server/src/protocol';

export function registerProvenanceDiff(getClient: () => LanguageClient | undefined, command: string): vscode.Disposable[] {
	const provider: vscode.TextDocumentContentProvider = {
		async provideTextDocumentContent(uri, token) {
			const client = getClient();
			if (!client) return '(Cargo Trust is not running)';
			const params = JSON.parse(uri.query) as ProvenanceFileParams;
			const result = await client.sendRequest<ProvenanceFileResult>(ProvenanceFileRequest, params, token);
			if ('error' in result) return `(Cargo Trust could not read this file: ${result.error})\n`;
			return result.absent ? '' : result.text;
		},
	};
	return [
		vscode.workspace.registerTextDocumentContentProvider(ProvenanceScheme, provider),
		vscode.commands.registerCommand(command, async (args?: ProvenancePackageArgs) => {
			const client = getClient();
			if (!client) return;
			const target = isPackageArgs(args) ? args : await pickFinding();
			if (!target) return;
			const files = await client.sendRequest<ProvenanceDiffFilesResult>(ProvenanceDiffFilesRequest, target);
			if ('error' in files) return void vscode.window.showWarningMessage(`Cargo Trust: no provenance diff for ${target.name} ${target.version}: ${files.error}`);
			const choices = [...files.modified.map((path) => ({ label: path, description: 'differs from the repository' })), ...files.added.map((path) => ({ label: path, description: 'only in the published package' }))];
			if (choices.length === 0) return void vscode.window.showInformationMessage(`Cargo Trust: every file of ${target.name} ${target.version} matches its repository.`);
			const chosen = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: `${target.name} ${target.version}: files that differ from ${files.repository} at ${files.commit.slice(0, 12)}` });
			if (!chosen) return;
			const side = (which: 'published' | 'repository'): vscode.Uri =>
				vscode.Uri.from({ scheme: ProvenanceScheme, path: `/${which}/${target.name}-${target.version}/${chosen.label}`, query: JSON.stringify({ ...target, path: chosen.label, side: which }) });
			await vscode.commands.executeCommand('vscode.diff', side('repository'), side('published'), `${chosen.label} (${target.name} ${target.version}): repository ${files.commit.slice(0, 12)} ↔ published`, { preview: true });
		}),
	];
}

function isPackageArgs(value: unknown): value is ProvenancePackageArgs {
	const args = value as Partial<ProvenancePackageArgs> | undefined;
	return typeof args?.file === 'string' && typeof args.name === 'string' && typeof args.version === 'string';
}

/** Run from the command palette: the packages with a `provenance-modified` finding, to choose from. */
async function pickFinding(): Promise<ProvenancePackageArgs | undefined> {
	const found = new Map<string, ProvenancePackageArgs>();
	for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
		for (const diagnostic of diagnostics) {
			const data = (diagnostic as { data?: { name?: unknown; version?: unknown } }).data;
			if (diagnostic.source !== 'cargo-trust' || diagnostic.code !== 'provenance-modified' || typeof data?.name !== 'string' || typeof data.version !== 'string') continue;
			found.set(`${data.name} ${data.version}`, { file: uri.fsPath, name: data.name, version: data.version });
		}
	}
	if (found.size === 0) {
		void vscode.window.showInformationMessage('Cargo Trust: no dependency differs from its repository.');
		return undefined;
	}
	const picked = await vscode.window.showQuickPick([...found.keys()], { title: 'Show the provenance diff of' });
	return picked === undefined ? undefined : found.get(picked);
}
