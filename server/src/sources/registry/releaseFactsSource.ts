/**
 * Release facts for the locked packages of one workspace, from their registry's sparse index (after cargo's
 * source replacement): publish time (index `pubtime`, else crates.io's API `created_at`), yanked, checksum,
 * the other versions, and, on demand, who published it. Answers from memory; fetches in the background.
 * A package whose index read failed keeps an `unknown` fact with the reason, and waits: any later good read of the
 * same index file (a retry, or the download check reading it) fills it.
 */
import { known, unknown, type Fact } from '../../engine/facts';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { Publisher, ReleaseFacts } from '../../engine/release/types';
import { compareVersions, parseVersion } from '../../engine/semver/version';
import { effectiveMinPublishAge, publishAgeNotices } from '../cargoConfig/minPublishAge';
import { describeOrigin } from '../cargoConfig/types';
import type { CratesApi, Publisher as ApiPublisher } from '../cratesIndex/cratesApi';
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
	/** `cargoTrust.releaseAge.minimum`, used only where cargo's configuration sets no minimum. */
	fallbackMinimumAgeMs: number | undefined;
	log: Logger;
}

interface Entry {
	fact: Fact<ReleaseFacts>;
	/** Kept to find the publisher later: the crates.io API and the previous version, when the package is from crates.io. */
	api: CratesApi | undefined;
	previousVersion: string | undefined;
	/** Set while the fact is unknown because its index read failed: `<index url>|<lowercase name>`, and how to fill it. */
	waiting?: { file: string; fill: (result: GoodRead) => Promise<Entry> };
}

type GoodRead = Extract<VersionsResult, { status: 'ok' }>;
type SparseRegistry = Extract<ResolvedRegistry, { kind: 'sparse' }>;

const registryKinds = new Set(['crates-io', 'registry', 'sparse']);

export class ReleaseFactsSource implements PackageSignalSource<ReleaseFacts> {
	private readonly entries = new Map<string, Entry>();
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
					this.entries.set(entryKey, filled);
					this.filledSinceAsked = true;
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
			value: { ...entry.fact.value, publisher, previous: entry.previousVersion && previous ? { version: entry.previousVersion, publisher: previous } : undefined },
		};
	}

	async fetch(pkgs: readonly LockedPackage[], progress: (done: number, total: number) => void, signal: AbortSignal): Promise<void> {
		const wanted = pkgs.filter((pkg) => registryKinds.has(pkg.source.kind) && !this.entries.has(key(pkg)));
		let done = 0;
		await Promise.all(
			wanted.map(async (pkg) => {
				const entry = await this.load(pkg, signal).catch((error: Error): Entry => ({ fact: unknown(`internal error: ${error.message}`), api: undefined, previousVersion: undefined }));
				if (!signal.aborted) this.entries.set(key(pkg), entry);
				progress(++done, wanted.length);
			}),
		);
	}

	/** Publishers of these packages (and of the version before each), from crates.io's API, one request per crate per second. */
	async fetchPublishers(pkgs: readonly LockedPackage[], signal: AbortSignal): Promise<boolean> {
		let changed = false;
		for (const pkg of pkgs) {
			const entry = this.entries.get(key(pkg));
			if (!entry?.api || this.publishersRequested.has(`${pkg.name}@${pkg.version}`) || signal.aborted) continue;
			this.publishersRequested.add(`${pkg.name}@${pkg.version}`);
			for (const version of [pkg.version, entry.previousVersion]) {
				if (!version || this.publishers.has(`${pkg.name}@${version}`)) continue;
				const result = await entry.api.publisher(pkg.name, version, signal);
				const fact: Fact<Publisher> =
					result.status === 'ok'
						? result.value.kind === 'unknown'
							? unknown('crates.io recorded no publisher for this version')
							: known(toPublisher(result.value), 'crates.io API', null)
						: unknown(result.status === 'not-found' ? 'crates.io does not know this version' : `crates.io API: ${result.reason} (${result.detail})`);
				this.publishers.set(`${pkg.name}@${version}`, fact);
				changed = true;
			}
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
		const api = registryName === 'crates-io' ? clients.api(config.status === 'ok' ? config.config.api : undefined) : undefined;
		const publishedAt = await releaseTime(line, result.fetchedAt, api, signal);
		const facts: ReleaseFacts = {
			registry: registryName === 'crates-io' ? 'crates.io' : shownUrl,
			publishedAt,
			yanked: line.yanked,
			indexChecksum: line.cksum,
			versions: result.versions.map((v) => ({ version: v.vers, yanked: v.yanked })),
			publisher: undefined,
			previous: undefined,
			minimumAge: this.minimumAge(registryName),
			policyNotices: publishAgeNotices(clients.config).flatMap((notice) => (notice.registry === undefined || notice.registry === registryName ? [notice.message] : [])),
			origin: `${new URL(resolved.indexUrl).host}, ${describeProvenance(result)}`,
		};
		return { fact: known(facts, facts.origin, result.fetchedAt, result.staleBecause !== undefined), api, previousVersion: previousVersion(result.versions, pkg.version) };
	}

	private minimumAge(registryName: string | undefined): ReleaseFacts['minimumAge'] {
		const age = effectiveMinPublishAge(this.options.clients.config, registryName, this.options.fallbackMinimumAgeMs);
		if (age.status === 'ok') return { ms: age.ms, origin: age.origin === 'cargo-trust setting' ? 'cargoTrust.releaseAge.minimum' : `${age.key} in ${describeOrigin(age.origin)}` };
		if (age.status === 'invalid') this.options.log.warn(`Ignoring ${age.key} in ${describeOrigin(age.origin)}: ${age.reason}`);
		return undefined;
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

function toPublisher(publisher: Exclude<ApiPublisher, { kind: 'unknown' }>): Publisher {
	return publisher.kind === 'user'
		? { kind: 'user', login: publisher.login, name: publisher.name ?? null }
		: { kind: 'trusted-publishing', provider: publisher.provider, repository: publisher.repository ?? 'unknown repository', runId: null, sha: publisher.sha ?? null };
}
