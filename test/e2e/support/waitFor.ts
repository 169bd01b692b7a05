/**
 * The one way the harness waits: re-read what the editor shows until it is acceptable, up to a timeout.
 * There is no fixed sleep anywhere in the harness; the short pause between reads is only the polling interval.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { waitTimeoutMs } from './config';

/** Raised when a wait runs out; the message names the wait and the last value (or error) it saw. */
export class WaitTimeoutError extends Error {
	override readonly name = 'WaitTimeoutError';
}

const pollIntervalMs = 100;

/**
 * Calls `read` until `accept` returns true for its result, and returns that result.
 * Errors thrown by `read` count as "not yet" (the element may not exist yet) and are reported if time runs out.
 */
export async function waitFor<T>(
	description: string,
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs: number = waitTimeoutMs,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: { value: T } | { error: unknown } | undefined;
	for (;;) {
		try {
			const value = await read();
			if (accept(value)) return value;
			last = { value };
		} catch (error) {
			last = { error };
		}
		if (Date.now() >= deadline) break;
		await delay(pollIntervalMs);
	}
	const seen =
		last === undefined ? 'nothing'
		: 'value' in last ? `last value: ${JSON.stringify(last.value)}`
		: `last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
	throw new WaitTimeoutError(`Timed out after ${timeoutMs / 1000} s waiting for ${description} (${seen})`);
}

/** Text matching used by the helpers: a substring, or a regular expression. */
export type TextMatcher = string | RegExp;

export function matches(text: string, matcher: TextMatcher): boolean {
	if (typeof matcher === 'string') return text.includes(matcher);
	// NOTE: a /g or /y expression keeps its position between calls; every poll must start from the beginning.
	matcher.lastIndex = 0;
	return matcher.test(text);
}
