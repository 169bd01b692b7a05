/**
 * crates.io's web API for what the index lacks: a version's publish time (`created_at`, for index lines without
 * `pubtime`) and who published it (`published_by`, or Trusted Publishing's `trustpub_data`). One request fetches
 * every version of a crate; answers are kept on disk for good, because neither value changes once published.
 * Every request waits for the process-wide limiter (crates.io allows one request per second). Never throws.
 */
import type { HttpClient } from '../http/httpClient';
import type { Logger } from '../log';
import { RateLimiter } from '../http/rateLimiter';
import type { Timers } from '../http/timers';
import { DiskCache, urlCacheKey } from './diskCache';
import { isValidCrateName } from './indexPath';

export const CRATES_IO_API = 'https://crates.io';

export interface CratesApiOptions {
	http: HttpClient;
	/** API base; crates.io's by default (config.json's `api` of a test registry in tests). */
	apiUrl?: string;
	cacheDir: string;
	timers: Timers;
	/** Defaults to the process-wide limiter of one request per second. */
	rateLimiter?: RateLimiter;
	/** Where a damaged cache entry is reported. */
	log?: Logger;
}

export type Publisher =
	/** `id` is crates.io's numeric user id, which cargo-vet's wildcard and trusted entries name (`user-id`). */
	| { kind: 'user'; id?: number; login: string; name: string | undefined }
	| { kind: 'trusted-publishing'; provider: string; repository: string | undefined; sha: string | undefined }
	/** crates.io recorded nobody: versions published before it started to. */
	| { kind: 'unknown' };

export type ApiResult<T> = { status: 'ok'; value: T; fromCache: boolean } | { status: 'not-found' } | { status: 'error'; reason: string; detail: string };

export interface VersionRecord {
	created_at: string;
	publisher: Publisher;
}

interface CrateRecord {
	versions: Record<string, VersionRecord>;
}

let processLimiter: RateLimiter | undefined;

/** The limiter every CratesApi shares unless given another: the whole process stays under crates.io's limit. */
export function cratesIoRateLimiter(timers: Timers): RateLimiter {
	processLimiter ??= new RateLimiter({ requests: 1, intervalMs: 1000, timers });
	return processLimiter;
}

export class CratesApi {
	private readonly apiUrl: string;
	private readonly cache: DiskCache;
	private readonly limiter: RateLimiter;
	/** One download per crate per process: a version still missing afterwards is not asked for again. */
	private readonly downloads = new Map<string, Promise<ApiResult<CrateRecord>>>();

	constructor(private readonly options: CratesApiOptions) {
		this.apiUrl = (options.apiUrl ?? CRATES_IO_API).replace(/\/+$/, '');
		this.cache = new DiskCache(`${options.cacheDir}/crates-api/${urlCacheKey(this.apiUrl)}`, options.log);
		this.limiter = options.rateLimiter ?? cratesIoRateLimiter(options.timers);
	}

	/** When the version was published (`created_at`, ISO 8601). */
	async publishTime(name: string, version: string, signal?: AbortSignal): Promise<ApiResult<string>> {
		return map(await this.version(name, version, signal), (record) => record.created_at);
	}

	async publisher(name: string, version: string, signal?: AbortSignal): Promise<ApiResult<Publisher>> {
		return map(await this.version(name, version, signal), (record) => record.publisher);
	}

	/**
	 * Every version crates.io listed at the last download, with its publish time and publisher: the disk cache when
	 * it has all of `wanted`, else one download (once per process), so a version published since is not missed.
	 */
	async versions(name: string, wanted: readonly string[], signal?: AbortSignal): Promise<ApiResult<ReadonlyMap<string, VersionRecord>>> {
		return map(await this.crate(name, wanted, signal), (record) => new Map(Object.entries(record.versions)));
	}

	private async version(name: string, version: string, signal: AbortSignal | undefined): Promise<ApiResult<VersionRecord>> {
		const result = await this.crate(name, [version], signal);
		if (result.status !== 'ok') return result;
		const record = ownValue(result.value.versions, version);
		return record ? { status: 'ok', value: record, fromCache: result.fromCache } : { status: 'not-found' };
	}

	private async crate(name: string, wanted: readonly string[], signal: AbortSignal | undefined): Promise<ApiResult<CrateRecord>> {
		if (!isValidCrateName(name)) return { status: 'error', reason: 'bad-name', detail: `\`${name}\` is not a valid crate name` };
		const key = `${name.toLowerCase()}.json`;
		const cached = await this.cache.read(key, isCrateRecord);
		if (cached && wanted.every((version) => ownValue(cached.versions, version))) return { status: 'ok', value: cached, fromCache: true };
		let download = this.downloads.get(key);
		if (!download) {
			download = this.download(name, key, signal);
			this.downloads.set(key, download);
			// A failed download may be retried by a later call; a successful one is final for this process.
			void download.then((result) => result.status === 'error' && this.downloads.delete(key));
		}
		return download;
	}

	private async download(name: string, key: string, signal: AbortSignal | undefined): Promise<ApiResult<CrateRecord>> {
		const url = `${this.apiUrl}/api/v1/crates/${encodeURIComponent(name)}/versions`;
		const response = await this.options.http.get(url, { rateLimiter: this.limiter, headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
		if (response.status === 'not-found') return { status: 'not-found' };
		if (response.status === 'not-modified') return { status: 'error', reason: 'protocol', detail: `${url}: unexpected 304` };
		if (response.status === 'error') return { status: 'error', reason: response.reason, detail: response.detail };
		const record = parseVersions(Buffer.from(response.body).toString('utf8'));
		if (typeof record === 'string') return { status: 'error', reason: 'parse', detail: `${url}: ${record}` };
		const previous = await this.cache.read(key, isCrateRecord);
		await this.cache.write(key, { versions: { ...previous?.versions, ...record.versions } });
		return { status: 'ok', value: record, fromCache: false };
	}
}

/** `/api/v1/crates/NAME/versions`: `{ versions: [{ num, created_at, published_by, trustpub_data }], meta }`. */
export function parseVersions(text: string): CrateRecord | string {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return `not JSON: ${(error as Error).message}`;
	}
	const list = isRecord(value) ? value.versions : undefined;
	if (!Array.isArray(list)) return 'no `versions` array';
	const versions: Record<string, VersionRecord> = {};
	for (const item of list) {
		if (!isRecord(item) || typeof item.num !== 'string' || typeof item.created_at !== 'string') continue;
		if (item.num === '__proto__' || Number.isNaN(Date.parse(item.created_at))) continue;
		versions[item.num] = { created_at: item.created_at, publisher: publisherOf(item) };
	}
	return { versions };
}

/** Trusted Publishing leaves `published_by` null and fills `trustpub_data` instead. */
function publisherOf(item: Record<string, unknown>): Publisher {
	const user = item.published_by;
	if (isRecord(user) && typeof user.login === 'string') {
		const id = isUserId(user.id) ? { id: user.id } : {};
		return { kind: 'user', ...id, login: user.login, name: typeof user.name === 'string' ? user.name : undefined };
	}
	const trustpub = item.trustpub_data;
	if (isRecord(trustpub) && typeof trustpub.provider === 'string') {
		const repository = typeof trustpub.repository === 'string' ? trustpub.repository : typeof trustpub.project_path === 'string' ? trustpub.project_path : undefined;
		return { kind: 'trusted-publishing', provider: trustpub.provider, repository, sha: typeof trustpub.sha === 'string' ? trustpub.sha : undefined };
	}
	return { kind: 'unknown' };
}

function map<T, U>(result: ApiResult<T>, f: (value: T) => U): ApiResult<U> {
	return result.status === 'ok' ? { status: 'ok', value: f(result.value), fromCache: result.fromCache } : result;
}

/** A version's record only if the object has it itself: `constructor` or `toString` are no versions. */
function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
	return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The whole file, every version as `parseVersions` writes it: one bad entry discards the file, which is fetched again. */
function isCrateRecord(value: unknown): value is CrateRecord {
	return isRecord(value) && isRecord(value.versions) && Object.values(value.versions).every(isVersionRecord);
}

function isVersionRecord(value: unknown): value is VersionRecord {
	return isRecord(value) && typeof value.created_at === 'string' && !Number.isNaN(Date.parse(value.created_at)) && isPublisher(value.publisher);
}

function isPublisher(value: unknown): value is Publisher {
	if (!isRecord(value)) return false;
	const optionalString = (key: string) => value[key] === undefined || typeof value[key] === 'string';
	switch (value.kind) {
		case 'user':
			return typeof value.login === 'string' && optionalString('name') && (value.id === undefined || isUserId(value.id));
		case 'trusted-publishing':
			return typeof value.provider === 'string' && optionalString('repository') && optionalString('sha');
		case 'unknown':
			return true;
		default:
			return false;
	}
}

/** crates.io user ids are positive integers; anything else is no id (a login alone still names the publisher). */
function isUserId(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
