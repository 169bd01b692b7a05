/**
 * Wraps every request handler: parameters are checked first and malformed ones answered with InvalidParams (the
 * client's mistake, not ours: no stack trace in the log); a failure is logged with its stack and answered with the
 * fallback, never with a stale or half result, and never crashes the server.
 */
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { Logger } from '../sources/log';

/** Says what is wrong with a request's parameters, or undefined when they have the shape the handler relies on. */
export type ParamsCheck = (params: unknown) => string | undefined;

export function guard<P, R>(log: Logger, name: string, check: ParamsCheck, fallback: R, handler: (params: P, token: CancellationToken) => Promise<R> | R) {
	return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
		const problem = check(params);
		if (problem) {
			log.warn(`${name}: invalid parameters: ${problem}`);
			return new ResponseError(ErrorCodes.InvalidParams, `${name}: ${problem}`);
		}
		try {
			return await handler(params, token);
		} catch (error) {
			if (!token.isCancellationRequested) log.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
			return fallback;
		}
	};
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPosition = (value: unknown): boolean =>
	isObject(value) && Number.isInteger(value.line) && (value.line as number) >= 0 && Number.isInteger(value.character) && (value.character as number) >= 0;

/** `TextDocumentPositionParams`: hover. */
export const textDocumentPositionParams: ParamsCheck = (params) => {
	if (!isObject(params)) return 'expected an object';
	if (!isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') return 'textDocument.uri must be a string';
	if (!isPosition(params.position)) return 'position must have non-negative integer line and character';
	return undefined;
};

/** `ExecuteCommandParams`. */
export const executeCommandParams: ParamsCheck = (params) => {
	if (!isObject(params)) return 'expected an object';
	if (typeof params.command !== 'string') return 'command must be a string';
	if (params.arguments !== undefined && !Array.isArray(params.arguments)) return 'arguments must be an array';
	return undefined;
};

/** `CodeActionParams`: the diagnostics are the client's copies of ours, checked again where they are read. */
export const codeActionParams: ParamsCheck = (params) => {
	if (!isObject(params)) return 'expected an object';
	if (!isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') return 'textDocument.uri must be a string';
	if (!isObject(params.context) || !Array.isArray(params.context.diagnostics)) return 'context.diagnostics must be an array';
	if (!params.context.diagnostics.every(isObject)) return 'context.diagnostics must hold objects';
	return undefined;
};

/** `CodeAction` sent back to `codeAction/resolve`. */
export const codeActionResolveParams: ParamsCheck = (params) => {
	if (!isObject(params)) return 'expected an object';
	if (typeof params.title !== 'string') return 'title must be a string';
	return undefined;
};
