/**
 * Wraps every request handler: a failure is logged with its stack and answered with the fallback,
 * never with a stale or half result, and never crashes the server.
 */
import type { CancellationToken } from 'vscode-languageserver';
import type { Logger } from '../sources/log';

export function guard<P, R>(log: Logger, name: string, fallback: R, handler: (params: P, token: CancellationToken) => Promise<R> | R) {
	return async (params: P, token: CancellationToken): Promise<R> => {
		try {
			return await handler(params, token);
		} catch (error) {
			if (!token.isCancellationRequested) log.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
			return fallback;
		}
	};
}
