/**
 * A language client that writes its log lines (the server's `window/logMessage` and its own) to the
 * LogOutputChannel at their level. vscode-languageclient would write "[Info  - 10:43:26 AM] …" as plain lines, and
 * the LogOutputChannel adds its own "[info]" prefix: one prefix, the channel's, and its level filter works.
 */
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export class LoggingLanguageClient extends LanguageClient {
	constructor(
		id: string,
		name: string,
		serverOptions: ServerOptions,
		clientOptions: LanguageClientOptions,
		private readonly log: vscode.LogOutputChannel,
	) {
		super(id, name, serverOptions, clientOptions);
	}

	override debug(message: string, data?: unknown): void {
		this.log.debug(withData(message, data));
	}

	override info(message: string, data?: unknown): void {
		this.log.info(withData(message, data));
	}

	override warn(message: string, data?: unknown): void {
		this.log.warn(withData(message, data));
	}

	/** Errors of the client itself (a failed request) still pop up, as the base client does by default. */
	override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
		this.log.error(withData(message, data));
		if (showNotification) void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && this.log.show(true));
	}
}

function withData(message: string, data: unknown): string {
	if (data === undefined || data === null) return message;
	const detail = data instanceof Error ? (data.stack ?? data.message) : typeof data === 'string' ? data : JSON.stringify(data);
	return `${message}\n${detail}`;
}
