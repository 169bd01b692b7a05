/**
 * Publisher records that `imports.lock` lacks, taken from crates.io's API through the release facts. cargo-vet
 * writes a record only when `cargo vet` runs, and only for crates with wildcard or trusted entries, so a version
 * locked since has none and no wildcard or trusted entry could vet it. Pure: the caller says who published what.
 */
import type { Fact } from '../facts';
import type { LockedPackage, Lockfile } from '../lockfile/types';
import type { Publisher, ReleaseFacts } from '../release/types';
import type { AuditStore, PublisherId, PublisherRecord } from './types';

/** Who published `name@version` and on which UTC date (`YYYY-MM-DD`), or undefined when that is not known. */
export type PublisherLookup = (name: string, version: string) => { publisher: PublisherId; when: string } | undefined;

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

/** Records for the locked crates.io versions that need one (see `needsApiPublisher`) and whose publisher is known. */
export function apiPublisherRecords(store: AuditStore, lockfile: Lockfile, lookup: PublisherLookup): Map<string, PublisherRecord[]> {
	const records = new Map<string, PublisherRecord[]>();
	const withEntries = cratesWithPublisherEntries(store);
	if (withEntries.size === 0) return records;
	for (const pkg of lockfile.packages) {
		if (!needsApiPublisher(store, pkg, withEntries)) continue;
		const found = lookup(pkg.name, pkg.version);
		if (!found) continue;
		const list = records.get(pkg.name);
		const record = { version: pkg.version, when: found.when, publisher: found.publisher };
		if (list) list.push(record);
		else records.set(pkg.name, [record]);
	}
	return records;
}

/** A lookup over release facts: each version's publisher (the locked one's, or one listed in `versions`) and publish date. */
export function releasePublisherLookup(releases: Iterable<{ pkg: LockedPackage; release: Fact<ReleaseFacts> | undefined }>): PublisherLookup {
	const byName = new Map<string, { locked: string; release: ReleaseFacts }[]>();
	for (const { pkg, release } of releases) {
		if (release?.status !== 'known') continue;
		const list = byName.get(pkg.name);
		const entry = { locked: pkg.version, release: release.value };
		if (list) list.push(entry);
		else byName.set(pkg.name, [entry]);
	}
	return (name, version) => {
		for (const { locked, release } of byName.get(name) ?? []) {
			const listed = release.versions.find((v) => v.version === version);
			const isLocked = locked === version;
			const publisher = publisherIdOf(isLocked && release.publisher?.status === 'known' ? release.publisher.value : listed?.publisher?.status === 'known' ? listed.publisher.value : undefined);
			const when = utcDate(isLocked && release.publishedAt.status === 'known' ? release.publishedAt.value : (listed?.publishedAt ?? undefined));
			if (publisher && when) return { publisher, when };
		}
		return undefined;
	};
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
