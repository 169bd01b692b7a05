/**
 * The clock and the waits of the HTTP layer, injected so retries, backoff and rate limits can be tested
 * with a fake clock. Must not read the clock any other way than through the Environment.
 */
import type { Environment } from '../environment';

export interface Timers {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/**
	 * Calls `onExpire` after `ms` unless the returned cancel function runs first. A deadline never keeps the
	 * process alive on its own: the CLI must be able to exit while a run budget is still pending.
	 */
	deadline(ms: number, onExpire: () => void): () => void;
}

/** Real waits; the clock comes from the environment so a fixed test clock still applies to ages. */
export function realTimers(environment: Environment): Timers {
	return {
		now: () => environment.now().getTime(),
		sleep: (ms, signal) =>
			new Promise<void>((resolve, reject) => {
				if (signal?.aborted) {
					reject(signal.reason);
					return;
				}
				const onAbort = (): void => {
					clearTimeout(timer);
					reject(signal?.reason);
				};
				const timer = setTimeout(() => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				}, Math.max(0, ms));
				signal?.addEventListener('abort', onAbort, { once: true });
			}),
		deadline: (ms, onExpire) => {
			const timer = setTimeout(onExpire, Math.max(0, ms));
			timer.unref();
			return () => clearTimeout(timer);
		},
	};
}
