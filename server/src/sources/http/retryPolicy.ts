/**
 * When to try a request again and how long to wait first: exponential backoff with jitter, and the
 * server's own Retry-After (seconds or an HTTP date) on 429 and 503. Pure functions of their inputs.
 */

/** Statuses worth another try: the server's trouble or its rate limit, never the request's own fault. */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds the server asked us to wait, or undefined when the header is missing or unreadable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** Wait before retry number `attempt` (0 for the first retry): base·2^attempt, capped, plus up to one base of jitter. */
export function backoffDelay(attempt: number, random: () => number, baseMs: number, maxMs: number): number {
	const exponential = Math.min(maxMs, baseMs * 2 ** attempt);
	return Math.round(exponential + random() * baseMs);
}
