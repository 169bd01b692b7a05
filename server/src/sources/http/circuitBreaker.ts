/**
 * Per-host circuit breaker: a host that times out `threshold` times in a row gets no more requests until
 * `cooldownMs` has passed, so a registry that accepts connections and never answers costs one round of
 * timeouts instead of one per package and retry. Any answer from the host (whatever its status) resets the count.
 * Time comes from the injected clock only.
 */

export type Outcome = 'timeout' | 'answer' | 'other';

export interface CircuitBreakerOptions {
	threshold: number;
	cooldownMs: number;
	now: () => number;
}

interface HostState {
	timeouts: number;
	openUntil: number | undefined;
}

export class CircuitBreaker {
	private readonly hosts = new Map<string, HostState>();

	constructor(private readonly options: CircuitBreakerOptions) {}

	record(host: string, outcome: Outcome): void {
		if (outcome === 'other') return;
		const state = this.hosts.get(host) ?? { timeouts: 0, openUntil: undefined };
		if (outcome === 'answer') {
			this.hosts.delete(host);
			return;
		}
		state.timeouts++;
		if (state.timeouts >= Math.max(1, this.options.threshold) && state.openUntil === undefined) state.openUntil = this.options.now() + this.options.cooldownMs;
		this.hosts.set(host, state);
	}

	/** The open breaker of this host, or undefined when requests may go to it. */
	openFor(host: string): { timeouts: number } | undefined {
		const state = this.hosts.get(host);
		if (state?.openUntil === undefined) return undefined;
		if (this.options.now() >= state.openUntil) {
			// Cooled down: the next request is a probe; one more timeout opens the breaker again.
			state.openUntil = undefined;
			state.timeouts = Math.max(0, this.options.threshold - 1);
			return undefined;
		}
		return { timeouts: state.timeouts };
	}
}
