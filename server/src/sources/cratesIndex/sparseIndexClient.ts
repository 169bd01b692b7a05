/**
 * Reads one sparse registry (crates.io or any `sparse+` registry): its config.json, then crates' index files,
 * revalidated with ETag / Last-Modified and kept on disk so a restart is instant and offline mode still answers.
 * The token goes only to this registry's index URLs, and only when config.json says `auth-required` (or the
 * registry answered 401 for config.json), as cargo does. Never throws; failures are values with a reason.
 * An answer that is not index data (an HTML login page, a file with no usable line) is a failure, never cached.
 * Whoever waits on an index file can subscribe: every good read of it is announced, whoever asked for it.
 */
import type { HttpClient, HttpResult } from '../http/httpClient';
import { redactUrl } from '../http/redactUrl';
import type { Timers } from '../http/timers';
import { type Logger, silentLogger } from '../log';
import { DiskCache, urlCacheKey } from './diskCache';
import { indexPath } from './indexPath';
import { type IndexVersion, parseIndexFile, type ParsedIndexFile, type SkippedLine } from './parseIndexFile';
import { parseRegistryConfig, type RegistryConfig } from './registryConfig';

export interface SparseIndexClientOptions {
	http: HttpClient;
	/** The index root without `sparse+`, ending in `/` (https://index.crates.io/). */
	indexUrl: string;
	/** cargo-trust's cache directory; entries go under `<cacheDir>/index/<host>/<path>`. */
	cacheDir: string;
	timers: Timers;
	/** This registry's own token (from resolveRegistry); never sent anywhere else. */
	token?: string;
	/** Cached entries younger than this are used without asking the server again. Default 0: always revalidate. */
	freshForMs?: number;
	log?: Logger;
}

/** How old the data is and how it was obtained. */
export interface Provenance {
	/** `network`: just downloaded; `revalidated`: the server answered 304; `cache`: not asked (offline, fresh, or failing). */
	source: 'network' | 'revalidated' | 'cache';
	/** ISO time the server last confirmed this content. */
	fetchedAt: string;
	ageMs: number;
	/** Set when cached data stands in for a failed request. */
	staleBecause?: string;
}

export type ConfigResult = ({ status: 'ok'; config: RegistryConfig } & Provenance) | { status: 'error'; reason: string; detail: string };

export type VersionsResult =
	| ({ status: 'ok'; versions: IndexVersion[]; skipped: SkippedLine[] } & Provenance)
	| { status: 'not-found' }
	| { status: 'error'; reason: string; detail: string };

/** Told of every good read of a crate's index file (lowercase name), whichever caller asked for it. */
export type IndexReadListener = (name: string, result: Extract<VersionsResult, { status: 'ok' }>) => void;

interface CacheEntry {
	url: string;
	etag: string | undefined;
	lastModified: string | undefined;
	fetchedAt: string;
	body: string;
}

export class SparseIndexClient {
	readonly indexUrl: string;
	private readonly cache: DiskCache;
	private readonly log: Logger;
	private configPromise: Promise<ConfigResult> | undefined;
	/** Requests for the same crate made while one is in flight share it. */
	private readonly inFlight = new Map<string, Promise<VersionsResult>>();
	/** Set by config.json's `auth-required`, or by a 401 on config.json. */
	private authRequired = false;
	private readonly listeners = new Set<IndexReadListener>();
	/** The index URL as it may be printed (no credentials). */
	private readonly shownUrl: string;

	constructor(private readonly options: SparseIndexClientOptions) {
		this.indexUrl = options.indexUrl;
		this.shownUrl = redactUrl(options.indexUrl);
		this.log = options.log ?? silentLogger;
		this.cache = new DiskCache(`${options.cacheDir}/index/${urlCacheKey(options.indexUrl)}`, this.log);
	}

	/** config.json, fetched once per client (later calls share the answer). */
	fetchConfig(signal?: AbortSignal): Promise<ConfigResult> {
		this.configPromise ??= this.loadConfig(signal).then((result) => {
			// A failure is not remembered, so the next call tries again.
			if (result.status === 'error') this.configPromise = undefined;
			return result;
		});
		return this.configPromise;
	}

	fetchVersions(name: string, signal?: AbortSignal): Promise<VersionsResult> {
		const path = indexPath(name);
		if (!path) return Promise.resolve({ status: 'error', reason: 'bad-name', detail: `\`${name}\` is not a valid crate name` });
		const existing = this.inFlight.get(path);
		if (existing) return existing;
		const pending = this.loadVersions(path, signal).finally(() => this.inFlight.delete(path));
		this.inFlight.set(path, pending);
		void pending.then((result) => {
			if (result.status === 'ok') for (const listener of this.listeners) listener(name.toLowerCase(), result);
		});
		return pending;
	}

	/** Calls `listener` after every good read of any index file; returns the unsubscribe function. */
	onRead(listener: IndexReadListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private async loadConfig(signal: AbortSignal | undefined): Promise<ConfigResult> {
		const cached = await this.readEntry('config.json');
		if (cached && (this.options.http.offline || this.isFresh(cached))) return this.configFrom(cached, 'cache');
		if (cached) {
			// A cached config.json that requires auth saves the unauthenticated probe, as in cargo.
			const previous = parseRegistryConfig(cached.body);
			if (typeof previous !== 'string') this.authRequired ||= previous.authRequired;
		}
		let response = await this.get('config.json', cached, signal);
		if (response.status === 'error' && response.reason === 'http-401' && !this.authRequired && this.options.token) {
			this.log.info(`${this.shownUrl}config.json answered 401; asking again with the registry's token`);
			this.authRequired = true;
			response = await this.get('config.json', cached, signal);
		}
		const entry = await this.settle('config.json', cached, response, (body) => {
			const config = parseRegistryConfig(body);
			return typeof config === 'string' ? `${this.shownUrl}config.json: ${config}` : undefined;
		});
		if ('status' in entry) {
			if (entry.status === 'not-found') return { status: 'error', reason: 'not-found', detail: `${this.shownUrl}config.json not found` };
			this.log.warn(`${this.shownUrl}: ${entry.detail}`);
			return entry;
		}
		return this.configFrom(entry.entry, entry.source, entry.staleBecause);
	}

	private configFrom(entry: CacheEntry, source: Provenance['source'], staleBecause?: string): ConfigResult {
		const config = parseRegistryConfig(entry.body);
		if (typeof config === 'string') return { status: 'error', reason: 'parse', detail: `${this.shownUrl}config.json: ${config}` };
		this.authRequired ||= config.authRequired;
		return { status: 'ok', config, ...this.provenance(entry, source, staleBecause) };
	}

	private async loadVersions(path: string, signal: AbortSignal | undefined): Promise<VersionsResult> {
		const cached = await this.readEntry(path);
		if (cached && (this.options.http.offline || this.isFresh(cached))) return this.versionsFrom(path, cached, 'cache');
		// config.json decides whether the token is needed; without it we still try the file, as a static mirror may lack it.
		// Without a token there is nothing to decide, so the file is asked for alongside config.json rather than behind
		// it: a registry that never answers then costs one round of parallel timeouts, not config.json's retries first.
		const config = this.options.http.offline ? undefined : this.fetchConfig(signal);
		if (this.options.token) await config;
		const response = await this.get(path, cached, signal);
		await config;
		const entry = await this.settle(path, cached, response, (body) => this.notIndexData(path, body, parseIndexFile(body)));
		if ('status' in entry) return entry;
		return this.versionsFrom(path, entry.entry, entry.source, entry.staleBecause);
	}

	/** Why a 200 answer cannot be an index file, or undefined when it is one. */
	private notIndexData(path: string, body: string, parsed: ParsedIndexFile): string | undefined {
		if (parsed.versions.length > 0) return undefined;
		const where = `${this.shownUrl}${path}`;
		if (/^\s*</.test(body)) return `${where} answered with an HTML page (a login or proxy page?), not index data`;
		if (!body.trim()) return `${where} answered with an empty body, not index data`;
		const first = parsed.skipped[0];
		return `${where} holds no usable index line${first ? ` (line ${first.line}: ${first.reason})` : ''}`;
	}

	private versionsFrom(path: string, entry: CacheEntry, source: Provenance['source'], staleBecause?: string): VersionsResult {
		const { versions, skipped } = parseIndexFile(entry.body);
		for (const line of skipped) this.log.warn(`${this.shownUrl}${path}:${line.line}: skipped: ${line.reason}`);
		return { status: 'ok', versions, skipped, ...this.provenance(entry, source, staleBecause) };
	}

	private get(path: string, cached: CacheEntry | undefined, signal: AbortSignal | undefined): Promise<HttpResult> {
		return this.options.http.get(`${this.indexUrl}${path}`, {
			...(cached?.etag ? { etag: cached.etag } : cached?.lastModified ? { lastModified: cached.lastModified } : {}),
			...(this.authRequired && this.options.token ? { token: this.options.token } : {}),
			...(signal ? { signal } : {}),
		});
	}

	/**
	 * Turns a response into the entry to use, updating the disk cache; a failure falls back to the cached copy.
	 * `unusable` says why a 200 body is not what was asked for; such a body counts as a failure and is not cached.
	 */
	private async settle(
		path: string,
		cached: CacheEntry | undefined,
		response: HttpResult,
		unusable: (body: string) => string | undefined,
	): Promise<{ entry: CacheEntry; source: Provenance['source']; staleBecause?: string } | { status: 'not-found' } | { status: 'error'; reason: string; detail: string }> {
		const now = new Date(this.options.timers.now()).toISOString();
		switch (response.status) {
			case 'ok': {
				const body = Buffer.from(response.body).toString('utf8');
				const problem = unusable(body);
				if (problem) {
					if (cached) return { entry: cached, source: 'cache', staleBecause: problem };
					return { status: 'error', reason: 'not-index-data', detail: problem };
				}
				const entry: CacheEntry = { url: response.url, etag: response.etag, lastModified: response.lastModified, fetchedAt: now, body };
				await this.cache.write(`${path}.json`, entry);
				return { entry, source: 'network' };
			}
			case 'not-modified': {
				if (!cached) return { status: 'error', reason: 'protocol', detail: `${this.shownUrl}${path}: 304 without a cached copy` };
				const entry = { ...cached, fetchedAt: now };
				await this.cache.write(`${path}.json`, entry);
				return { entry, source: 'revalidated' };
			}
			case 'not-found':
				await this.cache.remove(`${path}.json`);
				return { status: 'not-found' };
			case 'error':
				if (cached) return { entry: cached, source: 'cache', staleBecause: response.reason };
				return { status: 'error', reason: response.reason, detail: response.detail };
		}
	}

	private async readEntry(path: string): Promise<CacheEntry | undefined> {
		return this.cache.read(`${path}.json`, isCacheEntry);
	}

	private isFresh(entry: CacheEntry): boolean {
		const freshFor = this.options.freshForMs ?? 0;
		return freshFor > 0 && this.ageOf(entry) < freshFor;
	}

	private ageOf(entry: CacheEntry): number {
		return Math.max(0, this.options.timers.now() - Date.parse(entry.fetchedAt));
	}

	private provenance(entry: CacheEntry, source: Provenance['source'], staleBecause: string | undefined): Provenance {
		return { source, fetchedAt: entry.fetchedAt, ageMs: this.ageOf(entry), ...(staleBecause ? { staleBecause } : {}) };
	}
}

/** Every field as written: a wrong type would be sent as a header or turn the data's age into NaN. */
function isCacheEntry(value: unknown): value is CacheEntry {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const entry = value as Record<string, unknown>;
	return (
		typeof entry.body === 'string' &&
		typeof entry.url === 'string' &&
		typeof entry.fetchedAt === 'string' &&
		!Number.isNaN(Date.parse(entry.fetchedAt)) &&
		(entry.etag === undefined || typeof entry.etag === 'string') &&
		(entry.lastModified === undefined || typeof entry.lastModified === 'string')
	);
}
