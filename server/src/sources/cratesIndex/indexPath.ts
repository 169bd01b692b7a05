/**
 * Where a crate's file sits in a registry index: `1/a`, `2/cc`, `3/s/syn`, `se/rd/serde`, with the name
 * lowercased. Names outside cargo's package-name characters get no path, so no name can climb out of the index
 * (or out of the disk cache that mirrors it).
 */

const PACKAGE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidCrateName(name: string): boolean {
	return PACKAGE_NAME.test(name);
}

/** The index file path, relative to the index root, or undefined for a name cargo could not publish. */
export function indexPath(name: string): string | undefined {
	if (!isValidCrateName(name)) return undefined;
	const lower = name.toLowerCase();
	return `${dirPrefix(lower)}/${lower}`;
}

/**
 * The directory part alone, as the `{prefix}` marker of a download template uses it: cargo keeps the name's
 * case here, and `{lowerprefix}` is this lowercased.
 */
export function dirPrefix(name: string): string {
	if (name.length <= 2) return String(name.length);
	if (name.length === 3) return `3/${name.slice(0, 1)}`;
	return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
}
