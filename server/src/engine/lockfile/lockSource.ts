/**
 * The strings inside a Cargo.lock: `source` values (what kind of place a package comes from) and
 * `dependencies` entries (`"name"`, `"name version"`, `"name version (source)"`).
 */
import type { LockDependencyRef, LockSource } from './types';

/** Both spellings of crates.io: cargo writes the git one even when it fetched over sparse (formats.md §5.1). */
const CRATES_IO = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);

/** Classifies a `source` string; undefined (no `source` key) is a path or workspace package. */
export function classifyLockSource(raw: string | undefined): LockSource {
	if (raw === undefined) return { kind: 'path' };
	if (CRATES_IO.has(raw)) return { kind: 'crates-io', raw };
	const plus = raw.indexOf('+');
	const scheme = plus === -1 ? '' : raw.slice(0, plus);
	const url = raw.slice(plus + 1);
	switch (scheme) {
		case 'registry':
			return { kind: 'registry', raw, url };
		case 'sparse':
			return { kind: 'sparse', raw, url };
		case 'git': {
			// `git+<url>[?branch=x|tag=x|rev=x]#<commit>`; the query is kept as written (percent-encoded in v4).
			const hash = url.indexOf('#');
			const beforeHash = hash === -1 ? url : url.slice(0, hash);
			const question = beforeHash.indexOf('?');
			return {
				kind: 'git',
				raw,
				url: question === -1 ? beforeHash : beforeHash.slice(0, question),
				query: question === -1 ? undefined : beforeHash.slice(question + 1),
				commit: hash === -1 ? undefined : url.slice(hash + 1),
			};
		}
		default:
			return { kind: 'other', raw };
	}
}

/** Parses a `dependencies` (or `replace`) entry; undefined when it has none of the three shapes. */
export function parseDependencyRef(text: string): LockDependencyRef | undefined {
	const firstSpace = text.indexOf(' ');
	if (firstSpace === -1) return text === '' ? undefined : { name: text, version: undefined, source: undefined };
	const name = text.slice(0, firstSpace);
	const secondSpace = text.indexOf(' ', firstSpace + 1);
	const version = text.slice(firstSpace + 1, secondSpace === -1 ? text.length : secondSpace);
	if (name === '' || version === '') return undefined;
	if (secondSpace === -1) return { name, version, source: undefined };
	const source = text.slice(secondSpace + 1);
	if (source.length < 3 || !source.startsWith('(') || !source.endsWith(')')) return undefined;
	return { name, version, source: source.slice(1, -1) };
}
