/**
 * A finding is one diagnostic, in editor terms: the editor shows it, the CLI prints it, both from the same list.
 */
import type { AdvisoryKind } from './advisory/types';
import type { Publisher } from './release/types';
import type { Severity, TextRange } from './text';
import type { ProvenanceFindingData } from './rules/provenance';
import type { UnsafeCounts } from './unsafe/types';

export interface Finding {
	/** Absolute path of the Cargo.toml or Cargo.lock it belongs to. */
	file: string;
	range: TextRange;
	severity: Severity;
	/** An advisory id (`RUSTSEC-2021-0001`) or a stable kebab-case code (`toml-parse`, `not-locked`, `advisories-unknown`). */
	code: string;
	message: string;
	/** `name@version` of the locked package it is about, when there is one. */
	package: string | null;
	/** Documentation for the code (the advisory page for advisories). */
	href: string | null;
	/** The other entries that bring in the same problem: one row per problem, the rest shown as related information. */
	related?: RelatedLocation[];
	/** What a finding about a package was computed from, so code actions answer without recomputing (LSP `Diagnostic.data`). */
	data?: FindingData;
}

/**
 * The facts a per-package finding was computed from, by signal. Carried to the editor in `Diagnostic.data` and
 * back in `codeAction/resolve`, so a quick fix (ignore, pin, upgrade) needs no second analysis.
 */
export type IssueData =
	| { signal: 'advisory'; advisory: { id: string; kind: AdvisoryKind; patched: string[]; unaffected: string[] } }
	| { signal: 'young-release'; publishedAt: string; minimumAgeMs: number; policy: string }
	| { signal: 'yanked'; registry: string }
	| { signal: 'checksum-mismatch'; registry: string; lockChecksum: string; indexChecksum: string }
	| { signal: 'publisher-changed'; publisher: Publisher; previous: { version: string; publisher: Publisher } }
	| { signal: 'unsafe-code'; total: number; counts: UnsafeCounts; warnAbove: number }
	| ({ signal: 'provenance' } & ProvenanceFindingData)
	| { signal: 'audit'; required: string[]; violations: number };

export type FindingData = IssueData & {
	/** `name@version` of the locked package. */
	package: string;
	/** When the package fails the trust policy: the pin/upgrade suggestions, preferred first (`engine/fixes/packageFixes.ts`). */
	fixes?: PackageFix[];
};

/** A pin or upgrade the editor offers as a quick fix: everything the code action needs, so it needs no new analysis. */
export interface PackageFix {
	action: 'pin' | 'upgrade';
	version: string;
	/** `fixTitle`: the version and why it is trusted. */
	title: string;
	/** `=X.Y.Z` when a manifest entry can be edited; null for a transitive package (only the command moves it). */
	requirement: string | null;
	/** X.Y.Z is outside a manifest requirement (the title says which). */
	leavesRequirement: boolean;
	/** `cargo update -p NAME@LOCKED --precise X.Y.Z`; null when the names are not safe in a shell. */
	command: string | null;
}

/** Another place a finding applies to, in any file of the workspace. */
export interface RelatedLocation {
	file: string;
	range: TextRange;
	message: string;
}

const severityOrder = { error: 0, warning: 1, information: 2, hint: 3 };

/** File order: by file path, then position; the most severe first at the same position. */
export function compareFindings(a: Finding, b: Finding): number {
	return a.file.localeCompare(b.file) || a.range.start - b.range.start || severityOrder[a.severity] - severityOrder[b.severity] || a.code.localeCompare(b.code);
}

/** A finding about a locked package, before it is placed: on its Cargo.lock entry and on each direct dependency entry. */
export interface PackageIssue {
	code: string;
	severity: Severity;
	message: string;
	data: IssueData;
}
