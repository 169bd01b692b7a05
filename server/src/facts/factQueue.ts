/**
 * One queue per kind of fact: tasks keyed so the same work is never queued or run twice at once, taken in
 * priority order (0 first), with at most `perHost` tasks running against one host, and cancelled by workspace
 * root. A task's promise settles when it ends (or is dropped); it never rejects.
 */

/** Priorities, best first: what the user hovers, direct dependencies of open files, all direct dependencies, the rest. */
export const Priority = { hovered: 0, open: 1, direct: 2, rest: 3 } as const;
const LEVELS = 4;

interface Task {
	key: string;
	root: string;
	host: string;
	priority: number;
	run: (signal: AbortSignal) => Promise<void>;
	done: Promise<void>;
	settle: () => void;
	controller: AbortController | undefined;
}

export class FactQueue {
	/** One bucket per priority level; a Map keeps insertion order, so equal priorities run first come, first served. */
	private readonly waiting: Map<string, Task>[] = Array.from({ length: LEVELS }, () => new Map());
	private readonly running = new Map<string, Task>();
	private readonly perHostRunning = new Map<string, number>();
	private pumpScheduled = false;

	/** `onSettled` runs after each task ends, with its root; `perHost` bounds the tasks running against one host. */
	constructor(
		readonly name: string,
		private readonly perHost: number,
		private readonly onSettled: (root: string) => void,
	) {}

	/**
	 * Queues `run` unless a task with this key is queued or running (then a better priority is kept); returns the
	 * promise of whichever task does the work.
	 */
	enqueue(key: string, root: string, host: string, priority: number, run: (signal: AbortSignal) => Promise<void>): Promise<void> {
		const active = this.running.get(key);
		if (active) return active.done;
		const level = Math.max(0, Math.min(LEVELS - 1, priority));
		for (const [index, bucket] of this.waiting.entries()) {
			const queued = bucket.get(key);
			if (!queued) continue;
			if (level < index) {
				bucket.delete(key);
				queued.priority = level;
				this.waiting[level]!.set(key, queued);
			}
			return queued.done;
		}
		let settle!: () => void;
		const done = new Promise<void>((resolve) => (settle = resolve));
		this.waiting[level]!.set(key, { key, root, host, priority: level, run, done, settle, controller: undefined });
		this.schedulePump();
		return done;
	}

	/**
	 * Drops the root's queued tasks; its running ones are aborted with `abortReason`, or, without one, left to
	 * finish. Returns the keys of both.
	 */
	cancelRoot(root: string, abortReason?: string): string[] {
		const keys: string[] = [];
		for (const bucket of this.waiting) {
			for (const [key, task] of bucket) {
				if (task.root !== root) continue;
				keys.push(key);
				bucket.delete(key);
				task.settle();
				this.onSettled(root);
			}
		}
		for (const task of this.running.values()) {
			if (task.root !== root) continue;
			keys.push(task.key);
			if (abortReason !== undefined) task.controller?.abort(new Error(abortReason));
		}
		return keys;
	}

	/** Queued and running tasks, for progress. */
	get size(): number {
		return this.running.size + this.waiting.reduce((sum, bucket) => sum + bucket.size, 0);
	}

	/** Tasks queued or running for this root. */
	pending(root: string): number {
		let count = 0;
		for (const task of this.running.values()) if (task.root === root) count++;
		for (const bucket of this.waiting) for (const task of bucket.values()) if (task.root === root) count++;
		return count;
	}

	/**
	 * Starts work once the current synchronous pass is over: callers queue a whole workspace in one loop, in
	 * lockfile order, and starting at the first `enqueue` would run the first few packages of the alphabet ahead
	 * of the direct dependencies queued after them.
	 */
	private schedulePump(): void {
		if (this.pumpScheduled) return;
		this.pumpScheduled = true;
		queueMicrotask(() => {
			this.pumpScheduled = false;
			this.pump();
		});
	}

	private pump(): void {
		for (;;) {
			const task = this.nextRunnable();
			if (!task) return;
			this.waiting[task.priority]!.delete(task.key);
			this.running.set(task.key, task);
			this.perHostRunning.set(task.host, (this.perHostRunning.get(task.host) ?? 0) + 1);
			task.controller = new AbortController();
			void task
				.run(task.controller.signal)
				.catch(() => undefined)
				.finally(() => {
					this.running.delete(task.key);
					this.perHostRunning.set(task.host, this.perHostRunning.get(task.host)! - 1);
					task.settle();
					this.onSettled(task.root);
					this.pump();
				});
		}
	}

	/** The best queued task whose host has room. */
	private nextRunnable(): Task | undefined {
		for (const bucket of this.waiting) {
			for (const task of bucket.values()) if ((this.perHostRunning.get(task.host) ?? 0) < this.perHost) return task;
		}
		return undefined;
	}
}
