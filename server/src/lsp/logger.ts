/**
 * Sends source logs to the client's output channel.
 */
import type { Connection } from 'vscode-languageserver';
import type { Logger } from '../sources/log';

export function connectionLogger(connection: Connection): Logger {
	return {
		info: (message) => connection.console.info(message),
		warn: (message) => connection.console.warn(message),
		error: (message) => connection.console.error(message),
	};
}
