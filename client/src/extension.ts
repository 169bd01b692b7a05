/**
 * Extension entry point: starts the Cargo Trust language server and wires the thin client around it
 * (status bar, output channel, commands). No analysis happens here.
 */
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { CheckCommitReachableRequest, ClientCommands, ServerCommands, StatusNotification, type CheckCommitReachableResult, type ProvenancePackageArgs, type StatusParams } from '../../server/src/protocol';
import { createLanguageClient } from './languageClient';
import { StatusBar } from './statusBar';
import { createWatchers } from './watchers';
import { showStatusSummary } from './statusSummary';
import { registerProvenanceDiff } from './provenanceDiff';
import { addAuditSources } from './addAuditSources';
import { updateLockfile } from './updateLockfile';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
	const log = vscode.window.createOutputChannel('Cargo Trust', { log: true });
	const statusBar = new StatusBar();
	// Created once: a restart must not add watchers, which would never be disposed.
	const watchers = createWatchers();
	context.subscriptions.push(log, statusBar, ...watchers);
	// What belongs to the running client, disposed of when it is replaced.
	let clientSubscriptions: vscode.Disposable[] = [];
	context.subscriptions.push({ dispose: () => clientSubscriptions.forEach((subscription) => subscription.dispose()) });

	const start = async (): Promise<void> => {
		for (const subscription of clientSubscriptions) subscription.dispose();
		client = createLanguageClient(context, log, watchers);
		clientSubscriptions = [
			client.onNotification(StatusNotification, (params: StatusParams) => statusBar.render(params)),
			client.onDidChangeState((event) => {
				if (event.newState === State.Stopped) statusBar.stopped();
			}),
		];
		await client.start();
	};

	context.subscriptions.push(
		vscode.commands.registerCommand(ClientCommands.showLog, () => log.show(true)),
		vscode.commands.registerCommand(ClientCommands.showStatus, () => showStatusSummary(statusBar.last)),
		vscode.commands.registerCommand(ClientCommands.refreshData, async () => {
			await client?.sendRequest('workspace/executeCommand', { command: ServerCommands.refreshData, arguments: [] });
		}),
		vscode.commands.registerCommand(ClientCommands.stopFetching, async () => {
			await client?.sendRequest('workspace/executeCommand', { command: ServerCommands.cancelFetching, arguments: [] });
		}),
		vscode.commands.registerCommand(ClientCommands.restartServer, async () => {
			statusBar.starting();
			await client?.stop();
			await start();
		}),
		...registerProvenanceDiff(() => client, ClientCommands.showProvenanceDiff),
		vscode.commands.registerCommand(ClientCommands.checkCommitReachable, async (args?: ProvenancePackageArgs) => {
			if (!client || typeof args?.name !== 'string') return;
			const result = await client.sendRequest<CheckCommitReachableResult>(CheckCommitReachableRequest, args);
			// The hover shows the answer; a failure is also said here, where the user clicked.
			if ('error' in result || result.reachable === null) void vscode.window.showWarningMessage(`Cargo Trust: could not check ${args.name} ${args.version}: ${'error' in result ? result.error : result.reason}`);
		}),
		vscode.commands.registerCommand(ClientCommands.addAuditSources, () => addAuditSources(vscode)),
		vscode.commands.registerCommand(ClientCommands.updateLockfile, (args?: unknown) => updateLockfile(vscode, args)),
		vscode.workspace.onDidGrantWorkspaceTrust(async () => {
			// Restricted-mode settings become usable once the workspace is trusted; a restart picks them up.
			await vscode.commands.executeCommand(ClientCommands.restartServer);
		}),
	);

	try {
		statusBar.starting();
		await start();
	} catch (error) {
		const message = `Cannot activate Cargo Trust: ${(error as Error).message}`;
		log.error(message);
		void vscode.window.showErrorMessage(message);
		throw error;
	}
}

export async function deactivate(): Promise<void> {
	await client?.stop();
}
