/**
 * How the language server is started and which documents it sees.
 */
import * as vscode from 'vscode';
import { TransportKind, type LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommands, serverProcess, type InitializationOptions } from '../../server/src/protocol';
import { readSettings } from './config';
import { LoggingLanguageClient } from './loggingClient';

/** `watchers` belong to the caller, which keeps them across restarts and disposes of them with the extension. */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, watchers: vscode.FileSystemWatcher[]): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc, options: { env: { ...serverProcess.env } } },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'], env: { ...serverProcess.env } } },
	};
	const initializationOptions: InitializationOptions = {
		cacheDir: context.globalStorageUri.fsPath,
		trusted: vscode.workspace.isTrusted,
		settings: readSettings(),
		// watchers.ts reports every Cargo.toml and Cargo.lock change inside the folders.
		watchesCargoFiles: true,
	};
	const clientOptions: LanguageClientOptions = {
		// By pattern, not language id: without a TOML extension Cargo.toml is plain text and Cargo.lock has no language.
		documentSelector: [
			{ scheme: 'file', pattern: '**/Cargo.toml' },
			{ scheme: 'file', pattern: '**/Cargo.lock' },
		],
		// No `configurationSection`: the server registers for configuration changes itself and pulls each root's
		// settings with its scope; both at once sent every change twice.
		synchronize: {
			fileEvents: watchers,
		},
		initializationOptions,
		outputChannel: log,
		progressOnInitialization: true,
		// The hover's command link ("Show the differences") runs only this command; every other command link in a
		// hover stays inert (external text is escaped anyway).
		markdown: { isTrusted: { enabledCommands: [ClientCommands.showProvenanceDiff, ClientCommands.checkCommitReachable] } },
	};
	return new LoggingLanguageClient('cargoTrust', 'Cargo Trust', serverOptions, clientOptions, log);
}
