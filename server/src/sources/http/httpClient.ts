/**
 * The one HTTP layer of the project (undici): keep-alive connections, a bound on parallel requests,
 * timeouts, retries with backoff, Retry-After, proxies, extra CA certificates, a response size cap,
 * offline mode and conditional requests. It never throws: every failure is a value with a reason.
 * It knows nothing of registries; callers decide which URL may receive a token.
 *
 * Nothing may hold a run for long: each attempt has a total deadline (headers and body, so a server that drips
 * a byte at a time is cut off), a host that times out several times in a row gets no more requests (a circuit
 * breaker), and an optional budget bounds the client's whole network time.
 */
import { rootCertificates } from 'node:tls';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import { type ProxySettings, selectProxy } from './proxySelection';
import type { RateLimiter } from './rateLimiter';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retryPolicy';
import { CircuitBreaker, type Outcome } from './circuitBreaker';
import { redactUrl, redactUrlsIn } from './redactUrl';
import { Semaphore } from './semaphore';
import type { Timers } from './timers';

export interface HttpClientOptions {
	userAgent: string;
	timers: Timers;
	/** Connect, first-byte and idle-body timeout of one attempt (cargo's `http.timeout`, default 30 s). */
	timeoutMs?: number;
	/** Requests in flight at once across all hosts; also the keep-alive connections kept per host. */
	maxParallel?: number;
	/** Further attempts after the first on 5xx, 429 and network failures (cargo's `net.retry`, default 3). */
	retries?: number;
	/** Longest Retry-After we wait for; a server asking for more gets an error instead of a wait. */
	maxRetryAfterMs?: number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
	/** Jitter source in [0, 1); injectable so tests are deterministic. */
	random?: () => number;
	offline?: boolean;
	proxy?: ProxySettings;
	/** PEM certificates trusted in addition to Node's bundled roots (cargo's `http.cainfo`). */
	extraCaPem?: string;
	/** Largest body accepted, after decompression. */
	maxResponseBytes?: number;
	/** Total time one attempt may take, headers and body together; default four times `timeoutMs`. */
	attemptDeadlineMs?: number;
	/** Timeouts in a row after which a host gets no more requests (default 3). */
	breakerThreshold?: number;
	/** How long a tripped host is left alone (default 10 minutes, longer than a CLI run). */
	breakerCooldownMs?: number;
	/** Total time from the first request after which every request fails at once; unbounded when absent. */
	budgetMs?: number;
}

export interface GetOptions {
	/** Sends If-None-Match. */
	etag?: string;
	/** Sends If-Modified-Since. */
	lastModified?: string;
	headers?: Record<string, string>;
	signal?: AbortSignal;
	/** Sent as `Authorization` to this URL's origin only; dropped when a redirect leaves that origin. */
	token?: string;
	/** Every attempt, retries included, waits for this limiter first. */
	rateLimiter?: RateLimiter;
}

export type HttpErrorReason =
	| 'offline'
	| 'timeout'
	| 'network'
	| 'truncated'
	| 'too-large'
	| 'aborted'
	| 'tls'
	| 'proxy'
	| 'unsupported'
	| 'decode'
	| 'redirect'
	| 'bad-url'
	| 'circuit-open'
	| 'budget'
	| `http-${number}`;

export type HttpResult =
	| { status: 'ok'; body: Uint8Array; etag: string | undefined; lastModified: string | undefined; url: string }
	| { status: 'not-modified' }
	| { status: 'not-found'; httpStatus: number }
	| { status: 'error'; reason: HttpErrorReason; detail: string; retryAfterMs?: number };

/** One attempt's outcome before the retry decision. */
type Attempt =
	| { kind: 'final'; result: HttpResult }
	| { kind: 'redirect'; location: URL }
	| { kind: 'retry'; result: HttpResult & { status: 'error' }; retryAfterMs: number | undefined };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export class HttpClient {
	readonly offline: boolean;
	private readonly semaphore: Semaphore;
	private readonly direct: Agent;
	private readonly proxies = new Map<string, ProxyAgent>();
	private readonly ca: string[] | undefined;
	private readonly timeoutMs: number;
	private readonly maxParallel: number;
	private readonly attemptDeadlineMs: number;
	private readonly breaker: CircuitBreaker;
	/** Aborts every request once the run's budget is spent; started by the first request. */
	private readonly budget = new AbortController();
	private cancelBudget: (() => void) | undefined;

	constructor(private readonly options: HttpClientOptions) {
		this.offline = options.offline ?? false;
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.attemptDeadlineMs = options.attemptDeadlineMs ?? 4 * this.timeoutMs;
		this.breaker = new CircuitBreaker({ threshold: options.breakerThreshold ?? 3, cooldownMs: options.breakerCooldownMs ?? 600_000, now: () => options.timers.now() });
		this.maxParallel = Math.max(1, options.maxParallel ?? 8);
		this.semaphore = new Semaphore(this.maxParallel);
		this.ca = options.extraCaPem ? [...rootCertificates, options.extraCaPem] : undefined;
		this.direct = new Agent({
			connections: this.maxParallel,
			keepAliveTimeout: 30_000,
			connect: { timeout: this.timeoutMs, ...(this.ca ? { ca: this.ca } : {}) },
		});
	}

	async get(url: string, options: GetOptions = {}): Promise<HttpResult> {
		if (this.offline) return { status: 'error', reason: 'offline', detail: 'offline mode (net.offline): no request sent' };
		let current: URL;
		try {
			current = new URL(url);
		} catch {
			return { status: 'error', reason: 'bad-url', detail: `not a URL: ${redactUrl(url)}` };
		}
		this.startBudget();
		const originalOrigin = current.origin;
		// Once a redirect has left the token's origin, coming back does not earn it back.
		let tokenAllowed = true;
		const retries = Math.max(0, this.options.retries ?? 3);
		let redirects = 0;
		let failures = 0;
		for (;;) {
			if (options.signal?.aborted) return aborted();
			tokenAllowed &&= current.origin === originalOrigin;
			const token = tokenAllowed ? options.token : undefined;
			const attempt = await this.attempt(current, options, token);
			if (attempt.kind === 'final') return attempt.result;
			if (attempt.kind === 'redirect') {
				if (++redirects > MAX_REDIRECTS) return { status: 'error', reason: 'redirect', detail: `more than ${MAX_REDIRECTS} redirects from ${redactUrl(url)}` };
				current = attempt.location;
				continue;
			}
			if (failures >= retries) return attempt.result;
			const maxRetryAfter = this.options.maxRetryAfterMs ?? 60_000;
			if (attempt.retryAfterMs !== undefined && attempt.retryAfterMs > maxRetryAfter) {
				// Honouring the server means not asking again before it said we may; we give up instead.
				return { ...attempt.result, retryAfterMs: attempt.retryAfterMs };
			}
			const wait =
				attempt.retryAfterMs ??
				backoffDelay(failures, this.options.random ?? Math.random, this.options.backoffBaseMs ?? 500, this.options.backoffMaxMs ?? 10_000);
			failures++;
			try {
				await this.options.timers.sleep(wait, options.signal);
			} catch {
				return aborted();
			}
		}
	}

	/** Closes every pooled connection; the client must not be used afterwards. */
	async close(): Promise<void> {
		this.cancelBudget?.();
		await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
	}

	private async attempt(url: URL, options: GetOptions, token: string | undefined): Promise<Attempt> {
		const dispatcher = this.dispatcherFor(url);
		if ('error' in dispatcher) return { kind: 'final', result: { status: 'error', reason: 'unsupported', detail: dispatcher.error } };
		try {
			await options.rateLimiter?.acquire(options.signal);
		} catch {
			return { kind: 'final', result: aborted() };
		}
		let release: () => void;
		try {
			release = await this.semaphore.acquire(options.signal);
		} catch {
			return { kind: 'final', result: aborted() };
		}
		// Checked after the wait for a permit: the host may have tripped the breaker while this request queued.
		const refusal = this.refusal(url);
		if (refusal) {
			release();
			return { kind: 'final', result: refusal };
		}
		// One signal ends the attempt for any of: the caller, the attempt's deadline, the run's budget.
		const deadline = new AbortController();
		const cancelDeadline = this.options.timers.deadline(this.attemptDeadlineMs, () => deadline.abort());
		const signals = [deadline.signal, this.budget.signal, ...(options.signal ? [options.signal] : [])];
		try {
			const attempt = await this.send(url, { ...options, signal: AbortSignal.any(signals) }, token, dispatcher.dispatcher);
			const result = this.cutOff(attempt, url, options.signal, deadline.signal);
			this.breaker.record(url.origin, outcomeOf(result));
			return result;
		} finally {
			cancelDeadline();
			release();
		}
	}

	/** Why no request may go to this URL now, if one may not. */
	private refusal(url: URL): HttpResult | undefined {
		if (this.budget.signal.aborted) return { status: 'error', reason: 'budget', detail: this.budgetDetail() };
		const open = this.breaker.openFor(url.origin);
		if (open) return { status: 'error', reason: 'circuit-open', detail: `${redactUrl(url.origin)} timed out ${open.timeouts} times in a row; no more requests are sent to it for now` };
		return undefined;
	}

	/** An attempt our own deadline or budget aborted is a timeout (the budget's final), not the caller's abort. */
	private cutOff(attempt: Attempt, url: URL, callerSignal: AbortSignal | undefined, deadline: AbortSignal): Attempt {
		if (callerSignal?.aborted || attempt.kind !== 'final' || attempt.result.status !== 'error' || attempt.result.reason !== 'aborted') return attempt;
		if (this.budget.signal.aborted) return { kind: 'final', result: { status: 'error', reason: 'budget', detail: this.budgetDetail() } };
		if (deadline.aborted) {
			const detail = `no complete answer from ${redactUrl(url.href)} within ${this.attemptDeadlineMs} ms (headers and body)`;
			return { kind: 'retry', result: { status: 'error', reason: 'timeout', detail }, retryAfterMs: undefined };
		}
		return attempt;
	}

	private startBudget(): void {
		if (this.options.budgetMs === undefined || this.cancelBudget) return;
		this.cancelBudget = this.options.timers.deadline(this.options.budgetMs, () => this.budget.abort());
	}

	private budgetDetail(): string {
		return `the network time budget of this run (${Math.round((this.options.budgetMs ?? 0) / 1000)} s) is used up`;
	}

	private async send(url: URL, options: GetOptions, token: string | undefined, dispatcher: Dispatcher): Promise<Attempt> {
		const headers: Record<string, string> = {
			'user-agent': this.options.userAgent,
			'accept-encoding': 'gzip, br, deflate',
			...options.headers,
		};
		if (options.etag) headers['if-none-match'] = options.etag;
		if (options.lastModified) headers['if-modified-since'] = options.lastModified;
		if (token) headers.authorization = token;
		let response: Dispatcher.ResponseData;
		try {
			response = await request(url, {
				method: 'GET',
				headers,
				dispatcher,
				signal: options.signal,
				headersTimeout: this.timeoutMs,
				bodyTimeout: this.timeoutMs,
			});
		} catch (error) {
			return this.failure(error, options.signal, false);
		}
		const status = response.statusCode;
		if (status === 304) {
			await discard(response);
			return { kind: 'final', result: { status: 'not-modified' } };
		}
		if (REDIRECTS.has(status)) {
			await discard(response);
			const location = header(response, 'location');
			if (!location) return { kind: 'final', result: { status: 'error', reason: 'redirect', detail: `HTTP ${status} without Location from ${redactUrl(url.href)}` } };
			try {
				return { kind: 'redirect', location: new URL(location, url) };
			} catch {
				return { kind: 'final', result: { status: 'error', reason: 'redirect', detail: `bad Location \`${redactUrl(location)}\` from ${redactUrl(url.href)}` } };
			}
		}
		if (status === 404 || status === 410 || status === 451) {
			await discard(response);
			return { kind: 'final', result: { status: 'not-found', httpStatus: status } };
		}
		if (status < 200 || status > 299) {
			await discard(response);
			const result = { status: 'error', reason: `http-${status}`, detail: `HTTP ${status} from ${redactUrl(url.href)}` } as const;
			if (!isRetryableStatus(status)) return { kind: 'final', result };
			const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header(response, 'retry-after'), this.options.timers.now()) : undefined;
			return { kind: 'retry', result, retryAfterMs };
		}
		const body = await this.readBody(response, url, options.signal);
		if ('kind' in body) return body;
		return {
			kind: 'final',
			result: { status: 'ok', body, etag: header(response, 'etag'), lastModified: header(response, 'last-modified'), url: url.href },
		};
	}

	private async readBody(response: Dispatcher.ResponseData, url: URL, signal: AbortSignal | undefined): Promise<Uint8Array | Attempt> {
		const limit = this.options.maxResponseBytes ?? 64 * 1024 * 1024;
		const tooLarge: Attempt = { kind: 'final', result: { status: 'error', reason: 'too-large', detail: `response from ${redactUrl(url.href)} is larger than ${limit} bytes` } };
		const declared = Number(header(response, 'content-length'));
		if (Number.isFinite(declared) && declared > limit) {
			abandon(response);
			return tooLarge;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		try {
			for await (const chunk of response.body) {
				const buffer = chunk as Buffer;
				size += buffer.length;
				if (size > limit) {
					abandon(response);
					return tooLarge;
				}
				chunks.push(buffer);
			}
		} catch (error) {
			return this.failure(error, signal, true);
		}
		const raw = Buffer.concat(chunks);
		const encoding = (header(response, 'content-encoding') ?? 'identity').toLowerCase().trim();
		try {
			if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw, { maxOutputLength: limit });
			if (encoding === 'br') return brotliDecompressSync(raw, { maxOutputLength: limit });
			if (encoding === 'deflate') return inflateSync(raw, { maxOutputLength: limit });
		} catch (error) {
			if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
			return { kind: 'final', result: { status: 'error', reason: 'decode', detail: `cannot decode ${encoding} body from ${redactUrl(url.href)}: ${message(error)}` } };
		}
		if (encoding !== 'identity') {
			return { kind: 'final', result: { status: 'error', reason: 'decode', detail: `unsupported content-encoding \`${encoding}\` from ${redactUrl(url.href)}` } };
		}
		return raw;
	}

	/** Classifies a thrown undici/Node error; network trouble and timeouts are worth a retry, TLS and proxy refusals are not. */
	private failure(error: unknown, signal: AbortSignal | undefined, duringBody: boolean): Attempt {
		if (signal?.aborted) return { kind: 'final', result: aborted() };
		const code = errorCode(error);
		const detail = message(error);
		if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
			return { kind: 'retry', result: { status: 'error', reason: 'timeout', detail: `timed out after ${this.timeoutMs} ms: ${detail}` }, retryAfterMs: undefined };
		}
		if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
			return { kind: 'final', result: { status: 'error', reason: 'tls', detail } };
		}
		if (/Proxy response/.test(detail) || code === 'UND_ERR_PRX_TLS') {
			return { kind: 'final', result: { status: 'error', reason: 'proxy', detail } };
		}
		const reason = duringBody ? 'truncated' : 'network';
		return { kind: 'retry', result: { status: 'error', reason, detail }, retryAfterMs: undefined };
	}

	private dispatcherFor(url: URL): { dispatcher: Dispatcher } | { error: string } {
		const choice = selectProxy(url, this.options.proxy ?? {});
		if (choice.kind === 'direct') return { dispatcher: this.direct };
		if (choice.kind === 'error') return { error: choice.detail };
		const key = choice.url.href;
		let agent = this.proxies.get(key);
		if (!agent) {
			agent = new ProxyAgent({
				uri: key,
				// libcurl sends plain-http requests to an http proxy in absolute form and tunnels only https.
				proxyTunnel: false,
				connections: this.maxParallel,
				keepAliveTimeout: 30_000,
				...(this.ca ? { requestTls: { ca: this.ca }, proxyTls: { ca: this.ca } } : {}),
			});
			this.proxies.set(key, agent);
		}
		return { dispatcher: agent };
	}
}

/** What an attempt says about its host's health: any HTTP answer counts as alive, whatever its status. */
function outcomeOf(attempt: Attempt): Outcome {
	if (attempt.kind === 'redirect') return 'answer';
	const result = attempt.result;
	if (result.status !== 'error') return 'answer';
	if (result.reason === 'timeout') return 'timeout';
	return result.reason.startsWith('http-') ? 'answer' : 'other';
}

function aborted(): HttpResult {
	return { status: 'error', reason: 'aborted', detail: 'request aborted' };
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
	const value = response.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

async function discard(response: Dispatcher.ResponseData): Promise<void> {
	try {
		await response.body.dump();
	} catch {
		// The status is all we need; a broken body of an error response changes nothing.
	}
}

/** Stops reading a body; undici reports the abort as a stream error, which nobody is listening for any more. */
function abandon(response: Dispatcher.ResponseData): void {
	response.body.on('error', () => undefined);
	response.body.destroy();
}

function errorCode(error: unknown): string {
	const own = (error as { code?: unknown } | undefined)?.code;
	if (typeof own === 'string') return own;
	const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
	return typeof cause === 'string' ? cause : '';
}

function message(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	const cause = (error as { cause?: unknown } | undefined)?.cause;
	return redactUrlsIn(cause instanceof Error && cause.message && !text.includes(cause.message) ? `${text} (${cause.message})` : text);
}
