/**
 * Lets everything already waiting on the event loop (a hover, a cancellation) run before long synchronous work
 * goes on: reading and counting sources is synchronous, and the language server shares its thread.
 */
export function yieldToEventLoop(): Promise<void> {
	return new Promise<void>((resolve) => setImmediate(resolve));
}
