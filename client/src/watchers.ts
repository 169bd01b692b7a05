/**
 * The files whose changes the server must hear about, watched once for the extension's lifetime (a restart of the
 * server reuses them): manifests and lockfiles, ignore files, cargo's configuration in the workspace and in
 * $CARGO_HOME, and cargo-vet's supply-chain folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

export function createWatchers(): vscode.FileSystemWatcher[] {
	const configured = vscode.workspace.getConfiguration('cargoTrust').get<string>('cargoHome');
	const cargoHome = configured || process.env.CARGO_HOME || join(homedir(), '.cargo');
	return [
		vscode.workspace.createFileSystemWatcher('**/Cargo.toml'),
		vscode.workspace.createFileSystemWatcher('**/Cargo.lock'),
		vscode.workspace.createFileSystemWatcher('**/{audit.toml,deny.toml,.deny.toml}'),
		vscode.workspace.createFileSystemWatcher('**/.cargo/{config,config.toml,credentials,credentials.toml}'),
		vscode.workspace.createFileSystemWatcher('**/supply-chain/*.toml'),
		// Outside the workspace: cargo's own configuration, registry tokens and cargo-audit's global ignores.
		vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(cargoHome), '{config,config.toml,credentials,credentials.toml,audit.toml}')),
	];
}
