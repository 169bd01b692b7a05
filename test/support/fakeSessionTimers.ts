/**
 * Fake session timers (`setTimeout`/`setInterval` with a virtual clock): `advance` fires what falls due, in order,
 * so tests of debouncing, retries and expiry never wait on the wall clock.
 */
import type { SessionTimers } from '../../server/src/facts/sessionTimers';

export interface FakeSessionTimers extends SessionTimers {
	now(): number;
	/** Moves the clock forward, firing every timer that falls due on the way. */
	advance(ms: number): void;
	/** Timers set and not yet fired or cleared (intervals count until cleared). */
	pending(): number;
}

export function fakeSessionTimers(start = Date.UTC(2026, 0, 1)): FakeSessionTimers {
	let now = start;
	let nextId = 1;
	const timers = new Map<number, { due: number; callback: () => void; every: number | undefined }>();
	const add = (callback: () => void, ms: number, every: number | undefined): number => {
		const id = nextId++;
		timers.set(id, { due: now + Math.max(0, ms), callback, every });
		return id;
	};
	return {
		now: () => now,
		setTimeout: (callback, ms) => add(callback, ms, undefined),
		setInterval: (callback, ms) => add(callback, ms, Math.max(1, ms)),
		clearTimeout: (handle) => void timers.delete(handle as number),
		clearInterval: (handle) => void timers.delete(handle as number),
		advance(ms) {
			const end = now + ms;
			for (;;) {
				let next: [number, { due: number; callback: () => void; every: number | undefined }] | undefined;
				for (const entry of timers) if (entry[1].due <= end && (!next || entry[1].due < next[1].due)) next = entry;
				if (!next) break;
				const [id, timer] = next;
				now = timer.due;
				if (timer.every === undefined) timers.delete(id);
				else timer.due += timer.every;
				timer.callback();
			}
			now = end;
		},
		pending: () => timers.size,
	};
}
