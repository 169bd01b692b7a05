/**
 * A registry that misbehaves, seen through the workspace's registry clients and release facts as the session uses
 * them: answers that are not index data, short and huge bodies, a later good read filling facts that waited on a
 * failed one, and credentials in an index URL. Each fault comes from our own registry server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import { redactUrl, redactUrlsIn } from '../../../server/src/sources/http/redactUrl';
import type { Logger } from '../../../server/src/sources/log';
import { RegistryClients } from '../../../server/src/sources/registry/registryClients';
import { ReleaseFactsSource } from '../../../server/src/sources/registry/releaseFactsSource';
import { type FakeCrate, RegistryServer } from '../../support/registryServer';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const crates: FakeCrate[] = [
	{ name: 'itoa', versions: [{ vers: '1.0.9', pubtime: '2024-01-01T00:00:00Z' }] },
	{ name: 'serde', versions: [{ vers: '1.0.190', pubtime: '2024-02-01T00:00:00Z' }] },
];

const roots: string[] = [];
const closers: Array<() => Promise<void>> = [];
after(async () => {
	for (const close of closers.reverse()) await close();
	for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function pkg(name: string, version: string): LockedPackage {
	const range = { start: 0, end: 0 };
	return { index: 0, name, version, source: { kind: 'crates-io', raw: CRATES_IO }, checksum: undefined, dependencies: [], headerRange: range, nameRange: range, range };
}

/** A workspace replacing crates.io with `indexUrl` (with `net.retry = 1` to keep retries short), and its sources. */
async function session(indexUrl: string, extraConfig = '') {
	const root = mkdtempSync(join(tmpdir(), 'cargo-trust-faults-'));
	roots.push(root);
	mkdirSync(join(root, 'ws', '.cargo'), { recursive: true });
	writeFileSync(join(root, 'ws', '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "mirror"\n\n[source.mirror]\nregistry = "sparse+${indexUrl}"\n\n[net]\nretry = 1\n${extraConfig}`);
	const warnings: string[] = [];
	const log: Logger = { info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
	const environment = { env: { CARGO_HOME: join(root, 'home') }, homeDir: root, now: () => new Date() };
	const clients = new RegistryClients({ root: join(root, 'ws'), environment, cacheDir: join(root, 'cache'), trusted: true, offline: false, log });
	closers.push(() => clients.close());
	const release = new ReleaseFactsSource({ clients, log, now: () => Date.now() });
	const fetch = (...pkgs: LockedPackage[]) => release.fetch(pkgs, () => {}, new AbortController().signal);
	return { clients, release, fetch, warnings };
}

async function registry(): Promise<RegistryServer> {
	const server = await RegistryServer.start({ crates });
	closers.push(() => server.close());
	return server;
}

function unknownReason(fact: ReturnType<ReleaseFactsSource['peek']>): string {
	assert.equal(fact?.status, 'unknown', JSON.stringify(fact));
	return fact?.status === 'unknown' ? fact.reason : '';
}

describe('answers that cannot be used', () => {
	test('an HTML login page on every request: the registry is `error` and each package says why', async () => {
		const server = await registry();
		server.fault({ kind: 'html' });
		const { clients, release, fetch } = await session(server.indexUrl);
		await fetch(pkg('itoa', '1.0.9'), pkg('serde', '1.0.190'));
		const [status] = clients.registryStatuses();
		assert.equal(status?.status, 'error');
		assert.match(status?.reason ?? '', /HTML page/);
		assert.match(unknownReason(release.peek(pkg('itoa', '1.0.9'))), /it\/oa\/itoa answered with an HTML page/);
	});

	test('a body shorter than its Content-Length on every request: `error`, with the reason', async () => {
		const server = await registry();
		server.fault({ kind: 'short-body' });
		const { clients, release, fetch } = await session(server.indexUrl);
		await fetch(pkg('itoa', '1.0.9'));
		assert.deepEqual(clients.registryStatuses().map((s) => [s.status, /truncated/.test(s.reason ?? '')]), [['error', true]]);
		assert.match(unknownReason(release.peek(pkg('itoa', '1.0.9'))), /truncated/);
	});

	test('huge answers are refused while they stream; a registry that answered others stays reachable but says so', async () => {
		const server = await registry();
		server.fault({ kind: 'huge', path: '/index/it/', hugeBytes: 80 * 1024 * 1024 });
		const { clients, release, fetch, warnings } = await session(server.indexUrl);
		await fetch(pkg('itoa', '1.0.9'), pkg('serde', '1.0.190'));
		assert.equal(release.peek(pkg('serde', '1.0.190'))?.status, 'known');
		assert.match(unknownReason(release.peek(pkg('itoa', '1.0.9'))), /too-large/);
		const [status] = clients.registryStatuses();
		assert.equal(status?.status, 'reachable');
		assert.match(status?.reason ?? '', /^1 of 2 index reads failed, first: too-large: /);
		assert.ok(warnings.some((warning) => /No release data for itoa 1\.0\.9: .*too-large/.test(warning)), warnings.join('\n'));
	});
});

describe('a later good read', () => {
	test('fills the fact that waited on the failed read of the same index file', async () => {
		const server = await registry();
		// Both attempts of the release read fail (net.retry = 1); the download check's read later succeeds.
		server.fault({ kind: 'status-500', path: '/index/it/', times: 2 });
		const { clients, release, fetch } = await session(server.indexUrl);
		await fetch(pkg('itoa', '1.0.9'));
		assert.match(unknownReason(release.peek(pkg('itoa', '1.0.9'))), /http-500/);
		assert.equal(await release.refilled(), false);
		const resolved = clients.resolve(CRATES_IO);
		assert.equal(resolved.kind, 'sparse');
		if (resolved.kind !== 'sparse') return;
		assert.equal((await clients.index(resolved.indexUrl, undefined).fetchVersions('itoa')).status, 'ok');
		assert.equal(await release.refilled(), true);
		const fact = release.peek(pkg('itoa', '1.0.9'));
		assert.equal(fact?.status === 'known' && fact.value.publishedAt.status === 'known' && fact.value.publishedAt.value, '2024-01-01T00:00:00Z');
		assert.equal(clients.registryStatuses()[0]?.status, 'reachable');
	});
});

describe('credentials in an index URL', () => {
	test('redactUrl hides userinfo, with or without the sparse+ prefix, and inside messages', () => {
		assert.equal(redactUrl('sparse+http://user:SECRET@127.0.0.1:9/index/'), 'sparse+http://***@127.0.0.1:9/index/');
		assert.equal(redactUrl('https://token@example.com/x'), 'https://***@example.com/x');
		assert.equal(redactUrl('https://example.com/a@b'), 'https://example.com/a@b');
		assert.equal(redactUrlsIn('cannot read https://u:p@h/ and http://v:q@i/x'), 'cannot read https://***@h/ and http://***@i/x');
	});

	test('never reach the registry status, the facts or the log', async () => {
		const server = await registry();
		const secret = server.indexUrl.replace('http://', 'http://user:SECRET@');
		server.fault({ kind: 'status-500' });
		const { clients, release, fetch, warnings } = await session(secret);
		await fetch(pkg('itoa', '1.0.9'));
		const printed = JSON.stringify([clients.registryStatuses(), release.peek(pkg('itoa', '1.0.9')), warnings]);
		assert.doesNotMatch(printed, /SECRET/);
		assert.match(printed, /http:\/\/\*\*\*@127\.0\.0\.1/);
	});
});
