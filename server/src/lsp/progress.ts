/**
 * Runs background work under a `window/workDoneProgress` report, so the editor shows what is loading.
 * When `cancel` is given, the progress is cancellable from the editor and cancelling aborts it.
 */
import type { Connection } from 'vscode-languageserver';

export async function withProgress<T>(connection: Connection, title: string, work: (report: (message: string) => void) => Promise<T>, cancel?: AbortController): Promise<T> {
	const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
	progress?.begin(title, undefined, undefined, cancel !== undefined);
	const subscription = cancel ? progress?.token.onCancellationRequested(() => cancel.abort()) : undefined;
	try {
		return await work((message) => progress?.report(message));
	} finally {
		subscription?.dispose();
		progress?.done();
	}
}
