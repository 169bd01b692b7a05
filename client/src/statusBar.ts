/**
 * The status bar item: the count of findings, whether the server is still loading data, and (tooltip and click)
 * the state of each data source.
 */
import * as vscode from 'vscode';
import { ClientCommands, type StatusParams } from '../../server/src/protocol';
import { sourceLines, statusText } from './statusText';

export class StatusBar implements vscode.Disposable {
	private readonly item = vscode.window.createStatusBarItem('cargoTrust.status', vscode.StatusBarAlignment.Left, 0);
	/** The last status from the server, for the summary a click shows. */
	last: StatusParams | undefined;
	/** The `cargoTrust.fetching` context key as last set: the Command Palette lists "Stop Fetching" only while it is true. */
	private fetching = false;

	constructor() {
		this.item.name = 'Cargo Trust';
		this.item.command = ClientCommands.showStatus;
		this.item.show();
	}

	starting(): void {
		this.last = undefined;
		this.setFetching(false);
		this.item.text = '$(sync~spin) Cargo Trust: starting';
		this.item.tooltip = 'The Cargo Trust language server is starting.';
		this.item.backgroundColor = undefined;
	}

	stopped(): void {
		this.last = undefined;
		this.setFetching(false);
		this.item.text = '$(circle-slash) Cargo Trust: stopped';
		this.item.tooltip = 'The Cargo Trust language server is not running. Run "Cargo Trust: Restart Server".';
	}

	render(params: StatusParams): void {
		this.last = params;
		this.setFetching(params.fetching);
		this.item.text = statusText(params);
		const tooltip = new vscode.MarkdownString(undefined, true);
		tooltip.appendText(params.message);
		for (const line of sourceLines(params)) tooltip.appendMarkdown('\n\n').appendText(line);
		this.item.tooltip = tooltip;
		this.item.backgroundColor =
			params.health === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : params.health === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
	}

	private setFetching(fetching: boolean): void {
		if (fetching === this.fetching) return;
		this.fetching = fetching;
		void vscode.commands.executeCommand('setContext', 'cargoTrust.fetching', fetching);
	}

	dispose(): void {
		this.item.dispose();
	}
}
