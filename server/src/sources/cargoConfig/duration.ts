/**
 * Cargo's time spans for the min-publish-age settings: `"0"`, or an integer, at most one space, and a unit
 * (second, minute, hour, day, week, month; singular or plural). A month is cargo's 2,629,746 s (30.436875 days).
 * Pure, and strict like cargo: no other spelling is guessed at.
 */

const UNIT_SECONDS: Record<string, number> = {
	second: 1,
	minute: 60,
	hour: 60 * 60,
	day: 24 * 60 * 60,
	week: 7 * 24 * 60 * 60,
	month: 2_629_746,
};

export type ParsedDuration = { ok: true; ms: number } | { ok: false; reason: string };

export function parseDuration(text: string): ParsedDuration {
	if (text === '0') return { ok: true, ms: 0 };
	const match = /^(\d+) ?([a-z]+?)s?$/.exec(text);
	const seconds = match?.[2] ? UNIT_SECONDS[match[2]] : undefined;
	if (!match?.[1] || seconds === undefined) {
		return { ok: false, reason: `expected "0" or a value of the form "N seconds/minutes/hours/days/weeks/months", got ${JSON.stringify(text)}` };
	}
	return { ok: true, ms: Number(match[1]) * seconds * 1000 };
}
