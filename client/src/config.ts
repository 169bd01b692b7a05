/**
 * Reads the `cargoTrust.*` settings as one object for the server's first analysis.
 * The server asks again through `workspace/configuration` whenever they change.
 */
import * as vscode from 'vscode';

export function readSettings(): unknown {
	return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('cargoTrust'))) as unknown;
}
