/**
 * The timers of a session (the landing debounce, retries, expiry, the advisory database refresh), injected so
 * tests drive them with a fake clock. Node's by default; a handle is opaque to callers.
 */
export interface SessionTimers {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	setInterval(callback: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
}

/** Node's timers, unreferenced: a pending retry or refresh never keeps the CLI's process alive. */
export const nodeTimers: SessionTimers = {
	setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
	setInterval: (callback, ms) => setInterval(callback, ms).unref(),
	clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
