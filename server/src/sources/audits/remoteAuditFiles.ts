/**
 * audits.toml files fetched from URLs (`cargoTrust.audits.sources` entries, and the store's `[imports]` URLs when
 * `cargoTrust.audits.fetchImports` is on), through the one HTTP layer, kept in our cache and revalidated with their
 * ETag. Requests never wait on the network: `peek` answers from memory or the disk cache and starts a revalidation
 * in the background (`onChanged` re-analyses when a new copy lands); the CLI `settle`s before its final analysis.
 * Offline, failing or serving garbage: the cached copy is used and a note says so; without one, a note says the
 * source is not used. Never throws, and never turns a failure into "vetted".
 */
import { parseAuditsToml } from '../../engine/audits/parseAuditsToml';
import { DiskCache, urlCacheKey } from '../cratesIndex/diskCache';
import type { HttpClient } from '../http/httpClient';
import { redactUrl } from '../http/redactUrl';
import { type Logger, silentLogger } from '../log';

/** The text to use (undefined: none), and a note when it is not a fresh copy or nothing could be had. */
export interface RemoteText {
	text: string | undefined;
	note: string | undefined;
}

interface CacheEntry {
	url: string;
	etag: string | undefined;
	fetchedAt: string;
	text: string;
}

interface State {
	entry: CacheEntry | undefined;
	/** Why the entry is not a fresh copy (or why there is none); undefined when the last fetch succeeded. */
	problem: string | undefined;
	checkedAtMs: number | undefined;
}

export interface RemoteAuditFilesOptions {
	http: HttpClient;
	cacheDir: string;
	now: () => Date;
	onChanged: () => void;
	log?: Logger;
	/** How long a fetched copy is used before it is revalidated (default 30 minutes, as index facts). */
	ttlMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `https://`, or plain `http://` on loopback only (our tests' server). */
export function fetchableUrl(url: string): boolean {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
	} catch {
		return false;
	}
}

function isCacheEntry(value: unknown): value is CacheEntry {
	const entry = value as CacheEntry;
	return typeof entry === 'object' && entry !== null && typeof entry.url === 'string' && typeof entry.text === 'string' && typeof entry.fetchedAt === 'string' && (entry.etag === undefined || typeof entry.etag === 'string');
}

/** Why a body is not an audits.toml, or undefined when it is one (an empty file is one; a page of HTML is not). */
function garbageReason(body: Uint8Array): string | undefined {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		return 'it is not UTF-8 text';
	}
	const parsed = parseAuditsToml(text);
	const file = parsed.value;
	const entries = file.criteria.size + file.audits.size + file.wildcardAudits.size + file.trusted.size;
	if (parsed.problems.length && entries === 0) return `it is not an audits.toml (${parsed.problems[0]!.message})`;
	return undefined;
}

export class RemoteAuditFiles {
	private readonly cache: DiskCache;
	private readonly states = new Map<string, State>();
	private readonly inflight = new Map<string, Promise<void>>();
	private landed = 0;

	constructor(private readonly options: RemoteAuditFilesOptions) {
		this.cache = new DiskCache(`${options.cacheDir}/audit-sources`, options.log ?? silentLogger);
	}

	/** What is known about `url` now; starts a revalidation when its copy is older than the TTL. */
	async peek(url: string): Promise<RemoteText> {
		if (!fetchableUrl(url)) return { text: undefined, note: `audit source ${redactUrl(url)} is not an https:// URL, so it is not fetched or used` };
		let state = this.states.get(url);
		if (!state) {
			state = { entry: await this.cache.read(`${urlCacheKey(url)}.json`, isCacheEntry), problem: undefined, checkedAtMs: undefined };
			this.states.set(url, state);
		}
		const ttl = this.options.ttlMs ?? 30 * 60_000;
		if (state.checkedAtMs === undefined || this.options.now().getTime() - state.checkedAtMs >= ttl) this.revalidate(url, state);
		return this.describe(url, state);
	}

	/** Changes whenever what some URL answers changes: part of the audit data's cache key. */
	version(): number {
		return this.landed;
	}

	/** Whether a fetch is in flight. */
	get fetching(): boolean {
		return this.inflight.size > 0;
	}

	/** Waits for every fetch in flight (the CLI, before its final analysis). */
	async settle(): Promise<void> {
		while (this.inflight.size) await Promise.all(this.inflight.values());
	}

	private describe(url: string, state: State): RemoteText {
		const name = redactUrl(url);
		if (state.problem === undefined) return state.entry ? { text: state.entry.text, note: undefined } : { text: undefined, note: `audit source ${name}: not fetched yet, so it is not used yet` };
		if (state.entry) return { text: state.entry.text, note: `audit source ${name}: ${state.problem}; using the copy fetched ${state.entry.fetchedAt.slice(0, 10)}` };
		return { text: undefined, note: `audit source ${name}: ${state.problem}, and there is no cached copy, so it is not used` };
	}

	private revalidate(url: string, state: State): void {
		if (this.inflight.has(url)) return;
		state.checkedAtMs = this.options.now().getTime();
		const run = this.fetch(url, state).finally(() => this.inflight.delete(url));
		this.inflight.set(url, run);
	}

	private async fetch(url: string, state: State): Promise<void> {
		const before = JSON.stringify(this.describe(url, state));
		const response = await this.options.http.get(url, state.entry?.etag ? { etag: state.entry.etag } : {});
		if (response.status === 'ok') {
			const garbage = garbageReason(response.body);
			if (garbage) {
				state.problem = `the server sent something unusable (${garbage})`;
			} else {
				state.entry = { url, etag: response.etag, fetchedAt: this.options.now().toISOString(), text: new TextDecoder().decode(response.body) };
				state.problem = undefined;
				await this.cache.write(`${urlCacheKey(url)}.json`, state.entry);
			}
		} else if (response.status === 'not-modified') {
			state.problem = undefined;
		} else if (response.status === 'not-found') {
			state.problem = `not found (HTTP ${response.httpStatus})`;
		} else {
			state.problem = response.reason === 'offline' ? 'offline' : `could not be fetched (${response.detail})`;
		}
		if (JSON.stringify(this.describe(url, state)) !== before) {
			this.landed++;
			this.options.onChanged();
		}
	}
}
