/**
 * What clicking the status bar shows: each data source and its state, with the log and a refresh one pick away,
 * and while facts are being fetched, "Stop Fetching" (VS Code shows the fetching progress without a cancel button).
 */
import * as vscode from 'vscode';
import { ClientCommands, type StatusParams } from '../../server/src/protocol';

const icons = { ok: '$(pass)', warning: '$(warning)', error: '$(error)' } as const;

export async function showStatusSummary(params: StatusParams | undefined): Promise<void> {
	type Item = vscode.QuickPickItem & { command?: string };
	const sources: Item[] = (params?.sources ?? []).map((source) => ({ label: `${icons[source.health]} ${source.label}`, detail: source.state }));
	const items: Item[] = [
		...(sources.length ? sources : [{ label: params?.message ?? 'The Cargo Trust language server is starting.' }]),
		{ label: '', kind: vscode.QuickPickItemKind.Separator },
		...(params?.fetching ? [{ label: '$(debug-stop) Stop Fetching', command: ClientCommands.stopFetching }] : []),
		{ label: '$(output) Show Log', command: ClientCommands.showLog },
		{ label: '$(refresh) Refresh Data', command: ClientCommands.refreshData },
	];
	const picked = await vscode.window.showQuickPick(items, { title: `Cargo Trust: ${params?.message ?? 'starting'}`, placeHolder: 'Data sources and their state' });
	if (picked?.command) await vscode.commands.executeCommand(picked.command);
}
