/**
 * Every fact the engine consumes carries whether it is known.
 * Unknown is not clean: rules turn an unknown fact into "unknown, because ...", never into silence.
 */

export type Fact<T> =
	| { status: 'known'; value: T; /** ISO time the data was produced or fetched. */ fetchedAt: string | null; stale: boolean; origin: string }
	| { status: 'unknown'; reason: string }
	| { status: 'disabled'; reason: string };

export function known<T>(value: T, origin: string, fetchedAt: string | null, stale = false): Fact<T> {
	return { status: 'known', value, origin, fetchedAt, stale };
}

export function unknown<T>(reason: string): Fact<T> {
	return { status: 'unknown', reason };
}
