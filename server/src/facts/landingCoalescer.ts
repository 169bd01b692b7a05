/**
 * Gathers the roots whose facts changed and tells the listeners at most once per interval, so a burst of facts
 * landing one by one re-analyses each workspace a few times per second, not once per fact.
 */
import type { SessionTimers } from './sessionTimers';

export class LandingCoalescer {
	private readonly landed = new Set<string>();
	private readonly listeners = new Set<(roots: ReadonlySet<string>) => void>();
	private timer: unknown;
	private lastFlush = -Infinity;

	constructor(
		private readonly timers: SessionTimers,
		private readonly now: () => number,
		private readonly intervalMs = 250,
	) {}

	listen(listener: (roots: ReadonlySet<string>) => void): { dispose(): void } {
		this.listeners.add(listener);
		return { dispose: () => void this.listeners.delete(listener) };
	}

	/** Records that `root`'s facts changed; the listeners hear of it at the next flush. */
	land(root: string): void {
		this.landed.add(root);
		if (this.timer !== undefined) return;
		const delay = Math.max(0, this.lastFlush + this.intervalMs - this.now());
		this.timer = this.timers.setTimeout(() => this.flush(), delay);
	}

	/** Whether news of `root` (of any root when absent) waits for the next flush. */
	pending(root?: string): boolean {
		return root === undefined ? this.landed.size > 0 : this.landed.has(root);
	}

	/** Forgets a closed root's pending news. */
	forget(root: string): void {
		this.landed.delete(root);
	}

	dispose(): void {
		if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
		this.timer = undefined;
		this.landed.clear();
		this.listeners.clear();
	}

	private flush(): void {
		this.timer = undefined;
		this.lastFlush = this.now();
		if (this.landed.size === 0) return;
		const roots = new Set(this.landed);
		this.landed.clear();
		for (const listener of this.listeners) listener(roots);
	}
}
