/**
 * Runs background work under a `window/workDoneProgress` report, so the editor shows what is loading.
 */
import type { Connection } from 'vscode-languageserver';

export async function withProgress<T>(connection: Connection, title: string, work: (report: (message: string) => void) => Promise<T>): Promise<T> {
	const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
	progress?.begin(title, undefined, undefined, false);
	try {
		return await work((message) => progress?.report(message));
	} finally {
		progress?.done();
	}
}
