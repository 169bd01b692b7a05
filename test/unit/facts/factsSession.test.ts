/**
 * The facts service end to end: a TrustSession against our registry on 127.0.0.1 (the example workspace, crates.io
 * replaced by source replacement). Each fact lands on its own (a young release shows while publishers are blocked),
 * a changed setting re-analyses without a request, index facts are revalidated with a 304 after their time to live,
 * and a transient failure is retried with backoff. Fake session timers drive expiry; nothing sleeps.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultSettings, type Settings } from '../../../server/src/protocol';
import type { Environment } from '../../../server/src/sources/environment';
import { silentLogger } from '../../../server/src/sources/log';
import { vetPasses } from '../../../server/src/engine/audits/auditGraph';
import { TrustSession } from '../../../server/src/trustSession';
import type { SessionTimers } from '../../../server/src/facts/sessionTimers';
import { exampleCrates, exampleWithRegistry } from '../../support/exampleRegistry';
import { fakeSessionTimers } from '../../support/fakeSessionTimers';
import { repoRoot } from '../../support/paths';

const advisoryDb = join(repoRoot, 'examples', 'advisory-db');
const dayMs = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setup(overrides: Parameters<typeof exampleCrates>[0], options: { timers?: SessionTimers; now?: () => number } = {}) {
	const { ws, registry } = await exampleWithRegistry(exampleCrates(overrides));
	const now = options.now ?? (() => Date.now());
	const environment: Environment = { env: { CARGO_HOME: ws.cargoHome }, homeDir: ws.dir, now: () => new Date(now()) };
	const session = new TrustSession({
		environment,
		log: silentLogger,
		settings: defaultSettings,
		trusted: true,
		cacheDir: ws.cacheDir,
		offline: false,
		advisoryDbPath: advisoryDb,
		noProvenance: true,
		...(options.timers ? { timers: options.timers } : {}),
	});
	cleanups.push(async () => {
		await session.dispose();
		await registry.close();
	});
	await session.advisoryDb.load();
	return { ws, registry, session };
}

const codes = (analysis: { findings: readonly { code: string; message: string }[] }, code: string) => analysis.findings.filter((f) => f.code === code).map((f) => f.message);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

void describe('facts service', () => {
	test('a young release lands on its own while the publishers API hangs', async () => {
		const { ws, registry, session } = await setup({ tokio: { pubtime: iso(Date.now() - 2 * dayMs) } });
		// Every publisher request of tokio (crates.io's API) never answers.
		registry.fault({ kind: 'hang', path: '/api/v1/crates/tokio/versions' });
		const first = await session.analyze(ws.dir);
		assert.deepEqual(codes(first, 'young-release'), [], 'nothing is known before the facts land');
		const young = new Promise<string[]>((resolve) => {
			session.onFactsLanded((roots) => {
				if (!roots.has(ws.dir)) return;
				void session.analyze(ws.dir).then((analysis) => {
					const found = codes(analysis, 'young-release');
					if (found.length) resolve(found);
				});
			});
		});
		session.want(first, {});
		const found = await young;
		assert.ok(found.some((message) => message.startsWith('tokio ')), found.join('\n'));
		const tokio = (await session.analyze(ws.dir)).packages.find((trust) => trust.pkg.name === 'tokio');
		assert.equal(tokio?.release?.status === 'known' ? tokio.release.value.publisher : 'missing', undefined, "tokio's publisher has not landed");
	});

	test('changing the minimum release age re-analyses without a request; every version of the crate is kept', async () => {
		const { ws, registry, session } = await setup({
			tokio: { pubtime: iso(Date.now() - 3 * dayMs), extraVersions: [{ vers: '1.0.0', pubtime: '2021-01-01T00:00:00Z', yanked: true }] },
		});
		const first = await session.analyze(ws.dir);
		await session.drain(first);
		const sevenDays = await session.analyze(ws.dir);
		assert.ok(codes(sevenDays, 'young-release').some((m) => m.startsWith('tokio ')));
		const requests = registry.requests.length;
		const oneDay: Settings = { ...defaultSettings, releaseAge: { minimum: '1 day' } };
		const relaxed = await session.analyze(ws.dir, undefined, oneDay);
		assert.deepEqual(codes(relaxed, 'young-release').filter((m) => m.startsWith('tokio ')), []);
		session.updateSettings(oneDay);
		assert.deepEqual(codes(await session.analyze(ws.dir), 'young-release').filter((m) => m.startsWith('tokio ')), []);
		assert.equal(registry.requests.length, requests, 'no request reached the registry');
		const tokio = relaxed.packages.find((trust) => trust.pkg.name === 'tokio');
		assert.equal(tokio?.release?.status, 'known');
		if (tokio?.release?.status !== 'known') return;
		const old = tokio.release.value.versions.find((v) => v.version === '1.0.0');
		assert.deepEqual(old && { yanked: old.yanked, publishedAt: old.publishedAt, checksum: /^[0-9a-f]{64}$/.test(old.checksum) }, { yanked: true, publishedAt: '2021-01-01T00:00:00Z', checksum: true });
	});

	test('index facts are revalidated with a 304 once their time to live has passed', async () => {
		const timers = fakeSessionTimers(Date.now());
		const { ws, registry, session } = await setup({}, { timers, now: timers.now });
		const first = await session.analyze(ws.dir);
		await session.drain(first);
		const indexRequests = () => registry.requests.filter((r) => r.path.startsWith('/index/') && r.path !== '/index/config.json');
		const before = indexRequests().length;
		assert.ok(before > 0);
		timers.advance(29 * 60_000);
		await session.drain(await session.analyze(ws.dir));
		assert.equal(indexRequests().length, before, 'nothing is asked within the time to live');
		timers.advance(2 * 60_000);
		await session.drain(await session.analyze(ws.dir));
		const revalidations = indexRequests().slice(before);
		const paths = (requests: { path: string }[]) => [...new Set(requests.map((r) => r.path))].sort();
		assert.deepEqual(paths(revalidations), paths(indexRequests().slice(0, before)), 'every index file is asked again');
		assert.ok(revalidations.every((r) => typeof r.headers['if-none-match'] === 'string'), 'with its ETag, so the registry answers 304');
	});

	test('a transient failure is retried with backoff, and the fact becomes known', async () => {
		const timers = fakeSessionTimers(Date.now());
		const { ws, registry, session } = await setup({}, { timers, now: timers.now });
		registry.fault({ kind: 'status-500', path: '/index/' });
		const first = await session.analyze(ws.dir);
		await session.drain(first);
		const failed = await session.analyze(ws.dir);
		assert.ok(failed.packages.some((trust) => trust.release?.status === 'unknown'));
		registry.clearFaults();
		const landed: string[] = [];
		session.onFactsLanded((roots) => landed.push(...roots));
		timers.advance(15_000);
		await session.drain(failed);
		const recovered = await session.analyze(ws.dir);
		const registryPackages = recovered.packages.filter((trust) => trust.pkg.source.kind !== 'path');
		assert.ok(registryPackages.every((trust) => trust.release?.status === 'known'), 'every release fact is known after the retry');
		timers.advance(1000);
		assert.ok(landed.includes(ws.dir), 'listeners heard the root');
	});

	test("a wildcard audit vets a transitive package by its publisher from crates.io's API, fetched only for crates with such entries", async () => {
		const { ws, registry, session } = await setup({ mio: { publishedBy: 'carllerche', publisherId: 42 } });
		mkdirSync(join(ws.dir, 'supply-chain'));
		writeFileSync(join(ws.dir, 'supply-chain', 'config.toml'), '');
		writeFileSync(join(ws.dir, 'supply-chain', 'audits.toml'), '[[wildcard-audits.mio]]\nwho = "acme"\ncriteria = "safe-to-deploy"\nuser-id = 42\nstart = "2024-01-01"\nend = "2025-01-01"\n');
		const first = await session.analyze(ws.dir);
		await session.drain(first);
		const analysis = await session.analyze(ws.dir);
		const mio = analysis.packages.find((trust) => trust.pkg.name === 'mio')!;
		const verdict = analysis.audits.statuses?.verdicts.get(mio.pkg.index);
		assert.ok(verdict && vetPasses(verdict), JSON.stringify(verdict));
		assert.deepEqual(verdict.by.map((step) => step.kind), ['wildcard']);
		const apiPaths = new Set(registry.requests.map((request) => request.path).filter((path) => path.startsWith('/api/')));
		assert.ok(apiPaths.has('/api/v1/crates/mio/versions'));
		assert.ok(!apiPaths.has('/api/v1/crates/libc/versions'), 'a transitive crate without wildcard or trusted entries is not asked for');
	});
});
