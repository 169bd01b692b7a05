/**
 * The fast path for Cargo.lock: a line reader for exactly the layout cargo writes (comment lines, `version = N`,
 * `[[package]]`, `key = "string"`, one-string-per-line `dependencies` arrays, `[metadata]`, `[[patch.unused]]`).
 * The TOML parser takes ~80 ms on a 140 KB lockfile; this takes a few. It gives up, returning undefined, on the
 * first line outside that layout, and the caller then parses with the TOML parser, which must give the same model.
 */
import type { Parsed, TextRange } from '../text';
import { LockfileBuilder, type PackageInput, type VersionInput } from './lockfileBuilder';
import type { Lockfile } from './types';

const CARRIAGE_RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BYTE_ORDER_MARK = 0xfeff;

const INTEGER = /^(?:0|[1-9][0-9]*)$/;

// eslint-disable-next-line no-control-regex -- TOML forbids these control characters in strings; matching them is the point.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\\]/;
const LONE_CARRIAGE_RETURN = /\r(?!\n)/;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether the text holds characters the TOML parser must judge wherever they appear: control characters other than
 * tab and line breaks, a carriage return outside `\r\n`, lone surrogates (invalid in comments), and backslashes
 * (escapes); cargo writes none of them. One pass over the whole text is much faster than checking each string and
 * comment, and the cheap tests go first (the surrogate test is free on text V8 stores as one byte per character).
 */
function needsParser(text: string): boolean {
	return FORBIDDEN.test(text) || (text.includes('\r') && LONE_CARRIAGE_RETURN.test(text)) || (SURROGATE.test(text) && LONE_SURROGATE.test(text));
}

/** Whether `[start, end)` holds no double quote (the text is known to hold no backslash). */
function hasNoQuote(text: string, start: number, end: number): boolean {
	const quote = text.indexOf('"', start);
	return quote === -1 || quote >= end;
}

function isBareKeyCode(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45 || code === 95;
}

/** The offset of the newline ending the line that starts at `start`, or the text length. */
function newlineAfter(text: string, start: number): number {
	const newline = text.indexOf('\n', start);
	return newline === -1 ? text.length : newline;
}

/** The end of a line's content: before the `\r` of a `\r\n`. */
function contentEnd(text: string, start: number, newline: number): number {
	return newline > start && text.charCodeAt(newline - 1) === CARRIAGE_RETURN ? newline - 1 : newline;
}

/**
 * Reads the ` "item",` lines of an array opened at the end of the previous line, up to its `]` line.
 * Returns the items, the range end (after `]`) and the newline after `]`; undefined outside the canonical layout.
 */
function readArray(text: string, start: number): { items: string[]; end: number; newline: number } | undefined {
	const items: string[] = [];
	for (let lineStart = start; lineStart < text.length; ) {
		const newline = newlineAfter(text, lineStart);
		const end = contentEnd(text, lineStart, newline);
		if (end - lineStart === 1 && text.charCodeAt(lineStart) === CLOSE_BRACKET) return { items, end, newline };
		if (
			end - lineStart < 5 ||
			text.charCodeAt(lineStart) !== SPACE ||
			text.charCodeAt(lineStart + 1) !== QUOTE ||
			text.charCodeAt(end - 2) !== QUOTE ||
			text.charCodeAt(end - 1) !== COMMA ||
			!hasNoQuote(text, lineStart + 2, end - 2)
		) {
			return undefined;
		}
		items.push(text.slice(lineStart + 2, end - 2));
		lineStart = newline + 1;
	}
	return undefined;
}

/** The keys cargo writes in a `[[package]]`; a key's bit is `1 << index`, to catch a key written twice. */
const PACKAGE_KEYS = ['name', 'version', 'source', 'checksum', 'dependencies', 'replace'] as const;

/** The index in `PACKAGE_KEYS` of the key at `[start, end)`, or -1; compared in place, since slicing every key is slow. */
function packageKey(text: string, start: number, end: number): number {
	for (let i = 0; i < PACKAGE_KEYS.length; i++) {
		const key = PACKAGE_KEYS[i]!;
		if (key.length === end - start && text.startsWith(key, start)) return i;
	}
	return -1;
}

function emptyPackage(headerRange: TextRange): PackageInput {
	return {
		name: undefined,
		nameRange: undefined,
		version: undefined,
		source: undefined,
		checksum: undefined,
		checksumRange: undefined,
		dependencies: [],
		dependenciesRange: undefined,
		replace: undefined,
		headerRange,
		range: { start: headerRange.start, end: headerRange.end },
	};
}

/** Reads a lockfile in cargo's own layout; undefined as soon as anything else appears. */
export function scanCanonicalLockfile(text: string): Parsed<Lockfile> | undefined {
	if (needsParser(text)) return undefined;
	const builder = new LockfileBuilder();
	const metadata = new Map<string, string>();
	let version: VersionInput | undefined;
	let section: 'top' | 'package' | 'metadata' | 'unused-patch' = 'top';
	let pkg: PackageInput | undefined;
	let packageKeys = 0;
	// `[[patch.unused]]` entries are ignored, but a key written twice must still send us to the parser.
	let patchKeys = new Set<string>();
	let seenRoot = false;
	let seenMetadata = false;
	// cargo skips a byte-order mark; offsets stay those of the text as given.
	for (let lineStart = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0; lineStart < text.length; ) {
		let newline = newlineAfter(text, lineStart);
		const end = contentEnd(text, lineStart, newline);
		const first = text.charCodeAt(lineStart);
		if (end === lineStart || first === HASH) {
			// A blank or comment line: the check above covered what a comment must not hold.
		} else if (first === OPEN_BRACKET) {
			if (pkg) builder.addPackage(pkg);
			pkg = undefined;
			const header = text.slice(lineStart, end);
			if (header === '[[package]]' || (header === '[root]' && !seenRoot)) {
				seenRoot ||= header === '[root]';
				section = 'package';
				pkg = emptyPackage({ start: lineStart, end });
				packageKeys = 0;
			} else if (header === '[metadata]' && !seenMetadata) {
				seenMetadata = true;
				section = 'metadata';
			} else if (header === '[[patch.unused]]') {
				section = 'unused-patch';
				patchKeys = new Set();
			} else {
				return undefined;
			}
		} else {
			// The key, without its quotes when quoted.
			let keyStart = lineStart;
			let keyEnd: number;
			if (first === QUOTE) {
				keyStart++;
				const close = text.indexOf('"', keyStart);
				if (close === -1 || close >= end) return undefined;
				keyEnd = close + 1;
			} else {
				keyEnd = lineStart;
				while (keyEnd < end && isBareKeyCode(text.charCodeAt(keyEnd))) keyEnd++;
				if (keyEnd === lineStart) return undefined;
			}
			if (!text.startsWith(' = ', keyEnd)) return undefined;
			const valueStart = keyEnd + 3;
			const valueFirst = text.charCodeAt(valueStart);
			let value: string | string[] | number;
			let valueEnd = end;
			if (valueFirst === QUOTE) {
				if (end - valueStart < 2 || text.charCodeAt(end - 1) !== QUOTE || !hasNoQuote(text, valueStart + 1, end - 1)) return undefined;
				value = text.slice(valueStart + 1, end - 1);
			} else if (valueFirst === OPEN_BRACKET && valueStart + 1 === end) {
				const array = readArray(text, newline + 1);
				if (!array) return undefined;
				value = array.items;
				valueEnd = array.end;
				newline = array.newline;
			} else {
				const digits = text.slice(valueStart, end);
				if (!INTEGER.test(digits)) return undefined;
				value = Number(digits);
			}
			switch (section) {
				case 'top':
					// Cargo writes nothing at the top but `version`; anything else could clash with a table of the same name.
					if (keyEnd - lineStart !== 7 || !text.startsWith('version', lineStart) || version) return undefined;
					version = { value, range: { start: valueStart, end: valueEnd } };
					break;
				case 'metadata': {
					const key = text.slice(keyStart, first === QUOTE ? keyEnd - 1 : keyEnd);
					if (typeof value !== 'string' || metadata.has(key)) return undefined;
					metadata.set(key, value);
					break;
				}
				case 'unused-patch': {
					const key = text.slice(keyStart, first === QUOTE ? keyEnd - 1 : keyEnd);
					if (patchKeys.has(key)) return undefined;
					patchKeys.add(key);
					break;
				}
				case 'package': {
					// Quoted keys, keys cargo does not write, and values of the wrong type are the parser's to judge.
					const index = first === QUOTE ? -1 : packageKey(text, lineStart, keyEnd);
					const key = PACKAGE_KEYS[index];
					if (!key || packageKeys & (1 << index) || !pkg || (key === 'dependencies') !== Array.isArray(value) || typeof value === 'number') return undefined;
					packageKeys |= 1 << index;
					pkg.range.end = valueEnd;
					if (key === 'dependencies') {
						pkg.dependencies = value as string[];
						pkg.dependenciesRange = { start: valueStart, end: valueEnd };
					} else if (key === 'name') {
						pkg.name = value as string;
						pkg.nameRange = { start: valueStart, end: valueEnd };
					} else if (key === 'checksum') {
						pkg.checksum = value as string;
						pkg.checksumRange = { start: valueStart, end: valueEnd };
					} else {
						pkg[key] = value as string;
					}
					break;
				}
			}
		}
		lineStart = newline + 1;
	}
	if (pkg) builder.addPackage(pkg);
	return builder.finish(text, version, metadata);
}
