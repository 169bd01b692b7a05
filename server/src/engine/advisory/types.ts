/**
 * A RustSec advisory, as the engine uses it.
 */

export type AdvisoryKind = 'vulnerability' | 'unsound' | 'unmaintained' | 'notice';

/** An affected range `[introduced, fixed)` in plain semver total ordering; `fixed` undefined means unbounded. */
export interface AffectedRange {
	introduced: string;
	fixed: string | undefined;
}

export interface Advisory {
	id: string;
	package: string;
	kind: AdvisoryKind;
	title: string;
	description: string;
	/** YYYY-MM-DD. */
	date: string;
	url: string | undefined;
	aliases: string[];
	related: string[];
	categories: string[];
	cvss: string | undefined;
	/** `informational` value when present (`unsound`, `unmaintained`, `notice`, or another string). */
	informational: string | undefined;
	withdrawn: string | undefined;
	patched: string[];
	unaffected: string[];
	/** The gaps between `patched` and `unaffected`, computed as RustSec does (formats.md §1.5). */
	affected: AffectedRange[];
	affectedFunctions: Record<string, string[]>;
	affectedOs: string[];
	affectedArch: string[];
	/** The advisory's source id when not crates.io (none at the snapshot). */
	source: string | undefined;
	/** Path of the file it came from, relative to the database root. */
	file: string;
}
