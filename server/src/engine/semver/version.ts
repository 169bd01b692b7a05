/**
 * Semantic versions (semver 2.0): parsing, precedence and formatting.
 * The same grammar as Rust's `semver` crate, which is what cargo and RustSec use.
 */

export type Prerelease = (string | number)[];

export interface Version {
	major: number;
	minor: number;
	patch: number;
	/** Dot-separated pre-release identifiers; numeric ones as numbers. Empty for a release. */
	pre: Prerelease;
	/** Build metadata identifiers: kept for display, ignored by precedence. */
	build: string[];
}

const VERSION = /^([0-9]+)\.([0-9]+)\.([0-9]+)(?:-([0-9A-Za-z.-]*))?(?:\+([0-9A-Za-z.-]*))?$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;

/** A major, minor or patch number: no leading zeros, and only values JS numbers hold exactly. */
export function parseNumber(text: string): number | undefined {
	if (!DIGITS.test(text) || (text.length > 1 && text.startsWith('0'))) return undefined;
	const value = Number(text);
	return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * `alpha.1` → `['alpha', 1]`. Empty segments and numeric identifiers with leading zeros are invalid;
 * numeric identifiers beyond 2^53 are rejected because comparing them as JS numbers would be wrong.
 */
export function parsePrerelease(text: string): Prerelease | undefined {
	const identifiers: Prerelease = [];
	for (const part of text.split('.')) {
		if (!IDENTIFIER.test(part)) return undefined;
		if (DIGITS.test(part)) {
			const value = parseNumber(part);
			if (value === undefined) return undefined;
			identifiers.push(value);
		} else {
			identifiers.push(part);
		}
	}
	return identifiers;
}

function parseBuild(text: string): string[] | undefined {
	const identifiers = text.split('.');
	// Unlike pre-release identifiers, build identifiers may have leading zeros.
	return identifiers.every((part) => IDENTIFIER.test(part)) ? identifiers : undefined;
}

export function parseVersion(text: string): Version | undefined {
	const match = VERSION.exec(text.trim());
	if (!match) return undefined;
	const [, majorText = '', minorText = '', patchText = '', preText, buildText] = match;
	const major = parseNumber(majorText);
	const minor = parseNumber(minorText);
	const patch = parseNumber(patchText);
	const pre = preText === undefined ? [] : parsePrerelease(preText);
	const build = buildText === undefined ? [] : parseBuild(buildText);
	if (major === undefined || minor === undefined || patch === undefined || !pre || !build) return undefined;
	return { major, minor, patch, pre, build };
}

function compareIdentifiers(a: string | number, b: string | number): number {
	if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
	if (typeof b === 'number') return 1;
	// ASCII order, as semver requires (not locale order).
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Pre-release precedence; an empty list (a release) ranks above every pre-release. */
export function comparePrerelease(a: Prerelease, b: Prerelease): number {
	if (a.length === 0 || b.length === 0) return b.length - a.length;
	const shared = Math.min(a.length, b.length);
	for (let i = 0; i < shared; i++) {
		const order = compareIdentifiers(a[i] as string | number, b[i] as string | number);
		if (order !== 0) return order;
	}
	return a.length - b.length;
}

/** Semver precedence: negative, zero or positive. Build metadata is ignored. */
export function compareVersions(a: Version, b: Version): number {
	return a.major - b.major || a.minor - b.minor || a.patch - b.patch || Math.sign(comparePrerelease(a.pre, b.pre));
}

export function formatVersion(v: Version): string {
	const pre = v.pre.length > 0 ? `-${v.pre.join('.')}` : '';
	const build = v.build.length > 0 ? `+${v.build.join('.')}` : '';
	return `${v.major}.${v.minor}.${v.patch}${pre}${build}`;
}
