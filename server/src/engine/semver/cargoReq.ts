/**
 * Cargo version requirements (`^1.2`, `~1`, `>= 1.0, < 2`, `1.*`, ...) with the semantics of Rust's `semver`
 * crate, which cargo uses: partial versions, the caret default and the pre-release rule (formats.md §5.3).
 */
import { comparePrerelease, parseNumber, parsePrerelease, parseVersion, type Prerelease, type Version } from './version';

/** `*` is a wildcard comparator such as `1.*` or `1.2.x`; `^` is also the operator of a bare version. */
export type CargoOp = '=' | '>' | '>=' | '<' | '<=' | '~' | '^' | '*';

export interface Comparator {
	op: CargoOp;
	major: number;
	/** Undefined when the requirement leaves it out (`1`) or writes a wildcard (`1.*`). */
	minor: number | undefined;
	patch: number | undefined;
	/** Only ever set when `patch` is. */
	pre: Prerelease;
}

/** All comparators must match (comma means AND). No comparators is `*`: every release matches. */
export interface CargoReq {
	comparators: Comparator[];
}

const COMPARATOR = /^(>=|<=|>|<|=|~|\^)? *([0-9]+)(?:\.([0-9]+|[*xX]))?(?:\.([0-9]+|[*xX]))?(?:-([0-9A-Za-z.-]*))?(?:\+([0-9A-Za-z.-]*))?$/;
const WILDCARD = /^[*xX]$/;
const BUILD = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;
/** The semver crate's limit. */
const MAX_COMPARATORS = 32;

function parseComparator(text: string): Comparator | string {
	const match = COMPARATOR.exec(text);
	if (!match) return `invalid comparator "${text}"`;
	const [, opText, majorText = '', minorText, patchText, preText, buildText] = match;
	const minorWildcard = minorText !== undefined && WILDCARD.test(minorText);
	const patchWildcard = patchText !== undefined && WILDCARD.test(patchText);
	if (minorWildcard && patchText !== undefined && !patchWildcard) return `unexpected number after a wildcard in "${text}"`;
	if ((preText !== undefined || buildText !== undefined) && (patchText === undefined || patchWildcard)) {
		return `pre-release and build metadata need a full version in "${text}"`;
	}
	const major = parseNumber(majorText);
	const minor = minorText === undefined || minorWildcard ? undefined : parseNumber(minorText);
	const patch = patchText === undefined || patchWildcard ? undefined : parseNumber(patchText);
	const invalid = (part: string | undefined, value: number | undefined): boolean => part !== undefined && !WILDCARD.test(part) && value === undefined;
	if (major === undefined || invalid(minorText, minor) || invalid(patchText, patch)) return `invalid number in "${text}"`;
	const pre = preText === undefined ? [] : parsePrerelease(preText);
	if (!pre) return `invalid pre-release in "${text}"`;
	// Build metadata is accepted but plays no part in matching.
	if (buildText !== undefined && !BUILD.test(buildText)) return `invalid build metadata in "${text}"`;
	// A wildcard turns only a bare version into a wildcard comparator: `>=1.*` stays `>=1`.
	const op: CargoOp = (opText as CargoOp | undefined) ?? (minorWildcard || patchWildcard ? '*' : '^');
	return { op, major, minor, patch, pre };
}

export function parseCargoReq(text: string): { req: CargoReq } | { error: string } {
	const trimmed = text.trim();
	if (WILDCARD.test(trimmed)) return { req: { comparators: [] } };
	const parts = trimmed.split(',').map((part) => part.trim());
	if (parts.length > MAX_COMPARATORS) return { error: `more than ${MAX_COMPARATORS} comparators in "${text}"` };
	const comparators: Comparator[] = [];
	for (const part of parts) {
		if (part === '') return { error: `empty comparator in "${text}"` };
		if (WILDCARD.test(part)) return { error: `a wildcard must be the only comparator in "${text}"` };
		const comparator = parseComparator(part);
		if (typeof comparator === 'string') return { error: comparator };
		comparators.push(comparator);
	}
	return { req: { comparators } };
}

/** Compares `v` with the comparator's version, looking only at the parts the comparator gives. */
function compareToComparator(c: Comparator, v: Version): number | undefined {
	if (v.major !== c.major) return v.major - c.major;
	if (c.minor === undefined) return undefined;
	if (v.minor !== c.minor) return v.minor - c.minor;
	if (c.patch === undefined) return undefined;
	if (v.patch !== c.patch) return v.patch - c.patch;
	return comparePrerelease(v.pre, c.pre);
}

/** `=` and wildcards: every part given must be equal, and a missing part matches anything. */
function matchesExact(c: Comparator, v: Version): boolean {
	return (
		v.major === c.major &&
		(c.minor === undefined || v.minor === c.minor) &&
		(c.patch === undefined || v.patch === c.patch) &&
		comparePrerelease(v.pre, c.pre) === 0
	);
}

function matchesGreater(c: Comparator, v: Version): boolean {
	const order = compareToComparator(c, v);
	// An equal prefix of a partial version is not greater: `>1.2` means `>=1.3.0`.
	return order !== undefined && order > 0;
}

function matchesLess(c: Comparator, v: Version): boolean {
	const order = compareToComparator(c, v);
	// An equal prefix of a partial version is not less: `<1.2` means `<1.2.0`.
	return order !== undefined && order < 0;
}

function matchesTilde(c: Comparator, v: Version): boolean {
	if (v.major !== c.major) return false;
	if (c.minor !== undefined && v.minor !== c.minor) return false;
	if (c.patch !== undefined && v.patch !== c.patch) return v.patch > c.patch;
	return comparePrerelease(v.pre, c.pre) >= 0;
}

function matchesCaret(c: Comparator, v: Version): boolean {
	if (v.major !== c.major) return false;
	if (c.minor === undefined) return true;
	if (c.patch === undefined) return c.major > 0 ? v.minor >= c.minor : v.minor === c.minor;
	if (c.major > 0) {
		if (v.minor !== c.minor) return v.minor > c.minor;
		if (v.patch !== c.patch) return v.patch > c.patch;
	} else if (c.minor > 0) {
		if (v.minor !== c.minor) return false;
		if (v.patch !== c.patch) return v.patch > c.patch;
	} else if (v.minor !== c.minor || v.patch !== c.patch) {
		return false;
	}
	return comparePrerelease(v.pre, c.pre) >= 0;
}

function matchesComparator(c: Comparator, v: Version): boolean {
	switch (c.op) {
		case '=':
		case '*':
			return matchesExact(c, v);
		case '>':
			return matchesGreater(c, v);
		case '>=':
			return matchesExact(c, v) || matchesGreater(c, v);
		case '<':
			return matchesLess(c, v);
		case '<=':
			return matchesExact(c, v) || matchesLess(c, v);
		case '~':
			return matchesTilde(c, v);
		case '^':
			return matchesCaret(c, v);
	}
}

/**
 * Cargo's `VersionReq::matches`. A pre-release version matches only when some comparator names the same
 * `major.minor.patch` with a pre-release tag of its own, so `^1.0` never picks `1.1.0-alpha`.
 */
export function matchesCargoReq(req: CargoReq, v: Version): boolean {
	if (!req.comparators.every((c) => matchesComparator(c, v))) return false;
	if (v.pre.length === 0) return true;
	return req.comparators.some((c) => c.major === v.major && c.minor === v.minor && c.patch === v.patch && c.pre.length > 0);
}

/**
 * Parses, remembered by text: resolving a workspace asks about the same few hundred requirements and versions on
 * every keystroke. The results are read, never changed, so sharing them is safe; the maps start again when full.
 */
const parsedReqs = new Map<string, ReturnType<typeof parseCargoReq>>();
const parsedVersions = new Map<string, Version | undefined>();
const MEMO_LIMIT = 8192;

function remembered<T>(memo: Map<string, T>, text: string, parse: (text: string) => T): T {
	if (memo.has(text)) return memo.get(text)!;
	if (memo.size >= MEMO_LIMIT) memo.clear();
	const value = parse(text);
	memo.set(text, value);
	return value;
}

/** Whether `versionText` satisfies `reqText`; undefined when either does not parse. */
export function satisfies(reqText: string, versionText: string): boolean | undefined {
	const parsed = remembered(parsedReqs, reqText, parseCargoReq);
	const version = remembered(parsedVersions, versionText, parseVersion);
	if ('error' in parsed || !version) return undefined;
	return matchesCargoReq(parsed.req, version);
}
