/**
 * `window/workDoneProgress` reports, so the editor shows what is loading: `withProgress` around one piece of
 * background work, `progressPeriods` for work that starts and stops on its own (the facts service's queues).
 * When `cancel` is given, the progress is cancellable from the editor and cancelling aborts it.
 */
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';

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

/**
 * One progress per period of activity: begun when work starts, its message updated while it runs, ended when it
 * stops. Creating a progress is a request to the client, so each step waits for the one before it. With `onCancel`,
 * each period is cancellable and cancelling it calls `onCancel` (the work then winds down and the period ends).
 */
export function progressPeriods(connection: Connection, title: string, onCancel?: () => void): (state: { active: boolean; message: string }) => void {
	let current: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
	return ({ active, message }) => {
		if (active && !current) {
			current = connection.window
				.createWorkDoneProgress()
				.catch(() => undefined)
				.then((progress) => {
					progress?.begin(title, undefined, message || undefined, onCancel !== undefined);
					// The token (and its listener) goes with the reporter when the period is done.
					if (onCancel) progress?.token.onCancellationRequested(onCancel);
					return progress;
				});
		} else if (active) {
			current = current!.then((progress) => {
				progress?.report(message);
				return progress;
			});
		} else if (current) {
			void current.then((progress) => progress?.done());
			current = undefined;
		}
	};
}
