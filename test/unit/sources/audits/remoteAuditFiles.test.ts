/**
 * audits.toml files from URLs (`cargoTrust.audits.sources`, and `[imports]` with `cargoTrust.audits.fetchImports`):
 * fetched through the HTTP layer into our cache, revalidated with their ETag after the TTL, never waited on by a
 * peek; offline, failing or serving garbage, the cached copy is used and a note says so; without a copy, a note says
 * the source is not used and nothing is vetted by it. Served by a small file server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AuditIndex, vetPasses } from '../../../../server/src/engine/audits/auditGraph';
import { HttpClient } from '../../../../server/src/sources/http/httpClient';
import { RemoteAuditFiles } from '../../../../server/src/sources/audits/remoteAuditFiles';
import { readAuditStore } from '../../../../server/src/sources/audits/readAuditStore';
import { fakeTimers, type FakeTimers } from '../../../support/fakeTimers';

const AUDITS = '[[audits.foo]]\nwho = "Ann"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"\n';
const HTML = '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n';

/** Serves `files` by path with an ETag and 304s; `status` overrides the answer for every path. */
class FileServer {
	files = new Map<string, string>();
	status: number | undefined;
	requests: { path: string; ifNoneMatch: string | undefined }[] = [];
	url = '';
	private readonly server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const path = request.url ?? '/';
		const ifNoneMatch = request.headers['if-none-match'];
		this.requests.push({ path, ifNoneMatch });
		const body = this.files.get(path);
		if (this.status !== undefined || body === undefined) return void response.writeHead(this.status ?? 404).end('no');
		const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 12)}"`;
		if (ifNoneMatch === etag) return void response.writeHead(304, { etag }).end();
		response.writeHead(200, { etag, 'content-type': 'text/plain' }).end(body);
	});

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setup(): Promise<{ server: FileServer; dir: string; timers: FakeTimers; remote: (offline?: boolean) => { files: RemoteAuditFiles; changes: () => number } }> {
	const server = await new FileServer().start();
	cleanups.push(() => server.close());
	const dir = mkdtempSync(join(tmpdir(), 'cargo-trust-remote-audits-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	const timers = fakeTimers(Date.UTC(2026, 11, 1));
	const remote = (offline = false) => {
		const http = new HttpClient({ userAgent: 'cargo-trust-test', timers, random: () => 0, retries: 0, offline });
		cleanups.push(() => http.close());
		let changes = 0;
		const files = new RemoteAuditFiles({ http, cacheDir: dir, now: () => new Date(timers.now()), onChanged: () => changes++ });
		return { files, changes: () => changes };
	};
	return { server, dir, timers, remote };
}

test('fetched in the background into the cache, then revalidated with its ETag after the TTL', async () => {
	const { server, timers, remote } = await setup();
	server.files.set('/audits.toml', AUDITS);
	const url = `${server.url}/audits.toml`;
	const { files, changes } = remote();
	assert.deepEqual(await files.peek(url), { text: undefined, note: `audit source ${url}: not fetched yet, so it is not used yet` });
	await files.settle();
	assert.deepEqual(await files.peek(url), { text: AUDITS, note: undefined });
	assert.equal(changes(), 1);
	assert.equal(server.requests.length, 1, 'within the TTL, no second request');
	timers.advance(31 * 60_000);
	await files.peek(url);
	await files.settle();
	assert.equal(server.requests.length, 2);
	assert.match(server.requests[1]!.ifNoneMatch ?? '', /^"[0-9a-f]{12}"$/);
	assert.deepEqual(await files.peek(url), { text: AUDITS, note: undefined });
	assert.equal(changes(), 1, 'a 304 changes nothing');
});

test('failing, serving garbage or offline: the cached copy is used and said; without one, it is not used', async () => {
	const { server, timers, remote } = await setup();
	const url = `${server.url}/audits.toml`;
	// Garbage with nothing cached: not used.
	server.files.set('/audits.toml', HTML);
	const first = remote().files;
	await first.peek(url);
	await first.settle();
	const garbage = await first.peek(url);
	assert.equal(garbage.text, undefined);
	assert.match(garbage.note ?? '', /sent something unusable \(it is not an audits\.toml .*\), and there is no cached copy, so it is not used$/);
	// A good copy lands; then the server fails: the copy is kept and the note says when it was fetched.
	server.files.set('/audits.toml', AUDITS);
	timers.advance(31 * 60_000);
	await first.peek(url);
	await first.settle();
	server.status = 500;
	timers.advance(31 * 60_000);
	await first.peek(url);
	await first.settle();
	const failed = await first.peek(url);
	assert.equal(failed.text, AUDITS);
	assert.match(failed.note ?? '', /could not be fetched \(.*500.*\); using the copy fetched 2026-12-01$/);
	// Garbage again: the copy is kept, the garbage is not used.
	server.status = undefined;
	server.files.set('/audits.toml', HTML);
	timers.advance(31 * 60_000);
	await first.peek(url);
	await first.settle();
	assert.equal((await first.peek(url)).text, AUDITS);
	// A new process, offline: the disk cache answers, and says it.
	const offline = remote(true).files;
	await offline.peek(url);
	await offline.settle();
	assert.deepEqual(await offline.peek(url), { text: AUDITS, note: `audit source ${url}: offline; using the copy fetched 2026-12-01` });
});

test('only https:// (or loopback http) URLs are fetched', async () => {
	const { server, remote } = await setup();
	const { files } = remote();
	const answer = await files.peek('http://example.invalid/audits.toml');
	assert.deepEqual(answer, { text: undefined, note: 'audit source http://example.invalid/audits.toml is not an https:// URL, so it is not fetched or used' });
	await files.settle();
	assert.equal(server.requests.length, 0);
});

test('readAuditStore: a URL source vets once fetched; fetchImports replaces imports.lock\'s copy of an import', async () => {
	const { server, dir, remote } = await setup();
	server.files.set('/audits.toml', AUDITS);
	server.files.set('/acme.toml', '[[audits.bar]]\nwho = "Bo"\ncriteria = "safe-to-deploy"\nversion = "3.0.0"\n');
	const root = join(dir, 'ws');
	mkdirSync(join(root, 'supply-chain'), { recursive: true });
	writeFileSync(join(root, 'supply-chain', 'config.toml'), `[imports.acme]\nurl = "${server.url}/acme.toml"\n`);
	writeFileSync(join(root, 'supply-chain', 'audits.toml'), '');
	writeFileSync(join(root, 'supply-chain', 'imports.lock'), '[[audits.acme.audits.bar]]\nwho = "Bo"\ncriteria = "safe-to-deploy"\nversion = "2.0.0"\n');
	const { files } = remote();
	const sources = [`${server.url}/audits.toml`];
	const read = () => readAuditStore(root, undefined, sources, { remote: files, fetchImports: true });
	const before = await read();
	assert.equal(before.status, 'known');
	if (before.status !== 'known') return;
	assert.equal(vetPasses(new AuditIndex(before.store).vet('foo', '1.2.0', ['safe-to-deploy'])), false, 'nothing vetted before the fetch');
	assert.ok(vetPasses(new AuditIndex(before.store).vet('bar', '2.0.0', ['safe-to-deploy'])), 'imports.lock until the import is fetched');
	assert.ok(before.notes.some((note) => note.includes('import acme: using the copy in imports.lock')));
	await files.settle();
	const after = await read();
	if (after.status !== 'known') return assert.fail('known');
	const index = new AuditIndex(after.store);
	assert.ok(vetPasses(index.vet('foo', '1.2.0', ['safe-to-deploy'])));
	assert.equal(index.vet('foo', '1.2.0', ['safe-to-deploy']).by[0]!.source, sources[0]);
	assert.ok(vetPasses(index.vet('bar', '3.0.0', ['safe-to-deploy'])), 'the fresh import');
	assert.equal(vetPasses(index.vet('bar', '2.0.0', ['safe-to-deploy'])), false, "imports.lock's copy is replaced");
	assert.deepEqual(after.notes, []);
	assert.equal([...after.texts.keys()].some((path) => path.startsWith('http')), false, 'fetched files are not editor files');
});
