/**
 * The sparse index end to end: workspaces whose .cargo/config.toml points crates.io at a registry server of our
 * own by source replacement, then the client's behaviour under every condition the issue lists. Requests are
 * counted on the server; waits are read from a fake clock.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readCargoConfig } from '../../../server/src/sources/cargoConfig/readCargoConfig';
import { resolveRegistry } from '../../../server/src/sources/cargoConfig/resolveRegistry';
import { parseIndexFile } from '../../../server/src/sources/cratesIndex/parseIndexFile';
import { urlCacheKey } from '../../../server/src/sources/cratesIndex/diskCache';
import { dlUrl } from '../../../server/src/sources/cratesIndex/registryConfig';
import { SparseIndexClient, type VersionsResult } from '../../../server/src/sources/cratesIndex/sparseIndexClient';
import type { Environment } from '../../../server/src/sources/environment';
import { httpOptionsFromCargoConfig } from '../../../server/src/sources/http/fromCargoConfig';
import { HttpClient } from '../../../server/src/sources/http/httpClient';
import type { Logger } from '../../../server/src/sources/log';
import { type FakeTimers, fakeTimers } from '../../support/fakeTimers';
import { ProxyServer } from '../../support/proxyServer';
import { checksumOf, type FakeCrate, RegistryServer } from '../../support/registryServer';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

const crates: FakeCrate[] = [
	{
		name: 'serde',
		versions: [
			{ vers: '1.0.0' },
			{ vers: '1.0.1', yanked: true, pubtime: '2024-05-01T10:00:00Z' },
			{ vers: '1.0.2', pubtime: '2025-11-20T08:30:00Z', rustVersion: '1.61', features: { std: [] }, features2: { derive: ['dep:serde_derive'] }, deps: [{ name: 'serde_derive', req: '=1.0.2', optional: true }] },
		],
	},
	{ name: 'cc', versions: [{ vers: '1.0.0' }] },
	{ name: 'Inflector', versions: [{ vers: '0.11.4' }] },
];

const roots: string[] = [];
const closers: Array<() => Promise<void>> = [];
after(async () => {
	for (const close of closers.reverse()) await close();
	for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function registry(options: Parameters<typeof RegistryServer.start>[0] = { crates }): Promise<RegistryServer> {
	const server = await RegistryServer.start(options);
	closers.push(() => server.close());
	return server;
}

/** A workspace whose config replaces crates.io with `indexUrl`, plus a private cache dir and CARGO_HOME. */
function workspace(toml: string, files: Record<string, string> = {}): { dir: string; cacheDir: string; environment: (env?: Record<string, string>) => Environment } {
	const root = mkdtempSync(join(tmpdir(), 'cargo-trust-sparse-'));
	roots.push(root);
	for (const [path, text] of Object.entries({ 'ws/.cargo/config.toml': toml, ...files })) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	return {
		dir: join(root, 'ws'),
		cacheDir: join(root, 'cache'),
		environment: (env = {}) => ({ env: { CARGO_HOME: join(root, 'home/.cargo'), ...env }, homeDir: join(root, 'home'), now: () => new Date('2026-01-01T00:00:00Z') }),
	};
}

function replacing(indexUrl: string, extra = ''): string {
	return `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${indexUrl}"\n${extra}`;
}

interface Setup {
	client: SparseIndexClient;
	http: HttpClient;
	timers: FakeTimers;
	warnings: string[];
}

/** Reads the workspace's config as the server would, resolves `source`, and builds the client on a fake clock. */
function setup(
	ws: ReturnType<typeof workspace>,
	options: { env?: Record<string, string>; source?: string; timers?: FakeTimers; freshForMs?: number; timeoutMs?: number } = {},
): Setup {
	const environment = ws.environment(options.env);
	const config = readCargoConfig(ws.dir, environment, { trusted: true });
	assert.deepEqual(config.notices, []);
	const resolved = resolveRegistry(config, options.source ?? CRATES_IO);
	assert.equal(resolved.kind, 'sparse', JSON.stringify(resolved));
	if (resolved.kind !== 'sparse') throw new Error('unreachable');
	const timers = options.timers ?? fakeTimers();
	const { options: httpOptions } = httpOptionsFromCargoConfig(config, environment, 'cargo-trust/0.1.0 (https://github.com/cargo-trust/cargo-trust)');
	const http = new HttpClient({ ...httpOptions, timers, random: () => 0, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
	closers.push(() => http.close());
	const warnings: string[] = [];
	const log: Logger = { info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
	const client = new SparseIndexClient({
		http,
		indexUrl: resolved.indexUrl,
		cacheDir: ws.cacheDir,
		timers,
		log,
		...(resolved.token ? { token: resolved.token } : {}),
		...(options.freshForMs ? { freshForMs: options.freshForMs } : {}),
	});
	return { client, http, timers, warnings };
}

function ok(result: VersionsResult): Extract<VersionsResult, { status: 'ok' }> {
	assert.equal(result.status, 'ok', JSON.stringify(result));
	if (result.status !== 'ok') throw new Error('unreachable');
	return result;
}

describe('parseIndexFile', () => {
	test('every field of real-looking crates.io lines', () => {
		const text = [
			'{"name":"serde","vers":"1.0.0","deps":[],"cksum":"' + 'a'.repeat(64) + '","features":{},"yanked":false,"links":null}',
			'{"name":"serde","vers":"1.0.219","deps":[{"name":"serde_derive","req":"=1.0.219","features":[],"optional":true,"default_features":true,"target":null,"kind":"normal"},{"name":"rand_dev","req":"^0.8","features":[],"optional":false,"default_features":true,"target":"cfg(unix)","kind":"dev","package":"rand","registry":"https://other.example/index"},{"name":"cc","req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":null}],"cksum":"' +
				'B'.repeat(64) +
				'","features":{"default":["std"],"std":[]},"features2":{"derive":["dep:serde_derive"]},"yanked":true,"links":"serde-native","rust_version":"1.61","pubtime":"2025-03-09T16:40:07Z","v":2}',
		].join('\n');
		const { versions, skipped } = parseIndexFile(`${text}\n`);
		assert.deepEqual(skipped, []);
		assert.equal(versions.length, 2);
		const [old, latest] = versions;
		assert.deepEqual([old?.v, old?.pubtime, old?.yanked, old?.rust_version, old?.features2, old?.links], [1, undefined, false, undefined, undefined, undefined]);
		assert.deepEqual(latest, {
			name: 'serde',
			vers: '1.0.219',
			cksum: 'b'.repeat(64),
			yanked: true,
			pubtime: '2025-03-09T16:40:07Z',
			rust_version: '1.61',
			features: { default: ['std'], std: [] },
			features2: { derive: ['dep:serde_derive'] },
			links: 'serde-native',
			deps: [
				{ name: 'serde_derive', package: undefined, req: '=1.0.219', kind: 'normal', optional: true, target: undefined, registry: undefined },
				{ name: 'rand_dev', package: 'rand', req: '^0.8', kind: 'dev', optional: false, target: 'cfg(unix)', registry: 'https://other.example/index' },
				{ name: 'cc', package: undefined, req: '^1', kind: 'normal', optional: false, target: undefined, registry: undefined },
			],
			v: 2,
		});
	});

	test('lines that do not parse are skipped with their line number; the rest is used', () => {
		const good = (vers: string, extra = ''): string => `{"name":"x","vers":"${vers}","deps":[],"cksum":"${'c'.repeat(64)}","features":{},"yanked":false${extra}}`;
		const text = [good('1.0.0'), 'garbage', '', '{"name":"x","vers":"1.0.1"}', good('1.0.2').slice(0, -4), good('1.0.3', ',"v":3'), '[1,2]', good('1.0.4')].join('\n');
		const { versions, skipped } = parseIndexFile(text);
		assert.deepEqual(versions.map((version) => version.vers), ['1.0.0', '1.0.4']);
		assert.deepEqual(skipped.map((line) => line.line), [2, 4, 5, 6, 7]);
		assert.match(skipped[3]?.reason ?? '', /schema version 3/);
	});

	test('a malformed pubtime costs the publish time, not the version', () => {
		const { versions, skipped } = parseIndexFile(`{"name":"x","vers":"1.0.0","deps":[],"cksum":"${'d'.repeat(64)}","features":{"__proto__":["a"]},"yanked":false,"pubtime":"yesterday"}`);
		assert.deepEqual([versions[0]?.pubtime, skipped], [undefined, []]);
		assert.deepEqual(versions[0]?.features, {});
	});
});

describe('SparseIndexClient through source replacement', () => {
	test('config.json and a crate\'s versions, yanked and pubtime included', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl));
		const { client } = setup(ws);
		const config = await client.fetchConfig();
		assert.deepEqual(config.status === 'ok' && config.config, { dl: `${server.url}/api/v1/crates`, api: server.url, authRequired: false });
		const result = ok(await client.fetchVersions('serde'));
		assert.equal(result.source, 'network');
		assert.deepEqual(result.versions.map((version) => [version.vers, version.yanked, version.pubtime]), [
			['1.0.0', false, undefined],
			['1.0.1', true, '2024-05-01T10:00:00Z'],
			['1.0.2', false, '2025-11-20T08:30:00Z'],
		]);
		assert.equal(result.versions[2]?.cksum, checksumOf('serde', { vers: '1.0.2' }));
		assert.deepEqual(server.requests.map((request) => request.path), ['/index/config.json', '/index/se/rd/serde']);
		assert.equal(server.requests[1]?.headers['user-agent'], 'cargo-trust/0.1.0 (https://github.com/cargo-trust/cargo-trust)');
		assert.equal(ok(await client.fetchVersions('cc')).versions.length, 1);
		assert.equal(ok(await client.fetchVersions('INFLECTOR')).versions[0]?.name, 'Inflector');
		assert.deepEqual((await client.fetchVersions('nosuchcrate')).status, 'not-found');
		assert.equal(server.count('/index/config.json'), 1);
	});

	test('the download URL from config.json serves the .crate whose SHA-256 is the index cksum', async () => {
		const server = await registry();
		const { client, http } = setup(workspace(replacing(server.indexUrl)));
		const config = await client.fetchConfig();
		const version = ok(await client.fetchVersions('serde')).versions[2];
		assert.ok(config.status === 'ok' && version);
		const download = await http.get(dlUrl(config.config, 'serde', version.vers, version.cksum));
		assert.ok(download.status === 'ok');
		assert.equal(createHash('sha256').update(download.body).digest('hex'), version.cksum);
	});

	test('garbage lines are skipped, logged, and the rest is used', async () => {
		const server = await registry();
		server.fault({ kind: 'garbage', path: '/index/se/' });
		const { client, warnings } = setup(workspace(replacing(server.indexUrl)));
		const result = ok(await client.fetchVersions('serde'));
		assert.deepEqual(result.versions.map((version) => version.vers), ['1.0.0', '1.0.1', '1.0.2']);
		assert.deepEqual(result.skipped.map((line) => line.line), [4, 5, 6]);
		assert.equal(warnings.length, 3);
		assert.match(warnings[0] ?? '', /se\/rd\/serde:4: skipped/);
	});

	test('revalidation: a second client sends the ETag and gets 304; a new version changes the ETag', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl));
		assert.equal(ok(await setup(ws).client.fetchVersions('serde')).source, 'network');
		const second = setup(ws);
		const revalidated = ok(await second.client.fetchVersions('serde'));
		assert.equal(revalidated.source, 'revalidated');
		assert.ok(server.requests.filter((request) => request.path.endsWith('/serde')).at(-1)?.headers['if-none-match']);
		assert.equal(revalidated.versions.length, 3);
		server.publish('serde', { vers: '1.0.3', pubtime: '2025-12-01T00:00:00Z' });
		const refreshed = ok(await setup(ws).client.fetchVersions('serde'));
		assert.deepEqual([refreshed.source, refreshed.versions.at(-1)?.vers], ['network', '1.0.3']);
	});

	test('restart: a fresh cache entry answers without a request, with its age', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl));
		const timers = fakeTimers();
		ok(await setup(ws, { timers }).client.fetchVersions('serde'));
		const before = server.count();
		await timers.sleep(5 * 60_000);
		const restarted = ok(await setup(ws, { timers, freshForMs: 10 * 60_000 }).client.fetchVersions('serde'));
		assert.deepEqual([restarted.source, restarted.ageMs, restarted.versions.length], ['cache', 300_000, 3]);
		assert.equal(server.count(), before);
	});

	test('offline (CARGO_NET_OFFLINE): answers from disk and makes zero requests', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl));
		ok(await setup(ws).client.fetchVersions('serde'));
		const before = server.count();
		const offline = setup(ws, { env: { CARGO_NET_OFFLINE: 'true' } });
		const cached = ok(await offline.client.fetchVersions('serde'));
		assert.deepEqual([cached.source, cached.versions.length], ['cache', 3]);
		assert.equal((await offline.client.fetchConfig()).status, 'ok');
		const missing = await offline.client.fetchVersions('cc');
		assert.deepEqual(missing.status === 'error' && missing.reason, 'offline');
		assert.equal(server.count(), before);
	});

	test('offline from [net] offline = true in the config, with an empty cache: zero requests', async () => {
		const server = await registry();
		const { client } = setup(workspace(replacing(server.indexUrl, '[net]\noffline = true\n')));
		const result = await client.fetchVersions('serde');
		assert.equal(result.status === 'error' && result.reason, 'offline');
		assert.equal(server.count(), 0);
	});

	test('500 is retried, then succeeds', async () => {
		const server = await registry();
		server.fault({ kind: 'status-500', path: '/index/se/', times: 2 });
		const { client, timers } = setup(workspace(replacing(server.indexUrl)));
		assert.equal(ok(await client.fetchVersions('serde')).versions.length, 3);
		assert.equal(server.count('/index/se/'), 3);
		assert.deepEqual(timers.sleeps, [500, 1000]);
	});

	test('429 with Retry-After is honoured', async () => {
		const server = await registry();
		server.fault({ kind: 'status-429', path: '/index/se/', times: 1, retryAfter: '2' });
		const { client, timers } = setup(workspace(replacing(server.indexUrl)));
		ok(await client.fetchVersions('serde'));
		assert.deepEqual(timers.sleeps, [2000]);
		assert.equal(server.count('/index/se/'), 2);
	});

	test('a slow response times out; a cached copy then stands in, marked stale', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl, '[net]\nretry = 0\n'));
		ok(await setup(ws).client.fetchVersions('serde'));
		server.fault({ kind: 'delay', path: '/index/se/', delayMs: 20_000 });
		server.fault({ kind: 'delay', path: '/index/2/', delayMs: 20_000 });
		const stale = ok(await setup(ws, { timeoutMs: 150 }).client.fetchVersions('serde'));
		assert.deepEqual([stale.source, stale.staleBecause], ['cache', 'timeout']);
		const uncached = await setup(ws, { timeoutMs: 150 }).client.fetchVersions('cc');
		assert.equal(uncached.status === 'error' && uncached.reason, 'timeout');
	});

	test('a truncated body is retried; when it persists the result says so', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl, '[net]\nretry = 1\n'));
		server.fault({ kind: 'truncate', path: '/index/se/', times: 1 });
		assert.equal(ok(await setup(ws).client.fetchVersions('serde')).versions.length, 3);
		server.fault({ kind: 'truncate', path: '/index/2/' });
		const result = await setup(ws).client.fetchVersions('cc');
		assert.equal(result.status === 'error' && result.reason, 'truncated');
	});

	test('a cache entry of the wrong shape is discarded, said so, and fetched again', async () => {
		const server = await registry();
		const ws = workspace(replacing(server.indexUrl));
		ok(await setup(ws).client.fetchVersions('serde'));
		const cachePath = join(ws.cacheDir, 'index', urlCacheKey(server.indexUrl), 'se', 'rd', 'serde.json');
		const good = JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, unknown>;
		for (const damage of [{ fetchedAt: 'last week' }, { etag: 42 }, { lastModified: ['Mon'] }]) {
			writeFileSync(cachePath, JSON.stringify({ ...good, ...damage }));
			const { client, warnings } = setup(ws, { freshForMs: 3_600_000 });
			const result = ok(await client.fetchVersions('serde'));
			assert.deepEqual([result.source, result.versions.length, Number.isNaN(result.ageMs)], ['network', 3, false], JSON.stringify(damage));
			assert.deepEqual(warnings, [`Discarded the cache entry ${cachePath} (it has the wrong shape); fetching it again`]);
			assert.equal(server.requests.at(-1)?.headers['if-none-match'], undefined, 'the damaged entry\'s ETag is not sent');
		}
	});

	test('a crate that disappeared is not-found and leaves the cache', async () => {
		const server = await registry({ crates: [{ name: 'gone', versions: [{ vers: '0.1.0' }] }] });
		const ws = workspace(replacing(server.indexUrl));
		ok(await setup(ws).client.fetchVersions('gone'));
		await server.close();
		const empty = await registry({ crates: [] });
		const moved = workspace(replacing(empty.indexUrl));
		assert.equal((await setup(moved).client.fetchVersions('gone')).status, 'not-found');
	});

	test('requests for one crate made together share one request', async () => {
		const server = await registry();
		const { client } = setup(workspace(replacing(server.indexUrl)));
		const results = await Promise.all([client.fetchVersions('serde'), client.fetchVersions('Serde'), client.fetchVersions('serde')]);
		assert.ok(results.every((result) => result.status === 'ok'));
		assert.equal(server.count('/index/se/'), 1);
	});

	test('cargo\'s http.proxy carries every request; NO_PROXY exempts the registry', async () => {
		const server = await registry();
		const proxy = await ProxyServer.start();
		closers.push(() => proxy.close());
		const ws = workspace(replacing(server.indexUrl, `[http]\nproxy = "${proxy.url}"\n`));
		ok(await setup(ws).client.fetchVersions('serde'));
		// config.json and the index file are asked for together, so their order is not fixed.
		assert.deepEqual(proxy.forwarded.map((request) => request.target).sort(), [`${server.indexUrl}config.json`, `${server.indexUrl}se/rd/serde`]);
		assert.equal(server.count(), 2);
		ok(await setup(ws, { env: { NO_PROXY: '127.0.0.1' } }).client.fetchVersions('cc'));
		assert.equal(proxy.forwarded.length, 2);
		assert.equal(server.count(), 4);
	});

	test('HTTP_PROXY from the environment when the config names none', async () => {
		const server = await registry();
		const proxy = await ProxyServer.start();
		closers.push(() => proxy.close());
		ok(await setup(workspace(replacing(server.indexUrl)), { env: { HTTP_PROXY: proxy.url } }).client.fetchVersions('serde'));
		assert.equal(proxy.forwarded.length, 2);
	});
});

describe('registry tokens', () => {
	test('a token goes only to its own registry, only once it is required, and never to crates.io\'s mirror', async () => {
		const mirror = await registry();
		const corp = await registry({ crates: [{ name: 'internal-lib', versions: [{ vers: '2.0.0' }] }], requireToken: 'corp-secret' });
		const ws = workspace(replacing(mirror.indexUrl, `[registries.corp]\nindex = "sparse+${corp.indexUrl}"\n`), {
			'home/.cargo/credentials.toml': '[registries.corp]\ntoken = "corp-secret"\n[registry]\ntoken = "crates-secret"\n',
		});
		const corpClient = setup(ws, { source: `sparse+${corp.indexUrl}` }).client;
		assert.equal(ok(await corpClient.fetchVersions('internal-lib')).versions[0]?.vers, '2.0.0');
		// config.json is asked for without the token first; the 401 makes the client send it, as cargo does.
		assert.deepEqual(corp.requests.map((request) => [request.path, request.headers.authorization]), [
			['/index/config.json', undefined],
			['/index/config.json', 'corp-secret'],
			['/index/in/te/internal-lib', 'corp-secret'],
		]);
		ok(await setup(ws).client.fetchVersions('serde'));
		assert.ok(mirror.requests.length > 0);
		assert.ok(mirror.requests.every((request) => request.headers.authorization === undefined));
	});

	test('an auth-required registry without a token is refused, and says so', async () => {
		const corp = await registry({ crates: [{ name: 'internal-lib', versions: [{ vers: '2.0.0' }] }], requireToken: 'corp-secret' });
		const ws = workspace(`[registries.corp]\nindex = "sparse+${corp.indexUrl}"\n`);
		const result = await setup(ws, { source: `sparse+${corp.indexUrl}` }).client.fetchVersions('internal-lib');
		assert.equal(result.status === 'error' && result.reason, 'http-401');
	});
});
