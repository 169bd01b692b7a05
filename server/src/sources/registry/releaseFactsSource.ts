/**
 * Release facts for the locked packages of one workspace, from their registry's sparse index (after cargo's
 * source replacement): publish time (index `pubtime`, else crates.io's API `created_at`), yanked, checksum,
 * the other versions, and, on demand, who published it. Answers from memory; fetches in the background.
 * A package whose index read failed keeps an `unknown` fact with the reason, and waits: any later good read of the
 * same index file (a retry, or the download check reading it) fills it.
 * Facts expire (`needsFetch`): good ones after a time to live (the index file is then revalidated, a 304), a transient
 * failure (timeout, 5xx, 429, unreachable) or stale cached data after a backoff, so a session that starts offline
 * learns the facts once the network is back. The publish-age policy is not part of the fact: the engine applies it.
 */
import { known, unknown, type Fact } from '../../engine/facts';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { CrateVersion, Publisher, ReleaseFacts } from '../../engine/release/types';
import { compareVersions, parseVersion } from '../../engine/semver/version';
import { publishAgeNotices } from '../cargoConfig/minPublishAge';
import type { ApiResult, CratesApi, Publisher as ApiPublisher, VersionRecord } from '../cratesIndex/cratesApi';
import type { IndexVersion } from '../cratesIndex/parseIndexFile';
import { releaseTime } from '../cratesIndex/releaseTime';
import type { ConfigResult, Provenance, VersionsResult } from '../cratesIndex/sparseIndexClient';
import type { ResolvedRegistry } from '../cargoConfig/resolveRegistry';
import { redactUrl } from '../http/redactUrl';
import type { Logger } from '../log';
import type { PackageSignalSource } from '../types';
import type { RegistryClients } from './registryClients';

export interface ReleaseFactsSourceOptions {
	clients: RegistryClients;
	log: Logger;
	/** Milliseconds since the epoch (the injected clock). */
	now: () => number;
	/** How long a good fact is used before its index file is revalidated; default 30 minutes. */
	ttlMs?: number;
	/** Called when a fact is filled outside `fetch` (a later good read of its index file). */
	onFilled?: () => void;
}

/** The first retry of a transient failure waits this long; each further failure doubles it, up to `MAX_BACKOFF_MS`. */
const FIRST_BACKOFF_MS = 15_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const DEFAULT_TTL_MS = 30 * 60_000;

/** Failures the network may answer differently later. */
function isTransient(reason: string): boolean {
	return /^(timeout|network|truncated|circuit-open|http-429|http-5\d\d)$/.test(reason);
}

interface Entry {
	fact: Fact<ReleaseFacts>;
	/** Kept to find the publisher later: the crates.io API and the previous version, when the package is from crates.io. */
	api: CratesApi | undefined;
	previousVersion: string | undefined;
	/** When it landed, and when it should be fetched again (Infinity: never in this session). */
	landedAt?: number;
	expiresAt?: number;
	/** Transient failures in a row, for the backoff. */
	failures?: number;
	/** Set when the failure (or cached data standing in for one) may be answered differently later: retried with backoff. */
	retry?: boolean;
	/** Set while the fact is unknown because its index read failed: `<index url>|<lowercase name>`, and how to fill it. */
	waiting?: { file: string; fill: (result: GoodRead) => Promise<Entry> };
}

type GoodRead = Extract<VersionsResult, { status: 'ok' }>;
type SparseRegistry = Extract<ResolvedRegistry, { kind: 'sparse' }>;

const registryKinds = new Set(['crates-io', 'registry', 'sparse']);

export class ReleaseFactsSource implements PackageSignalSource<ReleaseFacts> {
	private readonly entries = new Map<string, Entry>();
	/** The crate versions fact, keyed by `<index url>|<lowercase name>`: one per crate, whatever versions are locked. */
	private readonly crateVersions = new Map<string, { fetchedAt: string; versions: CrateVersion[] }>();
	private readonly publishers = new Map<string, Fact<Publisher>>();
	private readonly publishersRequested = new Set<string>();
	/** Facts being filled by a later good read; `refilled` waits for them. */
	private readonly filling = new Set<Promise<void>>();
	private filledSinceAsked = false;

	constructor(private readonly options: ReleaseFactsSourceOptions) {
		options.clients.onIndexRead((indexUrl, name, result) => this.fillWaiting(`${indexUrl}|${name}`, result));
	}

	/** Waits for facts a later good read is filling; true when any was filled since the last call. */
	async refilled(): Promise<boolean> {
		while (this.filling.size > 0) await Promise.all([...this.filling]);
		const filled = this.filledSinceAsked;
		this.filledSinceAsked = false;
		return filled;
	}

	private fillWaiting(file: string, result: GoodRead): void {
		for (const [entryKey, entry] of this.entries) {
			if (entry.waiting?.file !== file) continue;
			const waiting = entry.waiting;
			entry.waiting = undefined;
			const filling = waiting
				.fill(result)
				.then((filled) => {
					if (this.entries.get(entryKey) !== entry) return;
					this.entries.set(entryKey, this.stamp(filled, entry));
					this.filledSinceAsked = true;
					this.options.onFilled?.();
				})
				.catch(() => undefined)
				.finally(() => this.filling.delete(filling));
			this.filling.add(filling);
		}
	}

	peek(pkg: LockedPackage): Fact<ReleaseFacts> | undefined {
		if (!registryKinds.has(pkg.source.kind)) return { status: 'disabled', reason: 'not from a registry' };
		const entry = this.entries.get(key(pkg));
		if (!entry || entry.fact.status !== 'known') return entry?.fact;
		const publisher = this.publishers.get(`${pkg.name}@${pkg.version}`);
		const previous = entry.previousVersion ? this.publishers.get(`${pkg.name}@${entry.previousVersion}`) : undefined;
		return {
			...entry.fact,
			value: {
				...entry.fact.value,
				versions: this.versionsWithPublishers(entry.fact.value.versions, pkg.name),
				publisher,
				previous: entry.previousVersion && previous ? { version: entry.previousVersion, publisher: previous } : undefined,
			},
		};
	}

	/** True when the package has no fact yet, or its fact has expired (time to live, or a transient failure's backoff). */
	needsFetch(pkg: LockedPackage): boolean {
		if (!registryKinds.has(pkg.source.kind)) return false;
		const entry = this.entries.get(key(pkg));
		return !entry || (entry.expiresAt ?? Infinity) <= this.options.now();
	}

	/** True when the package's publisher can be asked for (crates.io) and has not been yet. */
	needsPublisher(pkg: LockedPackage): boolean {
		return this.entries.get(key(pkg))?.api !== undefined && !this.publishersRequested.has(`${pkg.name}@${pkg.version}`);
	}

	/** When the earliest fact waiting for a retry expires (for a retry timer); undefined when none does. */
	nextRetryAt(): number | undefined {
		let next: number | undefined;
		for (const entry of this.entries.values()) if (entry.failures && entry.expiresAt !== undefined && (next === undefined || entry.expiresAt < next)) next = entry.expiresAt;
		return next;
	}

	/** "Refresh Data": every fact is fetched again at the next `fetch` (the answer kept until the new one lands). */
	expireAll(): void {
		const now = this.options.now();
		for (const entry of this.entries.values()) entry.expiresAt = now;
	}

	/** The versions with each one's publisher where one was fetched (the same array when none was). */
	private versionsWithPublishers(versions: readonly CrateVersion[], name: string): readonly CrateVersion[] {
		if (!versions.some((v) => this.publishers.has(`${name}@${v.version}`))) return versions;
		return versions.map((v) => ({ ...v, publisher: this.publishers.get(`${name}@${v.version}`) }));
	}

	/** Times a freshly loaded entry: when it lands and when it is to be fetched again. */
	private stamp(entry: Entry, previous: Entry | undefined): Entry {
		const now = this.options.now();
		const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
		if (!entry.retry) return { ...entry, landedAt: now, expiresAt: entry.fact.status === 'disabled' ? Infinity : now + ttl, failures: 0 };
		const failures = (previous?.failures ?? 0) + 1;
		return { ...entry, landedAt: now, expiresAt: now + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1)), failures };
	}

	async fetch(pkgs: readonly LockedPackage[], progress: (done: number, total: number) => void, signal: AbortSignal): Promise<void> {
		const wanted = pkgs.filter((pkg) => this.needsFetch(pkg));
		let done = 0;
		await Promise.all(
			wanted.map(async (pkg) => {
				const entry = await this.load(pkg, signal).catch((error: Error): Entry => ({ fact: unknown(`internal error: ${error.message}`), api: undefined, previousVersion: undefined }));
				// A refetch that failed keeps a good answer in use, marked stale, and retries later.
				const previous = this.entries.get(key(pkg));
				const kept = entry.retry && previous?.fact.status === 'known' ? { ...previous, fact: { ...previous.fact, stale: true }, retry: true } : entry;
				if (!signal.aborted) this.entries.set(key(pkg), this.stamp(kept, previous));
				progress(++done, wanted.length);
			}),
		);
	}

	/**
	 * Publishers of these packages and of every other version their index lists, from crates.io's API: one request per
	 * crate (which answers for all its versions) per second. Every version's is kept, so a wildcard or trusted audit can
	 * vet a candidate version to pin or upgrade to, and the version before the locked one shows a change of hands.
	 */
	async fetchPublishers(pkgs: readonly LockedPackage[], signal: AbortSignal): Promise<boolean> {
		let changed = false;
		for (const pkg of pkgs) {
			const entry = this.entries.get(key(pkg));
			if (!entry?.api || this.publishersRequested.has(`${pkg.name}@${pkg.version}`) || signal.aborted) continue;
			this.publishersRequested.add(`${pkg.name}@${pkg.version}`);
			const listed = entry.fact.status === 'known' ? entry.fact.value.versions.map((v) => v.version) : [];
			const versions = [...new Set([pkg.version, ...listed])].filter((version) => !this.publishers.has(`${pkg.name}@${version}`));
			if (versions.length === 0) continue;
			const result = await entry.api.versions(pkg.name, versions, signal);
			for (const version of versions) this.publishers.set(`${pkg.name}@${version}`, publisherFact(result, version));
			changed = true;
		}
		return changed;
	}

	private async load(pkg: LockedPackage, signal: AbortSignal): Promise<Entry> {
		const { clients } = this.options;
		const none = (reason: string): Entry => ({ fact: unknown(reason), api: undefined, previousVersion: undefined });
		const source = pkg.source.kind === 'path' ? '' : pkg.source.raw;
		const registryName = clients.registryName(source);
		const resolved = clients.resolve(source);
		const label = registryName ?? source.replace(/^(registry|sparse)\+/, '');
		if (resolved.kind === 'error') {
			clients.status.fixed({ name: label, url: null, status: 'error', reason: resolved.detail });
			return none(resolved.detail);
		}
		if (resolved.kind === 'git-index') {
			const reason = `${resolved.url} is a git-protocol index, which cargo-trust does not read (only sparse registries are supported)`;
			clients.status.fixed({ name: label, url: resolved.url, status: 'error', reason });
			return none(reason);
		}
		if (resolved.kind !== 'sparse') {
			const reason = `packages come from the ${resolved.kind} ${resolved.path}, so no registry is consulted`;
			clients.status.fixed({ name: label, url: resolved.path, status: 'unused', reason });
			return { fact: { status: 'disabled', reason }, api: undefined, previousVersion: undefined };
		}
		const index = clients.index(resolved.indexUrl, resolved.token);
		// Both at once: the index file does not wait for config.json unless a token depends on it.
		const [config, result] = await Promise.all([index.fetchConfig(signal), index.fetchVersions(pkg.name, signal)]);
		const shownUrl = redactUrl(resolved.indexUrl);
		if (result.status === 'not-found') {
			clients.status.answered(label, resolved.indexUrl);
			return none(`${shownUrl} does not list ${pkg.name}`);
		}
		if (result.status === 'error') {
			const offline = clients.offline && result.reason === 'offline';
			clients.status.failed(label, resolved.indexUrl, offline ? 'not in the disk cache, and no request is sent offline' : `${result.reason}: ${result.detail}`, offline);
			const reason = offline ? `offline, and ${pkg.name} is not in the index cache` : `${shownUrl}: ${result.reason} (${result.detail})`;
			this.options.log.warn(`No release data for ${pkg.name} ${pkg.version}: ${reason}`);
			return {
				...none(reason),
				retry: !clients.offline && isTransient(result.reason),
				waiting: { file: `${resolved.indexUrl}|${pkg.name.toLowerCase()}`, fill: (good) => this.fromIndex(pkg, label, registryName, resolved, config, good, signal) },
			};
		}
		return this.fromIndex(pkg, label, registryName, resolved, config, result, signal);
	}

	/** The release facts of a package from a good read of its index file. */
	private async fromIndex(pkg: LockedPackage, label: string, registryName: string | undefined, resolved: SparseRegistry, config: ConfigResult, result: GoodRead, signal: AbortSignal): Promise<Entry> {
		const { clients } = this.options;
		const shownUrl = redactUrl(resolved.indexUrl);
		if (result.source === 'cache') clients.status.fromCache(label, resolved.indexUrl, result.staleBecause ?? (clients.offline ? 'offline: served from the disk cache' : 'served from the disk cache'));
		else clients.status.answered(label, resolved.indexUrl);
		for (const skipped of result.skipped) this.options.log.warn(`${shownUrl}${pkg.name}: skipped index line ${skipped.line}: ${skipped.reason}`);
		const line = result.versions.find((v) => v.vers === pkg.version);
		if (!line) return { fact: unknown(`${shownUrl} does not list ${pkg.name} ${pkg.version}`), api: undefined, previousVersion: undefined };
		const versions = this.versionsOf(`${resolved.indexUrl}|${pkg.name.toLowerCase()}`, result);
		const api = registryName === 'crates-io' ? clients.api(config.status === 'ok' ? config.config.api : undefined) : undefined;
		const publishedAt = await releaseTime(line, result.fetchedAt, api, signal);
		const facts: ReleaseFacts = {
			registry: registryName === 'crates-io' ? 'crates.io' : shownUrl,
			publishedAt,
			yanked: line.yanked,
			indexChecksum: line.cksum,
			registryKey: registryName ?? null,
			versions,
			publisher: undefined,
			previous: undefined,
			minimumAge: undefined,
			policyNotices: publishAgeNotices(clients.config).flatMap((notice) => (notice.registry === undefined || notice.registry === registryName ? [notice.message] : [])),
			origin: `${new URL(resolved.indexUrl).host}, ${describeProvenance(result)}`,
		};
		const stale = result.staleBecause !== undefined;
		return { fact: known(facts, facts.origin, result.fetchedAt, stale), api, previousVersion: previousVersion(result.versions, pkg.version), retry: stale && !clients.offline };
	}

	/** The crate's versions fact from one read of its index file, shared by every locked version of the crate. */
	private versionsOf(crateKey: string, result: GoodRead): CrateVersion[] {
		const known = this.crateVersions.get(crateKey);
		if (known && known.fetchedAt === result.fetchedAt) return known.versions;
		const versions = result.versions.map((v): CrateVersion => ({ version: v.vers, yanked: v.yanked, publishedAt: v.pubtime ?? null, checksum: v.cksum, publisher: undefined }));
		this.crateVersions.set(crateKey, { fetchedAt: result.fetchedAt, versions });
		return versions;
	}
}

function key(pkg: LockedPackage): string {
	return `${pkg.source.kind === 'path' ? 'path' : pkg.source.raw}|${pkg.name}|${pkg.version}`;
}

function describeProvenance(provenance: Provenance): string {
	const how = { network: 'fetched', revalidated: 'revalidated', cache: 'from cache' }[provenance.source];
	return `${how} ${provenance.fetchedAt.replace(/\.\d+Z$/, 'Z')}${provenance.staleBecause ? ` (${provenance.staleBecause})` : ''}`;
}


/** The highest version below the locked one: "the version before it" for a change of publisher. */
function previousVersion(versions: readonly IndexVersion[], locked: string): string | undefined {
	const current = parseVersion(locked);
	if (!current) return undefined;
	let best: { text: string; version: NonNullable<ReturnType<typeof parseVersion>> } | undefined;
	for (const entry of versions) {
		const version = parseVersion(entry.vers);
		if (!version || compareVersions(version, current) >= 0) continue;
		if (!best || compareVersions(version, best.version) > 0) best = { text: entry.vers, version };
	}
	return best?.text;
}

/** One version's publisher from the crate's API answer; unknown, with the reason, when the answer does not name one. */
function publisherFact(result: ApiResult<ReadonlyMap<string, VersionRecord>>, version: string): Fact<Publisher> {
	if (result.status === 'error') return unknown(`crates.io API: ${result.reason} (${result.detail})`);
	const record = result.status === 'ok' ? result.value.get(version) : undefined;
	if (!record) return unknown('crates.io does not know this version');
	if (record.publisher.kind === 'unknown') return unknown('crates.io recorded no publisher for this version');
	return known(toPublisher(record.publisher), 'crates.io API', null);
}

function toPublisher(publisher: Exclude<ApiPublisher, { kind: 'unknown' }>): Publisher {
	return publisher.kind === 'user'
		? { kind: 'user', ...(publisher.id !== undefined ? { id: publisher.id } : {}), login: publisher.login, name: publisher.name ?? null }
		: { kind: 'trusted-publishing', provider: publisher.provider, repository: publisher.repository ?? 'unknown repository', runId: null, sha: publisher.sha ?? null };
}
