/**
 * A cap on the bytes of package files held in memory at once, shared by every package being read and counted
 * (a byte semaphore). Each package reserves, once and whole, an upper bound of what it will hold before it holds
 * any of it, then gives back what it did not use once read, and the rest once counted. Whole, first-come
 * reservations cannot deadlock: a package waiting holds nothing, and a package holding bytes waits for nothing.
 */

const MiB = 1024 * 1024;

/** Above the largest file kept (maxEntryBytes, 100 MiB) with room for a second package, and far under a gigabyte. */
export const DEFAULT_BUDGET_BYTES = 256 * MiB;

interface Waiter {
	bytes: number;
	grant: () => void;
}

export class ByteBudget {
	private used = 0;
	private readonly waiting: Waiter[] = [];

	constructor(readonly cap: number = DEFAULT_BUDGET_BYTES) {}

	/** Bytes reserved now; never above `cap`. */
	get inUse(): number {
		return this.used;
	}

	/** A holder of at most one reservation at a time; released once, whatever happens, by its owner. */
	lease(): ByteLease {
		return new ByteLease(this);
	}

	/** @internal Through ByteLease. Resolves true once `bytes` (at most `cap`) are reserved, false if `signal` aborts first. */
	take(bytes: number, signal: AbortSignal | undefined): Promise<boolean> {
		if (signal?.aborted) return Promise.resolve(false);
		return new Promise<boolean>((resolve) => {
			const onAbort = (): void => {
				const at = this.waiting.indexOf(waiter);
				if (at >= 0) this.waiting.splice(at, 1);
				resolve(false);
				// The one ahead may have been blocking smaller ones behind it.
				this.wake();
			};
			const waiter: Waiter = {
				bytes,
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve(true);
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(waiter);
			this.wake();
		});
	}

	/** @internal Through ByteLease. */
	give(bytes: number): void {
		this.used -= bytes;
		this.wake();
	}

	/** First come, first served: a large request is not starved by smaller ones behind it. */
	private wake(): void {
		for (let head = this.waiting[0]; head !== undefined && this.used + head.bytes <= this.cap; head = this.waiting[0]) {
			this.waiting.shift();
			this.used += head.bytes;
			head.grant();
		}
	}
}

export class ByteLease {
	private held = 0;

	constructor(private readonly budget: ByteBudget) {}

	/** Bytes this lease holds. */
	get bytes(): number {
		return this.held;
	}

	/**
	 * Gives back what is held, then waits for `bytes`, clamped to the budget's cap: the answer is what was
	 * granted (the caller must not hold more), or undefined when `signal` aborted the wait.
	 */
	async reserve(bytes: number, signal?: AbortSignal): Promise<number | undefined> {
		this.release();
		const wanted = Math.max(0, Math.min(Math.ceil(bytes), this.budget.cap));
		if (!(await this.budget.take(wanted, signal))) return undefined;
		this.held = wanted;
		return wanted;
	}

	/** Keeps only `bytes` of the reservation (what was really kept), so others can start sooner. */
	shrinkTo(bytes: number): void {
		const keep = Math.max(0, Math.min(bytes, this.held));
		const freed = this.held - keep;
		this.held = keep;
		if (freed > 0) this.budget.give(freed);
	}

	release(): void {
		this.shrinkTo(0);
	}
}

/**
 * One budget for the whole process: every workspace's source reads packages through it, so the cap holds
 * however many workspaces an editor has open.
 */
export const sharedByteBudget = new ByteBudget();
