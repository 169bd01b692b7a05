/**
 * cargo-vet's audit graph (formats.md §4.4), per crate: nodes are versions plus the empty root; full audits,
 * exemptions, wildcard and (local) trusted matches are edges from the root, deltas and unpublished entries are edges
 * between versions, each with its criteria closed under `implies`. A version is vetted for criterion c when a path
 * from the root reaches it using only edges that carry c. Edges are directional; cycles are harmless.
 * Pure: the store comes in parsed; problems found while building (unknown criteria, bad violation requirements)
 * are returned, by file, never thrown.
 */
import { matchesCargoReq, parseCargoReq, type CargoReq } from '../semver/cargoReq';
import type { Problem, TextRange } from '../text';
import { CriteriaMapper, CriteriaSet } from './criteria';
import type { AuditsFile, AuditStore, PublisherEntry, PublisherId, PublisherRecord } from './types';
import { compareVetVersions, semverOf } from './vetVersion';

export type AuditKind = 'full' | 'delta' | 'wildcard' | 'trusted' | 'exemption';

/** How one step of a vetting path came about: `{ source: "local" | IMPORT, kind, detail: "1.23.0 -> 1.24.3" }`. */
export interface AuditStep {
	source: string;
	kind: AuditKind;
	detail: string;
	/** The auditors the entry names (`who`), as written; empty when it names none (exemptions never do). */
	who: readonly string[];
}

interface Edge {
	/** Undefined: the root (the empty package). */
	from: string | undefined;
	to: string;
	criteria: ReadonlySet<string>;
	exemption: boolean;
	step: AuditStep;
}

export interface Violation {
	source: string;
	requirement: string;
	criteria: ReadonlySet<string>;
	req: CargoReq;
}

/** What `violations` in the JSON lists for a version. */
export interface ViolationMatch {
	source: string;
	requirement: string;
	criteria: string[];
}

export interface VetResult {
	required: string[];
	/** Every criterion the version is vetted for, exemptions counted, sorted. */
	vetted: string[];
	/** The same without exemption edges. */
	fullyAudited: string[];
	by: AuditStep[];
	/** Violations that match the version and disclaim a required criterion (or one it implies). */
	violations: ViolationMatch[];
	/** Required criteria the local namespace does not define: never met. */
	unknownRequired: string[];
}

/** A problem in one of the store's files (`file` is the path, or the source's name for `cargoTrust.audits.sources`). */
export interface AuditProblem {
	file: string;
	problem: Problem;
}

interface Reach {
	/** The edge each reached version was first reached by (BFS from the root: a shortest path). */
	parents: Map<string, Edge>;
}

interface CrateGraph {
	edges: Edge[];
	violations: Violation[];
	/** Per criterion, with and without exemptions, computed on first use. */
	reach: Map<string, Reach>;
}

const EXEMPTIONS = '\u0000with-exemptions';

function publisherMatches(entry: PublisherEntry, record: PublisherRecord): boolean {
	return record.publisher !== undefined && samePublisher(entry.publisher, record.publisher) && entry.start <= record.when && record.when < entry.end;
}

function samePublisher(a: PublisherId, b: PublisherId): boolean {
	return 'userId' in a ? 'userId' in b && a.userId === b.userId : 'trustedPublisher' in b && a.trustedPublisher === b.trustedPublisher;
}

function describePublisher(entry: PublisherEntry): string {
	const who = 'userId' in entry.publisher ? `user-id ${entry.publisher.userId}` : entry.publisher.trustedPublisher;
	return `${who}, ${entry.start} to ${entry.end}`;
}

export class AuditIndex {
	readonly local: CriteriaSet;
	readonly problems: AuditProblem[] = [];
	private readonly graphs = new Map<string, CrateGraph>();

	/** `publishers` adds records the store lacks (crates.io's API), keyed by crate; imports.lock's come first. */
	constructor(
		private readonly store: AuditStore,
		private readonly publishers: ReadonlyMap<string, readonly PublisherRecord[]> = new Map(),
	) {
		this.local = new CriteriaSet(store.audits.criteria.values());
		const files = store.paths ?? { config: 'config.toml', audits: 'audits.toml', importsLock: 'imports.lock' };
		this.addFile('local', store.audits, undefined, files.audits, new Set(), true);
		for (const [name, config] of store.config.imports) {
			const audits = store.importsLock.audits.get(name);
			if (audits) this.addFile(name, audits, config.criteriaMap, files.importsLock, new Set(config.exclude), false);
		}
		for (const source of store.extraSources) this.addFile(source.name, source.audits, new Map(), source.name, new Set(), false);
		for (const [crate, exemptions] of store.config.exemptions) {
			for (const exemption of exemptions) {
				const criteria = this.localCriteria(exemption.criteria, files.config, exemption.range, `exemption of ${crate}`);
				this.graph(crate).edges.push({ from: undefined, to: exemption.version, criteria, exemption: true, step: { source: 'local', kind: 'exemption', detail: exemption.version, who: [] } });
			}
		}
		for (const [crate, entries] of store.importsLock.unpublished) {
			// An unpublished first-party version counts as whatever its published twin is vetted for.
			const all = new Set(this.local.names());
			for (const entry of entries) this.graph(crate).edges.push({ from: entry.auditedAs, to: entry.version, criteria: all, exemption: false, step: { source: 'local', kind: 'delta', detail: `${entry.auditedAs} -> ${entry.version} (unpublished, audited as ${entry.auditedAs})`, who: [] } });
		}
	}

	private graph(crate: string): CrateGraph {
		let graph = this.graphs.get(crate);
		if (!graph) {
			graph = { edges: [], violations: [], reach: new Map() };
			this.graphs.set(crate, graph);
		}
		return graph;
	}

	/** Local criteria, closed; an unknown one is a problem and is dropped, so it is never met. */
	private localCriteria(names: readonly string[], file: string, range: TextRange, label: string): ReadonlySet<string> {
		const { criteria, unknown } = this.local.closeAll(names);
		for (const name of unknown) this.problems.push({ file, problem: { code: 'audits-criteria', severity: 'error', message: `${label}: unknown criterion "${name}" (treated as unmet)`, range } });
		return criteria;
	}

	private addFile(source: string, file: AuditsFile, criteriaMap: ReadonlyMap<string, readonly string[]> | undefined, path: string, exclude: ReadonlySet<string>, local: boolean): void {
		const mapper = local ? undefined : new CriteriaMapper(new CriteriaSet(file.criteria.values()), this.local, criteriaMap ?? new Map());
		const closed = (names: readonly string[], range: TextRange, label: string): ReadonlySet<string> => (mapper ? mapper.mapClosed(names) : this.localCriteria(names, path, range, label));
		for (const [crate, audits] of file.audits) {
			if (exclude.has(crate)) continue;
			const graph = this.graph(crate);
			for (const audit of audits) {
				const label = `audit of ${crate}`;
				if (audit.kind === 'full') {
					graph.edges.push({ from: undefined, to: audit.version, criteria: closed(audit.criteria, audit.range, label), exemption: false, step: { source, kind: 'full', detail: audit.version, who: audit.who } });
				} else if (audit.kind === 'delta') {
					graph.edges.push({ from: audit.from, to: audit.to, criteria: closed(audit.criteria, audit.range, label), exemption: false, step: { source, kind: 'delta', detail: `${audit.from} -> ${audit.to}`, who: audit.who } });
				} else {
					const parsed = parseCargoReq(audit.requirement);
					if ('error' in parsed) {
						this.problems.push({ file: path, problem: { code: 'audits-violation-requirement', severity: 'error', message: `violation of ${crate}: "${audit.requirement}" is not a version requirement (${parsed.error}); the violation is skipped`, range: audit.range } });
						continue;
					}
					const criteria = mapper ? mapper.mapOpen(audit.criteria) : new Set(audit.criteria.filter((name) => this.local.has(name)));
					if (!mapper) this.localCriteria(audit.criteria, path, audit.range, `violation of ${crate}`);
					graph.violations.push({ source, requirement: audit.requirement, criteria, req: parsed.req });
				}
			}
		}
		this.addPublisherEntries(source, file.wildcardAudits, 'wildcard', exclude, closed);
		// Only the local `[[trusted.X]]` entries vet; imported ones are hints for `cargo vet suggest`.
		if (local) this.addPublisherEntries(source, file.trusted, 'trusted', exclude, closed);
	}

	private addPublisherEntries(source: string, entries: ReadonlyMap<string, PublisherEntry[]>, kind: 'wildcard' | 'trusted', exclude: ReadonlySet<string>, closed: (names: readonly string[], range: TextRange, label: string) => ReadonlySet<string>): void {
		for (const [crate, list] of entries) {
			if (exclude.has(crate)) continue;
			const records = [...(this.store.importsLock.publishers.get(crate) ?? []), ...(this.publishers.get(crate) ?? [])];
			for (const entry of list) {
				const criteria = closed(entry.criteria, entry.range, `${kind} entry for ${crate}`);
				for (const record of records) {
					if (!publisherMatches(entry, record)) continue;
					this.graph(crate).edges.push({ from: undefined, to: record.version, criteria, exemption: false, step: { source, kind, detail: `${record.version} (${describePublisher(entry)})`, who: entry.who } });
				}
			}
		}
	}

	/** Crates with any audit data at all. */
	crates(): string[] {
		return [...this.graphs.keys()];
	}

	private reach(graph: CrateGraph, criterion: string, withExemptions: boolean): Reach {
		const key = withExemptions ? criterion + EXEMPTIONS : criterion;
		const cached = graph.reach.get(key);
		if (cached) return cached;
		const outgoing = new Map<string | undefined, Edge[]>();
		for (const edge of graph.edges) {
			if (!edge.criteria.has(criterion) || (edge.exemption && !withExemptions)) continue;
			const list = outgoing.get(edge.from);
			if (list) list.push(edge);
			else outgoing.set(edge.from, [edge]);
		}
		const parents = new Map<string, Edge>();
		const queue: (string | undefined)[] = [undefined];
		for (let i = 0; i < queue.length; i++) {
			for (const edge of outgoing.get(queue[i]) ?? []) {
				if (parents.has(edge.to)) continue;
				parents.set(edge.to, edge);
				queue.push(edge.to);
			}
		}
		const reach = { parents };
		graph.reach.set(key, reach);
		return reach;
	}

	private path(reach: Reach, version: string): AuditStep[] {
		const steps: AuditStep[] = [];
		const seen = new Set<string>();
		for (let edge = reach.parents.get(version); edge && !seen.has(edge.to); edge = edge.from === undefined ? undefined : reach.parents.get(edge.from)) {
			seen.add(edge.to);
			steps.unshift(edge.step);
		}
		return steps;
	}

	/** The verdict for one version against the required criteria. */
	vet(crate: string, version: string, required: readonly string[]): VetResult {
		const graph = this.graphs.get(crate);
		const unknownRequired = required.filter((name) => !this.local.has(name));
		const vetted: string[] = [];
		const fullyAudited: string[] = [];
		const by: AuditStep[] = [];
		if (graph) {
			for (const criterion of this.local.names()) {
				if (this.reach(graph, criterion, false).parents.has(version)) fullyAudited.push(criterion);
				if (this.reach(graph, criterion, true).parents.has(version)) vetted.push(criterion);
			}
			// How the required criteria were met (else whatever was), preferring paths without exemptions.
			const explained = required.filter((name) => vetted.includes(name));
			for (const criterion of explained.length ? explained : vetted) {
				const reach = fullyAudited.includes(criterion) ? this.reach(graph, criterion, false) : this.reach(graph, criterion, true);
				for (const step of this.path(reach, version)) if (!by.some((seen) => seen.source === step.source && seen.kind === step.kind && seen.detail === step.detail)) by.push(step);
			}
		}
		return { required: [...required], vetted: vetted.sort(), fullyAudited: fullyAudited.sort(), by, violations: this.violationsOf(graph, version, required), unknownRequired };
	}

	private violationsOf(graph: CrateGraph | undefined, version: string, required: readonly string[]): ViolationMatch[] {
		if (!graph?.violations.length) return [];
		const semver = semverOf(version);
		if (!semver) return [];
		const disclaimed = this.local.closeAll(required).criteria;
		const matches: ViolationMatch[] = [];
		for (const violation of graph.violations) {
			if (![...violation.criteria].some((name) => disclaimed.has(name)) || !matchesCargoReq(violation.req, semver)) continue;
			matches.push({ source: violation.source, requirement: violation.requirement, criteria: [...violation.criteria].sort() });
		}
		return matches;
	}

	/** Every version that any edge reaches, sorted: what the store knows about, for tests and hover. */
	versionsOf(crate: string): string[] {
		const versions = new Set<string>();
		for (const edge of this.graphs.get(crate)?.edges ?? []) versions.add(edge.to);
		return [...versions].sort(compareVetVersions);
	}
}

/** Vetted for every required criterion (exemptions count) and no violation: what the policy's condition 5 asks. */
export function vetPasses(result: VetResult): boolean {
	return result.unknownRequired.length === 0 && result.required.every((name) => result.vetted.includes(name)) && result.violations.length === 0;
}
