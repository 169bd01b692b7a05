/**
 * Which directories of a workspace are members: cargo's `workspace.members` globs (the `glob` crate's syntax:
 * `*`, `?`, `[abc]`, `[a-z]`, `[!abc]`, and `**` as a whole path component) and its `workspace.exclude` prefixes.
 * Pure: paths are POSIX paths relative to the workspace root; listing directories is the caller's job.
 */

/** Class ranges are inclusive code point ranges. */
type Token = { kind: 'char'; char: string } | { kind: 'any' } | { kind: 'sequence' } | { kind: 'class'; negated: boolean; ranges: [number, number][] };

/** One path component of a pattern; `**` matches any number of components, itself included. */
type ComponentPattern = { recursive: true } | { recursive: false; tokens: Token[] };

const GLOB_CHARS = /[*?[]/;

/** Path components, without empty and `.` ones (`./a//b/` → `a`, `b`), as cargo's path joining normalises them. */
function components(path: string): string[] {
	return path.split('/').filter((part) => part !== '' && part !== '.');
}

/** Ranges of a `[...]` class body: `a-z` is a range, anything else a single character. */
function classRanges(chars: readonly string[]): [number, number][] {
	const codes = chars.map((char) => char.codePointAt(0)!);
	const ranges: [number, number][] = [];
	for (let i = 0; i < codes.length; ) {
		if (i + 2 < codes.length && chars[i + 1] === '-') {
			ranges.push([codes[i]!, codes[i + 2]!]);
			i += 3;
		} else {
			ranges.push([codes[i]!, codes[i]!]);
			i += 1;
		}
	}
	return ranges;
}

/** Compiles one component like the glob crate's `Pattern::new`; undefined for a pattern it rejects. */
function compileComponent(component: string): ComponentPattern | undefined {
	if (component === '**') return { recursive: true };
	// Code points, so a character class or `?` never splits a surrogate pair.
	const chars = Array.from(component);
	const tokens: Token[] = [];
	for (let i = 0; i < chars.length; ) {
		const char = chars[i]!;
		if (char === '?') {
			tokens.push({ kind: 'any' });
			i++;
		} else if (char === '*') {
			// `**` must be a whole component, and `***` is never valid.
			if (chars[i + 1] === '*') return undefined;
			tokens.push({ kind: 'sequence' });
			i++;
		} else if (char === '[') {
			// The first character of a class is literal, so `[]]` matches `]` and `[!]]` anything but `]`.
			const negated = chars[i + 1] === '!';
			const bodyStart = negated ? i + 2 : i + 1;
			const close = chars.indexOf(']', bodyStart + 1);
			if (bodyStart >= chars.length || close === -1) return undefined;
			tokens.push({ kind: 'class', negated, ranges: classRanges(chars.slice(bodyStart, close)) });
			i = close + 1;
		} else {
			tokens.push({ kind: 'char', char });
			i++;
		}
	}
	return { recursive: false, tokens };
}

function compilePattern(pattern: string): ComponentPattern[] | undefined {
	const compiled: ComponentPattern[] = [];
	for (const component of components(pattern)) {
		const result = compileComponent(component);
		if (!result) return undefined;
		compiled.push(result);
	}
	return compiled;
}

function matchesOne(token: Token, char: string): boolean {
	switch (token.kind) {
		case 'char':
			return token.char === char;
		case 'any':
			return true;
		case 'class': {
			const code = char.codePointAt(0)!;
			return token.ranges.some(([from, to]) => from <= code && code <= to) !== token.negated;
		}
		case 'sequence':
			return false;
	}
}

/** Matches one name against one component's tokens, backtracking over `*`. */
function matchesComponent(tokens: readonly Token[], name: string): boolean {
	const chars = Array.from(name);
	let t = 0;
	let c = 0;
	let star = -1;
	let starChar = 0;
	while (c < chars.length) {
		const token = tokens[t];
		if (token?.kind === 'sequence') {
			star = t++;
			starChar = c;
		} else if (token && matchesOne(token, chars[c]!)) {
			t++;
			c++;
		} else if (star !== -1) {
			t = star + 1;
			c = ++starChar;
		} else {
			return false;
		}
	}
	while (tokens[t]?.kind === 'sequence') t++;
	return t === tokens.length;
}

function matchesFrom(patterns: readonly ComponentPattern[], p: number, parts: readonly string[], s: number): boolean {
	const pattern = patterns[p];
	if (!pattern) return s === parts.length;
	if (pattern.recursive) {
		for (let next = s; next <= parts.length; next++) if (matchesFrom(patterns, p + 1, parts, next)) return true;
		return false;
	}
	return s < parts.length && matchesComponent(pattern.tokens, parts[s]!) && matchesFrom(patterns, p + 1, parts, s + 1);
}

/** Whether `relativeDir` matches a `workspace.members` entry. A pattern the glob crate rejects matches nothing. */
export function matchesMemberPattern(pattern: string, relativeDir: string): boolean {
	const compiled = compilePattern(pattern);
	return compiled !== undefined && matchesFrom(compiled, 0, components(relativeDir), 0);
}

/** The literal directories before a pattern's first glob character (`crates/*` → `crates`): where to start listing. */
export function memberPatternBase(pattern: string): string {
	const parts = components(pattern);
	const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
	return (firstGlob === -1 ? parts : parts.slice(0, firstGlob)).join('/');
}

function startsWithComponents(path: readonly string[], prefix: readonly string[]): boolean {
	return prefix.length <= path.length && prefix.every((part, i) => path[i] === part);
}

/**
 * cargo's `is_excluded`: the member's `Cargo.toml` lies under an `exclude` entry (a path prefix, compared by whole
 * components), and under no `members` entry taken literally (a glob such as `crates/*` overrides nothing).
 * This applies to path dependencies as well as to glob matches.
 */
export function isExcludedFromWorkspace(relativeDir: string, members: readonly string[], exclude: readonly string[]): boolean {
	const manifest = [...components(relativeDir), 'Cargo.toml'];
	const underAny = (paths: readonly string[]): boolean => paths.some((path) => startsWithComponents(manifest, components(path)));
	return underAny(exclude) && !underAny(members);
}

/** Whether a directory is a member through `workspace.members`: a pattern matches it and it is not excluded. */
export function isWorkspaceMember(relativeDir: string, members: readonly string[], exclude: readonly string[]): boolean {
	return members.some((pattern) => matchesMemberPattern(pattern, relativeDir)) && !isExcludedFromWorkspace(relativeDir, members, exclude);
}
