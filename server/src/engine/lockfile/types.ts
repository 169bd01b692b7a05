/**
 * The model of a Cargo.lock, versions 1 to 4.
 */
import type { TextRange } from '../text';

/** The lockfile's source string, classified. */
export type LockSource =
	| { kind: 'crates-io'; raw: string }
	| { kind: 'registry'; raw: string; url: string }
	| { kind: 'sparse'; raw: string; url: string }
	| { kind: 'git'; raw: string; url: string; query: string | undefined; commit: string | undefined }
	| { kind: 'path' }
	| { kind: 'other'; raw: string };

/** One `dependencies = [...]` entry, as written: `"name"`, `"name version"` or `"name version (source)"`. */
export interface LockDependencyRef {
	name: string;
	version: string | undefined;
	source: string | undefined;
}

export interface LockedPackage {
	/** Index in `Lockfile.packages`, a stable identity within one parse. */
	index: number;
	name: string;
	version: string;
	source: LockSource;
	/** The sha256 from `checksum = ...` (v2+) or the v1 `[metadata]` table; undefined when absent. */
	checksum: string | undefined;
	dependencies: LockDependencyRef[];
	/** `replace = "..."`: the package a `[replace]` in the manifest substitutes for this one. Absent when there is none. */
	replace?: LockDependencyRef;
	/** The `[[package]]` header line. */
	headerRange: TextRange;
	/** The `name = "..."` value. */
	nameRange: TextRange;
	/** The whole `[[package]]` table. */
	range: TextRange;
}

export interface Lockfile {
	/** 1 to 4; the detected version when the file has no `version` key. */
	version: number;
	packages: LockedPackage[];
}
