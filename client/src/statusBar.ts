/**
 * The status bar item: the count of findings, and whether the server is still loading data.
 */
import * as vscode from 'vscode';
import { ClientCommands, type StatusParams } from '../../server/src/protocol';
import { statusText } from './statusText';

export class StatusBar implements vscode.Disposable {
	private readonly item = vscode.window.createStatusBarItem('cargoTrust.status', vscode.StatusBarAlignment.Left, 0);

	constructor() {
		this.item.name = 'Cargo Trust';
		this.item.command = ClientCommands.showLog;
		this.item.show();
	}

	starting(): void {
		this.item.text = '$(sync~spin) Cargo Trust: starting';
		this.item.tooltip = 'The Cargo Trust language server is starting.';
		this.item.backgroundColor = undefined;
	}

	stopped(): void {
		this.item.text = '$(circle-slash) Cargo Trust: stopped';
		this.item.tooltip = 'The Cargo Trust language server is not running. Run "Cargo Trust: Restart Server".';
	}

	render(params: StatusParams): void {
		this.item.text = statusText(params);
		this.item.tooltip = params.message;
		this.item.backgroundColor =
			params.health === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : params.health === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
	}

	dispose(): void {
		this.item.dispose();
	}
}
