/**
 * crates.io's web API for publish times and publishers: answers, the disk cache that keeps them for good,
 * the process-wide limit of one request per second (measured on a fake clock), and the release-time rule
 * (index pubtime first, API created_at only when the line has none).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CratesApi, cratesIoRateLimiter, parseVersions } from '../../../server/src/sources/cratesIndex/cratesApi';
import { urlCacheKey } from '../../../server/src/sources/cratesIndex/diskCache';
import { releaseTime } from '../../../server/src/sources/cratesIndex/releaseTime';
import type { IndexVersion } from '../../../server/src/sources/cratesIndex/parseIndexFile';
import { HttpClient, type HttpClientOptions } from '../../../server/src/sources/http/httpClient';
import { RateLimiter } from '../../../server/src/sources/http/rateLimiter';
import { type FakeTimers, fakeTimers } from '../../support/fakeTimers';
import { type FakeCrate, RegistryServer } from '../../support/registryServer';

const crates: FakeCrate[] = [
	{
		name: 'serde',
		versions: [
			{ vers: '1.0.0', createdAt: '2017-04-20T12:00:00.123456Z', publishedBy: 'dtolnay', publisherId: 3618 },
			{ vers: '1.0.1', createdAt: '2017-05-01T12:00:00Z', publishedBy: null },
			{ vers: '1.0.2', pubtime: '2025-11-20T08:30:00Z', trustpub: { provider: 'github', repository: 'serde-rs/serde', run_id: '42', sha: 'abc123' } },
		],
	},
	...['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => ({ name, versions: [{ vers: '0.1.0', createdAt: '2020-02-02T00:00:00Z' }] })),
];

const roots: string[] = [];
const closers: Array<() => Promise<void>> = [];
after(async () => {
	for (const close of closers.reverse()) await close();
	for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function start(): Promise<RegistryServer> {
	const server = await RegistryServer.start({ crates });
	closers.push(() => server.close());
	return server;
}

function cacheDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'cargo-trust-api-'));
	roots.push(dir);
	return dir;
}

/** A CratesApi on a fake clock with its own limiter (the process-wide one would couple the tests). */
function api(server: RegistryServer, dir: string, timers: FakeTimers = fakeTimers(), http: Partial<HttpClientOptions> = {}): { api: CratesApi; timers: FakeTimers } {
	const client = new HttpClient({ userAgent: 'cargo-trust/0.1.0 (https://github.com/cargo-trust/cargo-trust)', timers, random: () => 0, ...http });
	closers.push(() => client.close());
	const rateLimiter = new RateLimiter({ requests: 1, intervalMs: 1000, timers });
	return { api: new CratesApi({ http: client, apiUrl: server.url, cacheDir: dir, timers, rateLimiter }), timers };
}

describe('CratesApi', () => {
	test('publish time is created_at, fetched once per crate, then kept on disk for good', async () => {
		const server = await start();
		const dir = cacheDir();
		const { api: first } = api(server, dir);
		assert.deepEqual(await first.publishTime('serde', '1.0.0'), { status: 'ok', value: '2017-04-20T12:00:00.123456Z', fromCache: false });
		assert.deepEqual(await first.publishTime('serde', '1.0.1'), { status: 'ok', value: '2017-05-01T12:00:00Z', fromCache: true });
		assert.deepEqual(server.requests.map((request) => request.path), ['/api/v1/crates/serde/versions']);
		assert.equal(server.requests[0]?.headers['user-agent'], 'cargo-trust/0.1.0 (https://github.com/cargo-trust/cargo-trust)');

		const { api: restarted } = api(server, dir, fakeTimers(), { offline: true });
		assert.deepEqual(await restarted.publishTime('serde', '1.0.0'), { status: 'ok', value: '2017-04-20T12:00:00.123456Z', fromCache: true });
		assert.equal(server.count(), 1);
	});

	test('publisher: a user, Trusted Publishing, or nobody recorded', async () => {
		const server = await start();
		const { api: crates } = api(server, cacheDir());
		assert.deepEqual(await crates.publisher('serde', '1.0.0'), { status: 'ok', value: { kind: 'user', id: 3618, login: 'dtolnay', name: 'dtolnay example' }, fromCache: false });
		assert.deepEqual(await crates.publisher('serde', '1.0.2'), {
			status: 'ok',
			value: { kind: 'trusted-publishing', provider: 'github', repository: 'serde-rs/serde', sha: 'abc123' },
			fromCache: true,
		});
		assert.deepEqual(await crates.publisher('serde', '1.0.1'), { status: 'ok', value: { kind: 'unknown' }, fromCache: true });
	});

	test('versions: every version from one request; the cache answers when it has every wanted version, else one download', async () => {
		const server = await start();
		const dir = cacheDir();
		const { api: first } = api(server, dir);
		const all = await first.versions('serde', ['1.0.0']);
		assert.equal(all.status, 'ok');
		assert.deepEqual(all.status === 'ok' && [...all.value.keys()], ['1.0.0', '1.0.1', '1.0.2']);
		assert.deepEqual(all.status === 'ok' && all.value.get('1.0.0')?.publisher, { kind: 'user', id: 3618, login: 'dtolnay', name: 'dtolnay example' });
		assert.equal(server.count(), 1);

		const { api: restarted } = api(server, dir);
		assert.equal((await restarted.versions('serde', ['1.0.0', '1.0.2'])).status, 'ok');
		assert.equal(server.count(), 1, 'the cache has both');
		// A version the cache lacks (published since it was written): downloaded again, once.
		assert.equal((await restarted.versions('serde', ['1.0.0', '1.0.3'])).status, 'ok');
		assert.equal((await restarted.versions('serde', ['1.0.3'])).status, 'ok');
		assert.equal(server.count(), 2);
	});

	test('an unknown version or crate is not-found; a crate is not downloaded twice for missing versions', async () => {
		const server = await start();
		const { api: crates } = api(server, cacheDir());
		assert.deepEqual(await crates.publishTime('serde', '9.9.9'), { status: 'not-found' });
		assert.deepEqual(await crates.publishTime('serde', '9.9.8'), { status: 'not-found' });
		assert.deepEqual(await crates.publishTime('no-such-crate', '1.0.0'), { status: 'not-found' });
		assert.equal(server.count(), 2);
		assert.equal((await crates.publishTime('../etc', '1.0.0')).status, 'error');
		assert.equal(server.count(), 2);
	});

	test('rate limit: N crates take at least N-1 seconds of (virtual) time, however they are asked for', async () => {
		const server = await start();
		const { api: crates, timers } = api(server, cacheDir());
		const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
		const results = await Promise.all(names.map((name) => crates.publishTime(name, '0.1.0')));
		assert.ok(results.every((result) => result.status === 'ok'));
		assert.equal(server.count('/api/'), 5);
		assert.ok(timers.elapsed() >= 4000, `elapsed ${timers.elapsed()}`);
		assert.deepEqual(timers.sleeps, [1000, 1000, 1000, 1000]);
	});

	test('a retry after 429 also waits for the limiter and honours Retry-After', async () => {
		const server = await start();
		server.fault({ kind: 'status-429', path: '/api/', times: 1, retryAfter: '3' });
		const { api: crates, timers } = api(server, cacheDir());
		assert.equal((await crates.publishTime('serde', '1.0.0')).status, 'ok');
		assert.deepEqual(timers.sleeps, [3000]);
		assert.equal(server.count('/api/'), 2);
	});

	test('offline: an error, and no request', async () => {
		const server = await start();
		const { api: crates } = api(server, cacheDir(), fakeTimers(), { offline: true });
		const result = await crates.publishTime('serde', '1.0.0');
		assert.equal(result.status === 'error' && result.reason, 'offline');
		assert.equal(server.count(), 0);
	});

	test('a cache file of the wrong shape is discarded, said so, and fetched again: never a wrong fact', async () => {
		const server = await start();
		const dir = cacheDir();
		await api(server, dir).api.publishTime('serde', '1.0.0');
		const cachePath = join(dir, 'crates-api', urlCacheKey(server.url), 'serde.json');
		const good = JSON.parse(readFileSync(cachePath, 'utf8')) as { versions: Record<string, Record<string, unknown>> };
		const damaged: unknown[] = [
			{ versions: { ...good.versions, '1.0.0': { ...good.versions['1.0.0'], created_at: 1492689600 } } },
			{ versions: { ...good.versions, '1.0.0': { ...good.versions['1.0.0'], publisher: { kind: 'user' } } } },
			{ versions: { ...good.versions, '1.0.1': 'yesterday' } },
			{ versions: { ...good.versions, '1.0.0': { ...good.versions['1.0.0'], publisher: { kind: 'user', id: '3618', login: 'dtolnay' } } } },
		];
		for (const value of damaged) {
			writeFileSync(cachePath, JSON.stringify(value));
			const warnings: string[] = [];
			const timers = fakeTimers();
			const client = new HttpClient({ userAgent: 'cargo-trust-test', timers, random: () => 0 });
			closers.push(() => client.close());
			const log = { info() {}, warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
			const fresh = new CratesApi({ http: client, apiUrl: server.url, cacheDir: dir, timers, rateLimiter: new RateLimiter({ requests: 1, intervalMs: 1000, timers }), log });
			assert.deepEqual(await fresh.publishTime('serde', '1.0.0'), { status: 'ok', value: '2017-04-20T12:00:00.123456Z', fromCache: false });
			assert.deepEqual(await fresh.publisher('serde', '1.0.0'), { status: 'ok', value: { kind: 'user', id: 3618, login: 'dtolnay', name: 'dtolnay example' }, fromCache: true });
			assert.equal(warnings.length, 1, warnings.join('\n'));
			assert.match(warnings[0]!, /^Discarded the cache entry .*serde\.json \(it has the wrong shape\); fetching it again$/);
			assert.deepEqual(JSON.parse(readFileSync(cachePath, 'utf8')), good, 'the cache holds the refetched record');
		}
		assert.equal(server.count('/api/'), 1 + damaged.length);
	});

	test('the default limiter is one for the whole process', () => {
		const timers = fakeTimers();
		assert.equal(cratesIoRateLimiter(timers), cratesIoRateLimiter(fakeTimers()));
	});

	test('parseVersions keeps only well-formed versions', () => {
		const parsed = parseVersions(JSON.stringify({ versions: [{ num: '1.0.0', created_at: '2020-01-01T00:00:00Z', published_by: null }, { num: '2.0.0' }, { num: '3.0.0', created_at: 'never' }], meta: { total: 3 } }));
		assert.deepEqual(parsed, { versions: { '1.0.0': { created_at: '2020-01-01T00:00:00Z', publisher: { kind: 'unknown' } } } });
		assert.equal(typeof parseVersions('{}'), 'string');
	});

	test('parseVersions takes published_by.id as the user id; an id that is not a positive integer is left out', () => {
		const user = (id: unknown) => ({ num: '1.0.0', created_at: '2020-01-01T00:00:00Z', published_by: { id, login: 'alice', name: 'Alice' } });
		const publisher = (id: unknown) => {
			const parsed = parseVersions(JSON.stringify({ versions: [user(id)] }));
			return typeof parsed === 'string' ? parsed : parsed.versions['1.0.0']?.publisher;
		};
		assert.deepEqual(publisher(42), { kind: 'user', id: 42, login: 'alice', name: 'Alice' });
		for (const bad of ['42', 0, -3, 1.5, null, 1e300]) assert.deepEqual(publisher(bad), { kind: 'user', login: 'alice', name: 'Alice' }, String(bad));
	});
});

describe('releaseTime', () => {
	const line = (vers: string, pubtime?: string): IndexVersion => ({
		name: 'serde',
		vers,
		cksum: '0'.repeat(64),
		yanked: false,
		pubtime,
		rust_version: undefined,
		features: {},
		features2: undefined,
		links: undefined,
		deps: [],
		v: 1,
	});

	test('the index pubtime first, without asking the API', async () => {
		const server = await start();
		const { api: crates } = api(server, cacheDir());
		const fact = await releaseTime(line('1.0.2', '2025-11-20T08:30:00Z'), '2026-01-01T00:00:00.000Z', crates);
		assert.deepEqual(fact, { status: 'known', value: '2025-11-20T08:30:00Z', origin: 'index pubtime', fetchedAt: '2026-01-01T00:00:00.000Z', stale: false });
		assert.equal(server.count(), 0);
	});

	test('created_at from crates.io when the line has no pubtime', async () => {
		const server = await start();
		const { api: crates } = api(server, cacheDir());
		const fact = await releaseTime(line('1.0.0'), '2026-01-01T00:00:00.000Z', crates);
		assert.deepEqual(fact.status === 'known' && [fact.value, fact.origin], ['2017-04-20T12:00:00.123456Z', 'crates.io API created_at']);
		assert.equal((await releaseTime(line('7.7.7'), 'x', crates)).status, 'unknown');
	});

	test('another registry without pubtime: unknown, with the reason', async () => {
		const fact = await releaseTime(line('1.0.0'), '2026-01-01T00:00:00.000Z', undefined);
		assert.equal(fact.status, 'unknown');
		assert.match(fact.status === 'unknown' ? fact.reason : '', /no API/);
	});
});
