/**
 * Without a Cargo.lock the version in use is unknown, but the requirement still bounds it: interval arithmetic
 * between the releases a cargo requirement allows (`"0.1"` is `[0.1.0, 0.2.0)`) and an advisory's affected ranges
 * tells whether every allowed release is affected, some are (and which), or none.
 */
import { parseCargoReq, type Comparator } from '../semver/cargoReq';
import { compareVersions, formatVersion, parseVersion, type Version } from '../semver/version';
import type { AffectedRange } from './types';

export type Coverage = { kind: 'all' } | { kind: 'none' } | { kind: 'some'; affected: string[] };

/** Half-open `[lo, hi)`; `hi` undefined is unbounded. */
interface Interval {
	lo: Version;
	hi: Version | undefined;
}

function version(major: number, minor: number, patch: number, pre: Version['pre'] = []): Version {
	return { major, minor, patch, pre, build: [] };
}

const LOWEST = version(0, 0, 0, [0]);

/** The lowest version above `v`. */
function increment(v: Version): Version {
	return v.pre.length === 0 ? version(v.major, v.minor, v.patch + 1, [0]) : version(v.major, v.minor, v.patch, [...v.pre, 0]);
}

/** The first version past the parts a partial comparator gives (`1.2` → `1.3.0-0`, `1` → `2.0.0-0`). */
function pastGivenParts(c: Comparator): Version {
	return c.minor === undefined ? version(c.major + 1, 0, 0, [0]) : version(c.major, c.minor + 1, 0, [0]);
}

function caretEnd(c: Comparator): Version {
	if (c.major > 0) return version(c.major + 1, 0, 0, [0]);
	if (c.minor === undefined) return version(1, 0, 0, [0]);
	if (c.minor === 0 && c.patch !== undefined) return version(0, 0, c.patch + 1, [0]);
	return version(0, c.minor + 1, 0, [0]);
}

/** Cargo's reading of one comparator (partial versions differ from RustSec's: `<= 1.2` admits 1.2.9). */
function comparatorInterval(c: Comparator): Interval {
	const v = version(c.major, c.minor ?? 0, c.patch ?? 0, c.pre);
	const full = c.patch !== undefined;
	switch (c.op) {
		case '^':
			return { lo: v, hi: caretEnd(c) };
		case '~':
			return { lo: v, hi: pastGivenParts(c) };
		case '=':
		case '*':
			return { lo: v, hi: full ? increment(v) : pastGivenParts(c) };
		case '>=':
			return { lo: v, hi: undefined };
		case '>':
			return { lo: full ? increment(v) : pastGivenParts(c), hi: undefined };
		case '<':
			return { lo: LOWEST, hi: v.pre.length ? v : version(v.major, v.minor, v.patch, [0]) };
		case '<=':
			return { lo: LOWEST, hi: full ? increment(v) : pastGivenParts(c) };
	}
}

const min = (a: Version | undefined, b: Version | undefined): Version | undefined => (!a ? b : !b ? a : compareVersions(a, b) <= 0 ? a : b);
const max = (a: Version, b: Version): Version => (compareVersions(a, b) >= 0 ? a : b);
const below = (a: Version, b: Version | undefined): boolean => !b || compareVersions(a, b) < 0;

/** Whether `[lo, hi)` holds a release (requirements without a pre-release tag admit only releases). */
function holdsRelease({ lo, hi }: Interval): boolean {
	return below(lo.pre.length ? version(lo.major, lo.minor, lo.patch) : lo, hi);
}

function describe({ lo, hi }: Interval): string {
	const text = (v: Version): string => formatVersion(v.pre.length === 1 && v.pre[0] === 0 ? { ...v, pre: [] } : v);
	if (!hi) return `${text(lo)} or later`;
	return compareVersions(lo, LOWEST) === 0 ? `before ${text(hi)}` : `${text(lo)} to before ${text(hi)}`;
}

/** The releases `requirement` allows, against the advisory's affected ranges; undefined when it does not parse. */
export function requirementCoverage(requirement: string, affected: readonly AffectedRange[]): Coverage | undefined {
	const parsed = parseCargoReq(requirement);
	if ('error' in parsed) return undefined;
	let allowed: Interval = { lo: LOWEST, hi: undefined };
	for (const c of parsed.req.comparators) {
		const next = comparatorInterval(c);
		allowed = { lo: max(allowed.lo, next.lo), hi: min(allowed.hi, next.hi) };
	}
	if (!below(allowed.lo, allowed.hi)) return { kind: 'none' };
	const ranges: Interval[] = [];
	for (const range of affected) {
		const lo = parseVersion(range.introduced);
		const hi = range.fixed === undefined ? undefined : parseVersion(range.fixed);
		if (lo && (range.fixed === undefined || hi)) ranges.push({ lo, hi });
	}
	ranges.sort((a, b) => compareVersions(a.lo, b.lo));
	const inside = ranges
		.map((range) => ({ lo: max(range.lo, allowed.lo), hi: min(range.hi, allowed.hi) }))
		.filter((range) => below(range.lo, range.hi) && holdsRelease(range));
	if (inside.length === 0) return { kind: 'none' };
	// Walk the allowed interval: any stretch no affected range covers, holding a release, means not all are affected.
	let cursor: Version | undefined = allowed.lo;
	for (const range of inside) {
		if (cursor && compareVersions(range.lo, cursor) > 0 && holdsRelease({ lo: cursor, hi: range.lo })) return { kind: 'some', affected: inside.map(describe) };
		cursor = range.hi && cursor && compareVersions(range.hi, cursor) < 0 ? cursor : range.hi;
		if (!cursor) break;
	}
	if (cursor && below(cursor, allowed.hi) && holdsRelease({ lo: cursor, hi: allowed.hi })) return { kind: 'some', affected: inside.map(describe) };
	return { kind: 'all' };
}
