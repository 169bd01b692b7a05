/**
 * A finding is one diagnostic, in editor terms: the editor shows it, the CLI prints it, both from the same list.
 */
import type { Severity, TextRange } from './text';

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
	/** What a command or code action needs to act on it (the provenance verdict's files, repository and commit). */
	data?: object;
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
	/** Carried to the finding (and the diagnostic's `data`). */
	data?: object;
}
