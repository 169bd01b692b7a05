/**
 * The model of a cargo-vet store (formats.md §4.1): `config.toml`, `audits.toml` and `imports.lock`, plus audit
 * files named in `cargoTrust.audits.sources`. Pure data: parsers in this folder fill it, `auditGraph.ts` reads it.
 */
import type { Problem, TextRange } from '../text';

/** A cargo-vet version: `1.2.3`, or `1.2.3@git:<sha>` for a git revision (a node of its own in the audit graph). */
export type VetVersion = string;

/** Who published a version, or whom a wildcard or trusted entry names: a crates.io user id or a GitHub trusted publisher. */
export type PublisherId = { userId: number } | { trustedPublisher: string };

export interface CriterionDefinition {
	name: string;
	/** Direct `implies`, as written. */
	implies: string[];
	range: TextRange;
}

export type AuditEntry =
	| { kind: 'full'; criteria: string[]; who: string[]; version: VetVersion; aggregatedFrom: string[]; range: TextRange }
	| { kind: 'delta'; criteria: string[]; who: string[]; from: VetVersion; to: VetVersion; aggregatedFrom: string[]; range: TextRange }
	| { kind: 'violation'; criteria: string[]; who: string[]; requirement: string; aggregatedFrom: string[]; range: TextRange };

/** `[[wildcard-audits.X]]` and `[[trusted.X]]`: every version the publisher released in `[start, end)`. */
export interface PublisherEntry {
	criteria: string[];
	/** The auditor, as written (`who`, optional for these entries). */
	who: string[];
	publisher: PublisherId;
	/** `YYYY-MM-DD`, compared as text (ISO dates sort as text). */
	start: string;
	/** Exclusive, as cargo-vet compares it. */
	end: string;
	range: TextRange;
}

export interface AuditsFile {
	criteria: Map<string, CriterionDefinition>;
	audits: Map<string, AuditEntry[]>;
	wildcardAudits: Map<string, PublisherEntry[]>;
	trusted: Map<string, PublisherEntry[]>;
}

export interface ImportConfig {
	name: string;
	urls: string[];
	exclude: string[];
	/** Foreign criterion → local criteria. */
	criteriaMap: Map<string, string[]>;
}

export interface CratePolicy {
	criteria?: string[];
	devCriteria?: string[];
	auditAsCratesIo?: boolean;
	range: TextRange;
}

export interface Exemption {
	version: VetVersion;
	criteria: string[];
	range: TextRange;
}

export interface VetConfig {
	defaultCriteria: string[] | undefined;
	imports: Map<string, ImportConfig>;
	/** Keyed by `CRATE` or `CRATE:VERSION`. */
	policy: Map<string, CratePolicy>;
	exemptions: Map<string, Exemption[]>;
}

export interface PublisherRecord {
	version: VetVersion;
	/** The UTC date of publication, `YYYY-MM-DD`. */
	when: string;
	publisher: PublisherId | undefined;
}

export interface UnpublishedRecord {
	version: VetVersion;
	auditedAs: VetVersion;
}

export interface ImportsLock {
	publishers: Map<string, PublisherRecord[]>;
	unpublished: Map<string, UnpublishedRecord[]>;
	/** The cached audits.toml of each import, by import name. */
	audits: Map<string, AuditsFile>;
}

/** One file of the store as read, with what went wrong in it (ranges are offsets into that file). */
export interface AuditFileProblems {
	path: string;
	problems: Problem[];
}

/** An audits.toml from `cargoTrust.audits.sources`: treated as an import with only the built-in criteria mapped. */
export interface ExtraAuditSource {
	name: string;
	audits: AuditsFile;
}

export interface AuditStore {
	/** Where the store was found (`supply-chain/` or `store.path`); undefined for sources-only data. */
	directory: string | undefined;
	/** The files behind `config`, `audits` and `importsLock`, for problems the engine finds while vetting. */
	paths: { config: string; audits: string; importsLock: string } | undefined;
	config: VetConfig;
	audits: AuditsFile;
	importsLock: ImportsLock;
	extraSources: ExtraAuditSource[];
	/** Problems per file; the engine adds its own (unknown criteria, bad violations) at vetting time. */
	files: AuditFileProblems[];
}

export function emptyAuditsFile(): AuditsFile {
	return { criteria: new Map(), audits: new Map(), wildcardAudits: new Map(), trusted: new Map() };
}

export function emptyVetConfig(): VetConfig {
	return { defaultCriteria: undefined, imports: new Map(), policy: new Map(), exemptions: new Map() };
}

export function emptyImportsLock(): ImportsLock {
	return { publishers: new Map(), unpublished: new Map(), audits: new Map() };
}
