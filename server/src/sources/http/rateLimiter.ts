/**
 * At most N acquisitions in any window of `intervalMs`, shared by everyone holding the same instance
 * (crates.io's API asks for at most one request per second from the whole process).
 * Time comes only from the injected Timers, so tests drive it with a fake clock.
 */
import type { Timers } from './timers';

export interface RateLimiterOptions {
	requests: number;
	intervalMs: number;
	timers: Timers;
}

export class RateLimiter {
	/** Times of the most recent grants, oldest first; never longer than `requests`. */
	private readonly grants: number[] = [];
	/** Acquisitions are serialised so two waiters cannot both see the same free slot. */
	private queue: Promise<void> = Promise.resolve();

	constructor(private readonly options: RateLimiterOptions) {}

	/** Resolves when the caller may send one request; rejects when the signal aborts first. */
	acquire(signal?: AbortSignal): Promise<void> {
		const turn = this.queue.then(() => this.waitForSlot(signal));
		// A rejected (aborted) turn must not block the callers queued behind it.
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	private async waitForSlot(signal: AbortSignal | undefined): Promise<void> {
		const { requests, intervalMs, timers } = this.options;
		if (signal?.aborted) throw signal.reason;
		const now = timers.now();
		while (this.grants.length > 0 && (this.grants[0] ?? 0) + intervalMs <= now) this.grants.shift();
		if (this.grants.length >= Math.max(1, requests)) {
			// Until the oldest grant leaves the window, and never longer than the window: that grant was made at most
			// one interval ago, whatever a wall clock set back since says (a clock an hour behind once meant an hour's wait).
			await timers.sleep(Math.min(intervalMs, (this.grants[0] ?? now) + intervalMs - now), signal);
			this.grants.shift();
		}
		this.grants.push(timers.now());
	}
}
