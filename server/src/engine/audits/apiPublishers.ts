/**
 * Publisher records that `imports.lock` lacks, taken from crates.io's API through the release facts. cargo-vet
 * writes a record only when `cargo vet` runs, and only for crates with wildcard or trusted entries, so a version
 * locked since has none and no wildcard or trusted entry could vet it. Pure: the caller says who published what.
 */
import type { Fact } from '../facts';
import type { LockedPackage, Lockfile } from '../lockfile/types';
import type { Publisher, ReleaseFacts } from '../release/types';
import type { AuditStore, PublisherId, PublisherRecord } from './types';

/** Who published each version of `name` and on which UTC date (`YYYY-MM-DD`): the versions where both are known. */
export type PublisherLookup = (name: string) => ReadonlyMap<string, { publisher: PublisherId; when: string }> | undefined;

/** Crates that some wildcard or trusted entry names: the only ones whose publishers the audit graph reads. */
export function cratesWithPublisherEntries(store: AuditStore): Set<string> {
	const crates = new Set<string>([...store.audits.wildcardAudits.keys(), ...store.audits.trusted.keys()]);
	for (const [name, audits] of store.importsLock.audits) {
		const exclude = new Set(store.config.imports.get(name)?.exclude ?? []);
		for (const crate of audits.wildcardAudits.keys()) if (!exclude.has(crate)) crates.add(crate);
	}
	for (const source of store.extraSources) for (const crate of source.audits.wildcardAudits.keys()) crates.add(crate);
	return crates;
}

/** True when the audit graph would read this locked package's publisher and `imports.lock` has no record of it. */
export function needsApiPublisher(store: AuditStore, pkg: LockedPackage, withEntries: ReadonlySet<string> = cratesWithPublisherEntries(store)): boolean {
	if (pkg.source.kind !== 'crates-io' || !withEntries.has(pkg.name)) return false;
	return !(store.importsLock.publishers.get(pkg.name) ?? []).some((record) => record.version === pkg.version);
}

/**
 * Records for the crates.io crates with wildcard or trusted entries: every version (locked, or a candidate to pin or
 * upgrade to) whose publisher is known and that imports.lock has no record of, since imports.lock's record wins.
 */
export function apiPublisherRecords(store: AuditStore, lockfile: Lockfile, lookup: PublisherLookup): Map<string, PublisherRecord[]> {
	const records = new Map<string, PublisherRecord[]>();
	const withEntries = cratesWithPublisherEntries(store);
	if (withEntries.size === 0) return records;
	for (const pkg of lockfile.packages) {
		if (pkg.source.kind !== 'crates-io' || !withEntries.has(pkg.name) || records.has(pkg.name)) continue;
		const inLock = new Set((store.importsLock.publishers.get(pkg.name) ?? []).map((record) => record.version));
		const list: PublisherRecord[] = [];
		for (const [version, found] of lookup(pkg.name) ?? []) if (!inLock.has(version)) list.push({ version, when: found.when, publisher: found.publisher });
		records.set(pkg.name, list);
	}
	for (const [name, list] of records) if (list.length === 0) records.delete(name);
	return records;
}

/**
 * A lookup over release facts: for each crate, the publisher and publish date of every version they know (a locked
 * version's own facts first, then those listed in `versions`). Built per crate when first asked: only crates with
 * wildcard or trusted entries are.
 */
export function releasePublisherLookup(releases: Iterable<{ pkg: LockedPackage; release: Fact<ReleaseFacts> | undefined }>): PublisherLookup {
	const byName = new Map<string, { locked: string; release: ReleaseFacts }[]>();
	for (const { pkg, release } of releases) {
		if (release?.status !== 'known') continue;
		const list = byName.get(pkg.name);
		const entry = { locked: pkg.version, release: release.value };
		if (list) list.push(entry);
		else byName.set(pkg.name, [entry]);
	}
	const built = new Map<string, ReadonlyMap<string, { publisher: PublisherId; when: string }>>();
	return (name) => {
		const releasesOf = byName.get(name);
		if (!releasesOf) return undefined;
		let versions = built.get(name);
		if (!versions) built.set(name, (versions = publishersOf(releasesOf)));
		return versions;
	};
}

function publishersOf(releases: readonly { locked: string; release: ReleaseFacts }[]): Map<string, { publisher: PublisherId; when: string }> {
	const versions = new Map<string, { publisher: PublisherId; when: string }>();
	const add = (version: string, publisher: Publisher | undefined, time: string | undefined) => {
		const id = publisherIdOf(publisher);
		const when = utcDate(time);
		if (id && when && !versions.has(version)) versions.set(version, { publisher: id, when });
	};
	for (const { locked, release } of releases) add(locked, knownValue(release.publisher), knownValue(release.publishedAt));
	for (const { release } of releases) for (const listed of release.versions) add(listed.version, knownValue(listed.publisher), listed.publishedAt ?? undefined);
	return versions;
}

function knownValue<T>(fact: Fact<T> | undefined): T | undefined {
	return fact?.status === 'known' ? fact.value : undefined;
}

/** cargo-vet's names: `user-id` from `published_by.id`; `"github:" + repository` for GitHub Trusted Publishing (it knows no other). */
export function publisherIdOf(publisher: Publisher | undefined): PublisherId | undefined {
	if (publisher?.kind === 'user') return publisher.id === undefined ? undefined : { userId: publisher.id };
	if (publisher?.kind === 'trusted-publishing' && publisher.provider === 'github' && publisher.repository.includes('/')) return { trustedPublisher: `github:${publisher.repository}` };
	return undefined;
}

/** `created_at.date_naive()`, as cargo-vet records `when`: the UTC date. */
function utcDate(time: string | undefined): string | undefined {
	const ms = time === undefined ? NaN : Date.parse(time);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}
