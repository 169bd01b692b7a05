/**
 * A fake clock for the HTTP layer: `sleep` returns at once and moves the clock forward, recording each wait,
 * so tests of backoff, Retry-After and rate limits assert on recorded waits and virtual time, never on the
 * wall clock of a loaded machine.
 */
import type { Timers } from '../../server/src/sources/http/timers';

export interface FakeTimers extends Timers {
	/** Every wait requested, in order, in milliseconds. */
	readonly sleeps: number[];
	/** Virtual milliseconds since the fake clock started. */
	elapsed(): number;
	/** Moves the clock forward without a sleep, firing every deadline that falls due (a request's or a run's). */
	advance(ms: number): void;
	/** Deadlines set and not yet fired or cancelled. */
	pendingDeadlines(): number;
}

export function fakeTimers(start = Date.UTC(2026, 0, 1)): FakeTimers {
	let now = start;
	const sleeps: number[] = [];
	const deadlines = new Set<{ due: number; onExpire: () => void }>();
	const fireDue = (): void => {
		for (const deadline of [...deadlines]) {
			if (deadline.due > now) continue;
			deadlines.delete(deadline);
			deadline.onExpire();
		}
	};
	return {
		sleeps,
		now: () => now,
		elapsed: () => now - start,
		sleep: async (ms, signal) => {
			if (signal?.aborted) throw signal.reason;
			sleeps.push(ms);
			now += Math.max(0, ms);
			fireDue();
		},
		deadline: (ms, onExpire) => {
			const deadline = { due: now + Math.max(0, ms), onExpire };
			deadlines.add(deadline);
			return () => deadlines.delete(deadline);
		},
		advance: (ms) => {
			now += Math.max(0, ms);
			fireDue();
		},
		pendingDeadlines: () => deadlines.size,
	};
}
