/**
 * RustSec's vulnerability decision (formats.md §1.5): the `patched` and `unaffected` requirements become
 * non-overlapping unaffected ranges, and the gaps between them are the affected ranges `[introduced, fixed)`.
 * Versions are then compared by plain semver precedence, so pre-releases inside a gap are affected.
 */
import { parseCargoReq, type Comparator } from '../semver/cargoReq';
import { compareVersions, formatVersion, parseVersion, type Version } from '../semver/version';
import type { AffectedRange } from './types';

/** Undefined is unbounded. */
type Bound = { version: Version; inclusive: boolean } | undefined;

interface UnaffectedRange {
	req: string;
	start: Bound;
	end: Bound;
}

function version(major: number, minor: number, patch: number, pre: Version['pre'] = []): Version {
	return { major, minor, patch, pre, build: [] };
}

/** `0.0.0-0`, the lowest version of all: the start of the first gap, which RustSec leaves unbounded. */
const LOWEST = version(0, 0, 0, [0]);

/** RustSec fills missing parts with 0, so `> 1.2` means `> 1.2.0` here, unlike in cargo. */
function comparatorVersion(c: Comparator): Version {
	return version(c.major, c.minor ?? 0, c.patch ?? 0, c.pre);
}

/** The exclusive end of `^c`, with `-0` so that it stops below the next major's pre-releases. */
function caretEnd(c: Comparator): Version {
	if (c.major > 0) return version(c.major + 1, 0, 0, [0]);
	if (c.minor === 0 && c.patch !== undefined) return version(0, 0, c.patch + 1, [0]);
	if (c.minor !== undefined) return version(0, c.minor + 1, 0, [0]);
	return version(1, 0, 0, [0]);
}

/** The exclusive end of `~c`: the next minor, or the next major when the minor is left out. */
function tildeEnd(c: Comparator): Version {
	return c.minor === undefined ? version(c.major + 1, 0, 0, [0]) : version(c.major, c.minor + 1, 0, [0]);
}

/** The lowest version above `v`: `1.2.3` → `1.2.4-0`, `1.2.3-alpha` → `1.2.3-alpha.0`. */
function increment(v: Version): Version {
	return v.pre.length === 0 ? version(v.major, v.minor, v.patch + 1, [0]) : version(v.major, v.minor, v.patch, [...v.pre, 0]);
}

/** `start <= end` where start begins a range and end finishes one (possibly another range). */
function startsBeforeEnd(start: Bound, end: Bound): boolean {
	if (!start || !end) return true;
	const order = compareVersions(start.version, end.version);
	return order < 0 || (order === 0 && start.inclusive && end.inclusive);
}

function toRange(req: string): UnaffectedRange | string {
	const parsed = parseCargoReq(req);
	if ('error' in parsed) return `invalid version requirement "${req}": ${parsed.error}`;
	const { comparators } = parsed.req;
	// RustSec would read a bare `*` as "every version is unaffected"; the format forbids wildcards, so we refuse it.
	if (comparators.length === 0) return `wildcards are not supported in "${req}"`;
	if (comparators.length > 2) return `more than two comparators in "${req}"`;
	let start: Bound;
	let end: Bound;
	for (const c of comparators) {
		const v = comparatorVersion(c);
		switch (c.op) {
			case '>':
			case '>=':
				if (start) return `more than one lower bound in "${req}"`;
				start = { version: v, inclusive: c.op === '>=' };
				break;
			case '<':
			case '<=':
				if (end) return `more than one upper bound in "${req}"`;
				end = { version: v, inclusive: c.op === '<=' };
				break;
			case '=':
			case '^':
			case '~':
				if (comparators.length > 1) return `"${c.op}" must be alone in "${req}"`;
				start = { version: v, inclusive: true };
				end = c.op === '=' ? { version: v, inclusive: true } : { version: c.op === '^' ? caretEnd(c) : tildeEnd(c), inclusive: false };
				break;
			// `1.*`; after an operator (`>= 1.*`) the semver crate only drops the part, and RustSec accepts it.
			case '*':
				return `wildcards are not supported in "${req}"`;
		}
	}
	if (!startsBeforeEnd(start, end)) return `empty range "${req}": its start is above its end`;
	return { req, start, end };
}

function overlaps(a: UnaffectedRange, b: UnaffectedRange): boolean {
	return startsBeforeEnd(a.start, b.end) && startsBeforeEnd(b.start, a.end);
}

/** The first version of a gap that begins where an unaffected range ends. */
function gapStart(end: NonNullable<Bound>): Version {
	return end.inclusive ? increment(end.version) : end.version;
}

/** The first version after a gap that ends where an unaffected range starts. */
function gapEnd(start: NonNullable<Bound>): Version {
	return start.inclusive ? start.version : increment(start.version);
}

/**
 * Disjoint ranges sort by their starts; only the first can be unbounded below. `=1.0.0` and `>1.0.0` are disjoint
 * yet start at the same version (RustSec asserts this never happens), so the inclusive start goes first.
 */
function byStart(a: UnaffectedRange, b: UnaffectedRange): number {
	if (!a.start || !b.start) return a.start ? 1 : b.start ? -1 : 0;
	return compareVersions(a.start.version, b.start.version) || Number(b.start.inclusive) - Number(a.start.inclusive);
}

export function computeAffectedRanges(patched: string[], unaffected: string[]): { ranges: AffectedRange[] } | { error: string } {
	const ranges: UnaffectedRange[] = [];
	for (const req of [...unaffected, ...patched]) {
		const range = toRange(req);
		if (typeof range === 'string') return { error: range };
		ranges.push(range);
	}
	if (ranges.length === 0) return { ranges: [{ introduced: formatVersion(LOWEST), fixed: undefined }] };
	for (const [i, a] of ranges.entries()) {
		for (const b of ranges.slice(i + 1)) {
			if (overlaps(a, b)) return { error: `overlapping version ranges "${a.req}" and "${b.req}"` };
		}
	}
	ranges.sort(byStart);

	// Walk up the version line: each unaffected range closes the current gap and its end opens the next one.
	const gaps: { introduced: Version; fixed: Version | undefined }[] = [];
	let introduced = LOWEST;
	let open = true;
	for (const range of ranges) {
		if (range.start) gaps.push({ introduced, fixed: gapEnd(range.start) });
		if (!range.end) {
			open = false;
			break;
		}
		introduced = gapStart(range.end);
	}
	if (open) gaps.push({ introduced, fixed: undefined });

	return {
		ranges: gaps
			// Back-to-back ranges such as `< 1.0.0` and `>= 1.0.0` leave an empty gap, which RustSec keeps and we drop.
			.filter((gap) => !gap.fixed || compareVersions(gap.introduced, gap.fixed) < 0)
			.map((gap) => ({ introduced: formatVersion(gap.introduced), fixed: gap.fixed && formatVersion(gap.fixed) })),
	};
}

/** Whether `version` lies in any affected range, by plain semver precedence. False when it does not parse. */
export function isAffected(ranges: AffectedRange[], version: string): boolean {
	const v = parseVersion(version);
	if (!v) return false;
	return ranges.some((range) => {
		const introduced = parseVersion(range.introduced);
		const fixed = range.fixed === undefined ? undefined : parseVersion(range.fixed);
		return introduced !== undefined && compareVersions(introduced, v) <= 0 && (fixed === undefined || compareVersions(v, fixed) < 0);
	});
}
