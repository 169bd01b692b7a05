/**
 * The HTTP layer against a real server on 127.0.0.1: conditional requests, retries and backoff, Retry-After,
 * timeouts, truncated bodies, size cap, offline, proxies and extra CA certificates. Waits are measured on a fake
 * clock (recorded sleeps), never on the wall clock; the only real-time waits are timeouts far shorter than the
 * server's delay.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HttpClient, type HttpClientOptions, type HttpResult } from '../../../server/src/sources/http/httpClient';
import { matchesNoProxy, parseProxyUrl, proxySettingsFromEnv, selectProxy } from '../../../server/src/sources/http/proxySelection';
import { RateLimiter } from '../../../server/src/sources/http/rateLimiter';
import { backoffDelay, parseRetryAfter } from '../../../server/src/sources/http/retryPolicy';
import { formatUserAgent } from '../../../server/src/sources/http/userAgent';
import { fakeTimers } from '../../support/fakeTimers';
import { ProxyServer } from '../../support/proxyServer';
import { type FakeCrate, RegistryServer } from '../../support/registryServer';
import { TEST_CA_PEM, TEST_SERVER_CERT_PEM, TEST_SERVER_KEY_PEM } from '../../support/testCertificate';

const UA = formatUserAgent('0.1.0', 'https://github.com/cargo-trust/cargo-trust');
const crates: FakeCrate[] = [{ name: 'serde', versions: [{ vers: '1.0.0' }, { vers: '1.0.1', pubtime: '2024-05-01T10:00:00Z' }] }];

function client(overrides: Partial<HttpClientOptions> = {}): HttpClient {
	return new HttpClient({ userAgent: UA, timers: fakeTimers(), random: () => 0, timeoutMs: 5_000, ...overrides });
}

function text(result: HttpResult): string {
	assert.equal(result.status, 'ok', JSON.stringify(result));
	return result.status === 'ok' ? Buffer.from(result.body).toString('utf8') : '';
}

describe('HttpClient', () => {
	let server: RegistryServer;
	const clients: HttpClient[] = [];
	const make = (overrides: Partial<HttpClientOptions> = {}): HttpClient => {
		const made = client(overrides);
		clients.push(made);
		return made;
	};

	before(async () => {
		server = await RegistryServer.start({ crates, gzip: true });
	});
	beforeEach(() => server.clearFaults());
	after(async () => {
		await Promise.all(clients.map((made) => made.close()));
		await server.close();
	});

	test('fetches a body with its validators and sends our User-Agent', async () => {
		const result = await make().get(`${server.indexUrl}se/rd/serde`);
		assert.match(text(result), /"vers":"1.0.1"/);
		assert.ok(result.status === 'ok' && result.etag && result.lastModified);
		assert.equal(server.requests.at(-1)?.headers['user-agent'], 'cargo-trust/0.1.0 (https://github.com/cargo-trust/cargo-trust)');
	});

	test('decodes a gzip body the server chose to compress', async () => {
		const result = await make().get(`${server.indexUrl}se/rd/serde`);
		assert.match(text(result), /^\{"name":"serde"/);
	});

	test('revalidates with If-None-Match and If-Modified-Since (304)', async () => {
		const http = make();
		const first = await http.get(`${server.indexUrl}se/rd/serde`);
		assert.ok(first.status === 'ok');
		assert.deepEqual(await http.get(`${server.indexUrl}se/rd/serde`, { etag: first.etag }), { status: 'not-modified' });
		assert.equal(server.requests.at(-1)?.headers['if-none-match'], first.etag);
		assert.deepEqual(await http.get(`${server.indexUrl}se/rd/serde`, { lastModified: first.lastModified }), { status: 'not-modified' });
		assert.equal(server.requests.at(-1)?.headers['if-modified-since'], first.lastModified);
	});

	test('404 is not-found, not an error', async () => {
		assert.deepEqual(await make().get(`${server.indexUrl}no/su/nosuchcrate`), { status: 'not-found', httpStatus: 404 });
	});

	test('retries a 500 with exponential backoff, then succeeds', async () => {
		server.fault({ kind: 'status-500', path: '/index/se/', times: 2 });
		const timers = fakeTimers();
		const before = server.count('/index/se/');
		const result = await make({ timers, random: () => 0.5 }).get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status, 'ok');
		assert.equal(server.count('/index/se/') - before, 3);
		// base 500 ms · 2^attempt, plus half a base of jitter from the injected random.
		assert.deepEqual(timers.sleeps, [750, 1250]);
	});

	test('gives up after the configured retries with the last status', async () => {
		server.fault({ kind: 'status-500', path: '/index/se/' });
		const before = server.count('/index/se/');
		const result = await make({ retries: 2 }).get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status === 'error' && result.reason, 'http-500');
		assert.equal(server.count('/index/se/') - before, 3);
	});

	test('a 4xx other than 404/410/451 is not retried', async () => {
		server.fault({ kind: 'status-401', path: '/index/se/', times: 1 });
		const before = server.count('/index/se/');
		const result = await make().get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status === 'error' && result.reason, 'http-401');
		assert.equal(server.count('/index/se/') - before, 1);
	});

	test('honours Retry-After in seconds on 429', async () => {
		server.fault({ kind: 'status-429', path: '/index/se/', times: 1, retryAfter: '3' });
		const timers = fakeTimers();
		assert.equal((await make({ timers }).get(`${server.indexUrl}se/rd/serde`)).status, 'ok');
		assert.deepEqual(timers.sleeps, [3000]);
	});

	test('honours Retry-After as an HTTP date, against the injected clock', async () => {
		const timers = fakeTimers(Date.UTC(2026, 0, 1, 12, 0, 0));
		server.fault({ kind: 'status-429', path: '/index/se/', times: 1, retryAfter: new Date(Date.UTC(2026, 0, 1, 12, 0, 7)).toUTCString() });
		assert.equal((await make({ timers }).get(`${server.indexUrl}se/rd/serde`)).status, 'ok');
		assert.deepEqual(timers.sleeps, [7000]);
	});

	test('a Retry-After beyond the cap is an error at once, not a long wait', async () => {
		server.fault({ kind: 'status-429', path: '/index/se/', times: 1, retryAfter: '3600' });
		const timers = fakeTimers();
		const before = server.count('/index/se/');
		const result = await make({ timers, maxRetryAfterMs: 60_000 }).get(`${server.indexUrl}se/rd/serde`);
		assert.deepEqual(result.status === 'error' && [result.reason, result.retryAfterMs], ['http-429', 3_600_000]);
		assert.deepEqual(timers.sleeps, []);
		assert.equal(server.count('/index/se/') - before, 1);
	});

	test('a response slower than the timeout fails with `timeout`, after its retries', async () => {
		server.fault({ kind: 'delay', path: '/index/se/', delayMs: 20_000 });
		const before = server.count('/index/se/');
		const result = await make({ timeoutMs: 150, retries: 1 }).get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status === 'error' && result.reason, 'timeout');
		assert.equal(server.count('/index/se/') - before, 2);
	});

	test('a body that stalls half way times out', async () => {
		server.fault({ kind: 'stall-body', path: '/index/se/' });
		const result = await make({ timeoutMs: 150, retries: 0 }).get(`${server.indexUrl}se/rd/serde`, { headers: { 'accept-encoding': 'identity' } });
		assert.equal(result.status === 'error' && result.reason, 'timeout');
	});

	test('a truncated body is retried, and reported as `truncated` when it persists', async () => {
		server.fault({ kind: 'truncate', path: '/index/se/', times: 1 });
		assert.match(text(await make().get(`${server.indexUrl}se/rd/serde`)), /1\.0\.1/);
		server.fault({ kind: 'truncate', path: '/index/se/' });
		const result = await make({ retries: 1 }).get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status === 'error' && result.reason, 'truncated');
	});

	test('a server that drips a byte at a time is cut off by the attempt deadline, not only an idle timeout', { timeout: 20_000 }, async () => {
		server.fault({ kind: 'drip', path: '/index/se/', dripMs: 20 });
		const timers = fakeTimers();
		const before = server.count('/index/se/');
		// The idle timeout (5 s) never fires while bytes keep coming; only the total deadline can end this.
		const pending = make({ timers, retries: 0, attemptDeadlineMs: 5_000 }).get(`${server.indexUrl}se/rd/serde`);
		while (server.count('/index/se/') === before) await new Promise((resolve) => setImmediate(resolve));
		timers.advance(5_000);
		const result = await pending;
		assert.equal(result.status === 'error' && result.reason, 'timeout');
		assert.match(result.status === 'error' ? result.detail : '', /within 5000 ms \(headers and body\)/);
		assert.equal(timers.pendingDeadlines(), 0, 'the deadline is cancelled once the attempt ends');
	});

	test('a host that times out three times in a row gets no more requests (circuit breaker)', { timeout: 20_000 }, async () => {
		server.fault({ kind: 'hang', path: '/index/' });
		const before = server.count('/index/');
		const http = make({ timeoutMs: 150, retries: 5 });
		const first = await http.get(`${server.indexUrl}se/rd/serde`);
		assert.equal(first.status === 'error' && first.reason, 'circuit-open');
		assert.match(first.status === 'error' ? first.detail : '', /timed out 3 times in a row/);
		assert.equal(server.count('/index/') - before, 3, 'three timed-out attempts, then no fourth');
		const second = await http.get(`${server.indexUrl}config.json`);
		assert.equal(second.status === 'error' && second.reason, 'circuit-open');
		assert.equal(server.count('/index/') - before, 3);
	});

	test('any answer resets the breaker, and it closes again after its cool-down', { timeout: 20_000 }, async () => {
		const timers = fakeTimers();
		const http = make({ timers, timeoutMs: 150, retries: 0, breakerThreshold: 2, breakerCooldownMs: 60_000 });
		server.fault({ kind: 'hang', path: '/index/se/', times: 1 });
		assert.equal(((await http.get(`${server.indexUrl}se/rd/serde`)) as { reason?: string }).reason, 'timeout');
		text(await http.get(`${server.indexUrl}se/rd/serde`));
		server.fault({ kind: 'hang', path: '/index/se/', times: 2 });
		assert.equal(((await http.get(`${server.indexUrl}se/rd/serde`)) as { reason?: string }).reason, 'timeout', 'the answer in between reset the count');
		assert.equal(((await http.get(`${server.indexUrl}se/rd/serde`)) as { reason?: string }).reason, 'timeout');
		assert.equal(((await http.get(`${server.indexUrl}se/rd/serde`)) as { reason?: string }).reason, 'circuit-open');
		timers.advance(60_000);
		text(await http.get(`${server.indexUrl}se/rd/serde`));
	});

	test('the run budget ends requests in flight and refuses new ones', { timeout: 20_000 }, async () => {
		server.fault({ kind: 'hang', path: '/index/' });
		const timers = fakeTimers();
		const before = server.count('/index/');
		const http = make({ timers, budgetMs: 10_000 });
		const pending = http.get(`${server.indexUrl}se/rd/serde`);
		while (server.count('/index/') === before) await new Promise((resolve) => setImmediate(resolve));
		timers.advance(10_000);
		const result = await pending;
		assert.equal(result.status === 'error' && result.reason, 'budget');
		assert.match(result.status === 'error' ? result.detail : '', /network time budget of this run \(10 s\) is used up/);
		const later = await http.get(`${server.indexUrl}config.json`);
		assert.equal(later.status === 'error' && later.reason, 'budget');
		assert.equal(server.count('/index/') - before, 1);
	});

	test('credentials in a URL never reach an error message', async () => {
		server.fault({ kind: 'status-500' });
		const result = await make({ retries: 0 }).get(`${server.indexUrl.replace('http://', 'http://user:SECRET@')}se/rd/serde`);
		assert.equal(result.status, 'error');
		assert.doesNotMatch(JSON.stringify(result), /SECRET/);
	});

	test('refuses a body over the size cap', async () => {
		const result = await make({ maxResponseBytes: 10 }).get(`${server.indexUrl}se/rd/serde`, { headers: { 'accept-encoding': 'identity' } });
		assert.equal(result.status === 'error' && result.reason, 'too-large');
	});

	test('offline mode answers without a single request', async () => {
		const before = server.count();
		const result = await make({ offline: true }).get(`${server.indexUrl}se/rd/serde`);
		assert.equal(result.status === 'error' && result.reason, 'offline');
		assert.equal(server.count(), before);
	});

	test('an aborted signal ends the request with `aborted`', async () => {
		server.fault({ kind: 'delay', path: '/index/se/', delayMs: 20_000 });
		const controller = new AbortController();
		const pending = make().get(`${server.indexUrl}se/rd/serde`, { signal: controller.signal });
		setTimeout(() => controller.abort(), 20);
		const result = await pending;
		assert.equal(result.status === 'error' && result.reason, 'aborted');
	});

	test('bounds parallel requests and reuses kept-alive connections', async () => {
		const bounded = await RegistryServer.start({ crates });
		const http = client({ maxParallel: 2 });
		bounded.fault({ kind: 'delay', path: '/index/', delayMs: 200 });
		const results = await Promise.all(Array.from({ length: 6 }, () => http.get(`${bounded.indexUrl}se/rd/serde`)));
		assert.ok(results.every((result) => result.status === 'ok'));
		assert.equal(bounded.maxInFlight, 2);
		assert.ok(new Set(bounded.requests.map((request) => request.remotePort)).size <= 2);
		await http.close();
		await bounded.close();
	});

	test('sends the token to the URL asked for, and drops it when a redirect leaves that origin', async () => {
		const other = await RegistryServer.start({ crates });
		server.fault({ kind: 'redirect', path: '/index/se/', times: 1, location: `${other.indexUrl}se/rd/serde` });
		const result = await make().get(`${server.indexUrl}se/rd/serde`, { token: 'secret-token' });
		assert.equal(result.status, 'ok');
		assert.equal(server.requests.at(-1)?.headers.authorization, 'secret-token');
		assert.equal(other.requests.length, 1);
		assert.equal(other.requests[0]?.headers.authorization, undefined);
		await other.close();
	});

	test('every attempt, retries included, waits for the rate limiter', async () => {
		server.fault({ kind: 'status-500', path: '/api/', times: 1 });
		const timers = fakeTimers();
		const limiter = new RateLimiter({ requests: 1, intervalMs: 1000, timers });
		const result = await make({ timers, random: () => 0 }).get(`${server.url}/api/v1/crates/serde/versions`, { rateLimiter: limiter });
		assert.equal(result.status, 'ok');
		// Backoff waited 500 ms, so the limiter had to add the other 500 ms of its one-second interval.
		assert.deepEqual(timers.sleeps, [500, 500]);
	});

	test('a wall clock set back never makes the rate limiter wait longer than its interval', async () => {
		const timers = fakeTimers();
		let setBack = 0;
		const limiter = new RateLimiter({ requests: 1, intervalMs: 1000, timers: { ...timers, now: () => timers.now() - setBack } });
		await limiter.acquire();
		setBack = 3_600_000;
		await limiter.acquire();
		await limiter.acquire();
		assert.deepEqual(timers.sleeps, [1000, 1000]);
	});

	test('the rate limiter still grants when the clock does not move while it waits (a frozen test clock)', async () => {
		const timers = fakeTimers();
		const frozen = timers.now();
		const limiter = new RateLimiter({ requests: 2, intervalMs: 1000, timers: { ...timers, now: () => frozen } });
		for (let i = 0; i < 5; i++) await limiter.acquire();
		assert.deepEqual(timers.sleeps, [1000, 1000, 1000]);
	});
});

describe('proxies and certificates', () => {
	test('cargo http.proxy carries the traffic (absolute-URI for plain http), NO_PROXY bypasses it', async () => {
		const server = await RegistryServer.start({ crates });
		const proxy = await ProxyServer.start();
		const viaProxy = client({ proxy: proxySettingsFromEnv({}, proxy.url) });
		assert.equal((await viaProxy.get(`${server.indexUrl}se/rd/serde`)).status, 'ok');
		assert.deepEqual(proxy.forwarded.map((request) => [request.method, request.target]), [['GET', `${server.indexUrl}se/rd/serde`]]);

		const bypass = client({ proxy: proxySettingsFromEnv({ NO_PROXY: '127.0.0.1' }, proxy.url) });
		assert.equal((await bypass.get(`${server.indexUrl}se/rd/serde`)).status, 'ok');
		assert.equal(proxy.forwarded.length, 1);
		await Promise.all([viaProxy.close(), bypass.close(), proxy.close(), server.close()]);
	});

	test('HTTP_PROXY from the environment is used when cargo names none; loopback is not special', async () => {
		const server = await RegistryServer.start({ crates });
		const proxy = await ProxyServer.start();
		const http = client({ proxy: proxySettingsFromEnv({ HTTP_PROXY: proxy.url }) });
		assert.equal((await http.get(`${server.indexUrl}se/rd/serde`)).status, 'ok');
		assert.equal(proxy.forwarded.length, 1);
		assert.equal(server.count(), 1);
		await Promise.all([http.close(), proxy.close(), server.close()]);
	});

	test('HTTPS through a CONNECT tunnel, trusting the CA from http.cainfo', async () => {
		const server = await RegistryServer.start({ crates, tls: { cert: TEST_SERVER_CERT_PEM, key: TEST_SERVER_KEY_PEM } });
		const proxy = await ProxyServer.start();
		const trusting = client({ extraCaPem: TEST_CA_PEM, proxy: proxySettingsFromEnv({ HTTPS_PROXY: proxy.url }) });
		assert.match(text(await trusting.get(`${server.indexUrl}se/rd/serde`)), /serde/);
		assert.deepEqual(proxy.forwarded.map((request) => request.method), ['CONNECT']);

		const untrusting = client({ retries: 0 });
		const refused = await untrusting.get(`${server.indexUrl}se/rd/serde`);
		assert.equal(refused.status === 'error' && refused.reason, 'tls');
		await Promise.all([trusting.close(), untrusting.close(), proxy.close(), server.close()]);
	});
});

describe('proxy selection', () => {
	const https = new URL('https://index.crates.io/se/rd/serde');
	const http = new URL('http://127.0.0.1:8080/index/');

	test('cargo http.proxy wins over the environment, for every scheme', () => {
		const settings = proxySettingsFromEnv({ HTTPS_PROXY: 'http://env:3128' }, 'cargo-proxy:8000');
		assert.deepEqual(hrefOf(selectProxy(https, settings)), 'http://cargo-proxy:8000/');
		assert.deepEqual(hrefOf(selectProxy(http, settings)), 'http://cargo-proxy:8000/');
	});

	test('the scheme picks the variable; lowercase before uppercase; ALL_PROXY last', () => {
		assert.equal(hrefOf(selectProxy(https, proxySettingsFromEnv({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }))), 'http://lower:1/');
		assert.equal(hrefOf(selectProxy(https, proxySettingsFromEnv({ HTTP_PROXY: 'http://plain:1' }))), undefined);
		assert.equal(hrefOf(selectProxy(http, proxySettingsFromEnv({ HTTP_PROXY: 'http://plain:1' }))), 'http://plain:1/');
		assert.equal(hrefOf(selectProxy(https, proxySettingsFromEnv({ ALL_PROXY: 'http://all:9' }))), 'http://all:9/');
	});

	test('an empty cargo http.proxy turns proxying off, as in libcurl', () => {
		assert.deepEqual(selectProxy(https, proxySettingsFromEnv({ HTTPS_PROXY: 'http://env:3128' }, '')), { kind: 'direct' });
	});

	test('libcurl defaults: http scheme, port 1080; socks is reported unsupported', () => {
		assert.equal(hrefOf(parseProxyUrl('proxy.example')), 'http://proxy.example:1080/');
		assert.equal(hrefOf(parseProxyUrl('http://proxy.example:80')), 'http://proxy.example/');
		assert.equal(hrefOf(parseProxyUrl('https://proxy.example')), 'https://proxy.example/');
		assert.equal(parseProxyUrl('socks5://proxy.example:1080').kind, 'error');
	});

	test('NO_PROXY: `*`, exact hosts, suffixes with or without a dot, ports, IPv6', () => {
		assert.ok(matchesNoProxy(https, '*'));
		assert.ok(matchesNoProxy(https, 'index.crates.io'));
		assert.ok(matchesNoProxy(https, 'crates.io'));
		assert.ok(matchesNoProxy(https, 'example.com, .crates.io'));
		assert.ok(!matchesNoProxy(https, 'rates.io'));
		assert.ok(matchesNoProxy(http, '127.0.0.1:8080'));
		assert.ok(!matchesNoProxy(http, '127.0.0.1:9090'));
		assert.ok(matchesNoProxy(https, 'index.crates.io:443'));
		assert.ok(matchesNoProxy(new URL('http://[::1]:3000/'), '::1'));
		assert.ok(matchesNoProxy(new URL('http://[::1]:3000/'), '[::1]:3000'));
		assert.ok(!matchesNoProxy(http, 'localhost'));
	});
});

describe('retry policy and rate limiter', () => {
	test('Retry-After: seconds, HTTP date, past date, garbage', () => {
		const now = Date.UTC(2026, 0, 1);
		assert.equal(parseRetryAfter('5', now), 5000);
		assert.equal(parseRetryAfter(new Date(now + 2000).toUTCString(), now), 2000);
		assert.equal(parseRetryAfter(new Date(now - 2000).toUTCString(), now), 0);
		assert.equal(parseRetryAfter('soon', now), undefined);
		assert.equal(parseRetryAfter(undefined, now), undefined);
	});

	test('backoff doubles, is capped, and adds jitter from the injected random', () => {
		assert.deepEqual([0, 1, 2, 10].map((attempt) => backoffDelay(attempt, () => 0, 500, 4000)), [500, 1000, 2000, 4000]);
		assert.equal(backoffDelay(0, () => 0.99, 500, 4000), 995);
	});

	test('N acquisitions take at least N-1 intervals of virtual time', async () => {
		const timers = fakeTimers();
		const limiter = new RateLimiter({ requests: 1, intervalMs: 1000, timers });
		const granted: number[] = [];
		await Promise.all(Array.from({ length: 5 }, () => limiter.acquire().then(() => granted.push(timers.elapsed()))));
		assert.deepEqual(granted, [0, 1000, 2000, 3000, 4000]);
	});

	test('N per interval lets bursts of N through', async () => {
		const timers = fakeTimers();
		const limiter = new RateLimiter({ requests: 2, intervalMs: 1000, timers });
		const granted: number[] = [];
		for (let i = 0; i < 5; i++) {
			await limiter.acquire();
			granted.push(timers.elapsed());
		}
		assert.deepEqual(granted, [0, 0, 1000, 1000, 2000]);
	});

	test('an aborted waiter does not block the ones behind it', async () => {
		const timers = fakeTimers();
		const limiter = new RateLimiter({ requests: 1, intervalMs: 1000, timers });
		await limiter.acquire();
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(limiter.acquire(controller.signal));
		await limiter.acquire();
		assert.equal(timers.elapsed(), 1000);
	});
});

function hrefOf(choice: ReturnType<typeof selectProxy>): string | undefined {
	return choice.kind === 'proxy' ? choice.url.href : undefined;
}
