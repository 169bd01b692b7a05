/**
 * Paths and URIs in reports, computed from the text alone. `node:path` and `node:url` are not used: their `relative`
 * and `pathToFileURL` resolve against the process's working directory, and the engine reads no environment.
 * Windows paths (`C:\ws`) and POSIX paths are handled alike, as `/`-separated segments.
 */

/** `file` relative to `root`, with `/` separators (`..` segments when it lies outside), as `path.posix.relative` gives. */
export function relativePath(root: string, file: string): string {
	const from = segments(root);
	const to = segments(file);
	let common = 0;
	while (common < from.length && common < to.length && from[common] === to[common]) common++;
	return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/** A `file://` URI for an absolute path, each segment percent-encoded; a directory's URI ends with `/`. */
export function fileUri(absolutePath: string, directory = false): string {
	const parts = segments(absolutePath);
	// A drive letter stays as it is (`file:///C:/ws`), as VS Code and SARIF consumers expect.
	const encoded = parts.map((part, index) => (index === 0 && /^[A-Za-z]:$/.test(part) ? part : encodeSegment(part)));
	const path = encoded.join('/');
	return `file:///${path}${directory && path !== '' ? '/' : ''}`;
}

/** A relative path as a URI reference: each segment percent-encoded, so spaces, `#` and `%` stay part of the path. */
export function relativeUri(path: string): string {
	return path.split('/').map(encodeSegment).join('/');
}

function encodeSegment(segment: string): string {
	return encodeURIComponent(segment);
}

/** The path's segments with `.` dropped and `..` applied, as path normalisation does. */
function segments(path: string): string[] {
	const result: string[] = [];
	for (const part of path.split(/[\\/]/)) {
		if (part === '' || part === '.') continue;
		if (part === '..') result.pop();
		else result.push(part);
	}
	return result;
}
