/**
 * What reading a package's published source tells: its `unsafe` usage (counted by cli-report.md's rules)
 * and what it can do at build time.
 */

export interface UnsafeCounts {
	blocks: number;
	functions: number;
	impls: number;
	traits: number;
	externBlocks: number;
	attributes: number;
}

export interface UnsafeFacts {
	counts: UnsafeCounts;
	/** `.rs` files read. */
	files: number;
	/** The library root has `#![forbid(unsafe_code)]`. */
	forbidsUnsafe: boolean;
	capabilities: { buildScript: boolean; procMacro: boolean; links: string | null };
	/** Archive entries skipped (traversal, links) and files that could not be fully read (invalid UTF-8, unterminated literal). */
	anomalies: { path: string; reason: string }[];
	/** Where the source was read: a registry source dir, a vendored dir, a verified download, a git checkout, a path. */
	origin: string;
}
