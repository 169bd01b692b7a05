/**
 * Age arithmetic for release facts, in whole days as people read them.
 */
const dayMs = 24 * 3600 * 1000;

export function ageDays(publishedAt: string, now: Date): number {
	return Math.floor((now.getTime() - Date.parse(publishedAt)) / dayMs);
}

/** "3 days ago", "5 hours ago", "just now". */
export function describeAge(publishedAt: string, now: Date): string {
	const ms = now.getTime() - Date.parse(publishedAt);
	if (ms < 0) return 'in the future';
	const days = Math.floor(ms / dayMs);
	if (days >= 1) return `${days} ${days === 1 ? 'day' : 'days'} ago`;
	const hours = Math.floor(ms / 3600_000);
	if (hours >= 1) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
	return 'less than an hour ago';
}

/** "7 days", "72 hours", "30 minutes": the policy as written back to people. */
export function describeDuration(ms: number): string {
	if (ms % dayMs === 0) return plural(ms / dayMs, 'day');
	if (ms % 3600_000 === 0) return plural(ms / 3600_000, 'hour');
	return plural(Math.round(ms / 60_000), 'minute');
}

function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

export function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}
