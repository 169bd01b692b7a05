/**
 * A counting semaphore: bounds how many requests are in flight at once.
 * Waiters are served first come, first served; an aborted waiter leaves the queue without taking a permit.
 * It must not know what it guards: no timing, no retries, no I/O.
 */

export class Semaphore {
	private available: number;
	private readonly waiters: Array<{ grant: () => void; signal: AbortSignal | undefined }> = [];

	constructor(permits: number) {
		this.available = Math.max(1, permits);
	}

	/** Resolves with a release function once a permit is free; rejects when the signal aborts first. */
	acquire(signal?: AbortSignal): Promise<() => void> {
		if (signal?.aborted) return Promise.reject(signal.reason);
		if (this.available > 0) {
			this.available--;
			return Promise.resolve(this.releaser());
		}
		return new Promise((resolve, reject) => {
			const waiter = {
				signal,
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve(this.releaser());
				},
			};
			const onAbort = (): void => {
				const index = this.waiters.indexOf(waiter);
				if (index !== -1) this.waiters.splice(index, 1);
				reject(signal?.reason);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(waiter);
		});
	}

	private releaser(): () => void {
		let released = false;
		return () => {
			// A double release would silently raise the bound.
			if (released) return;
			released = true;
			const next = this.waiters.shift();
			if (next) next.grant();
			else this.available++;
		};
	}
}
