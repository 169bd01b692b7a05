/**
 * Where advisory data comes from, through the real server: our own clone made with git from a real git server on
 * 127.0.0.1, reused offline after a restart; unknown (with the reason) when offline with nothing on disk;
 * restricted mode ignoring a redirecting setting; a hostile URL refused before git sees it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { createBareRepository, startGitHttpServer, type GitHttpServer } from '../support/gitHttpServer';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, tempDir, type TempWorkspace } from '../support/tempWorkspace';

const example = join(repoRoot, 'examples', 'basic');

async function withServer<T>(ws: TempWorkspace, settings: Record<string, unknown>, trusted: boolean, body: (client: LspTestClient) => Promise<T>): Promise<T> {
	// These tests are online for git; a vendored crates.io keeps registry lookups off the network.
	mkdirSync(join(ws.dir, '.cargo'), { recursive: true });
	writeFileSync(join(ws.dir, '.cargo', 'config.toml'), '[source.crates-io]\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "vendor"\n');
	const client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings });
	try {
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted, settings });
		client.open(join(ws.dir, 'Cargo.toml'));
		return await body(client);
	} finally {
		assert.equal(await client.shutdown(), 0);
	}
}

void describe('advisory database sources', () => {
	let git: GitHttpServer;
	before(async () => {
		const root = tempDir('cargo-trust-git-');
		mkdirSync(root, { recursive: true });
		createBareRepository(root, 'advisory-db', join(repoRoot, 'examples', 'advisory-db'));
		git = await startGitHttpServer(root);
	});
	after(() => git.close());

	void it('clones the database with git, then reuses the clone offline after a restart without any request', async () => {
		const ws = copyWorkspace(example);
		const manifest = join(ws.dir, 'Cargo.toml');
		const url = `${git.url}/advisory-db.git`;
		await withServer(ws, { advisoryDb: { url } }, true, async (client) => {
			await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
			const hover = await client.hover(manifest, readFileSync(manifest, 'utf8').indexOf('time = '));
			assert.match((hover?.contents as MarkupContent).value, /Advisories: RustSec advisory-db at .*cache\/advisory-db \\\(commit [0-9a-f]{10}\\\), updated 2026-11-20/);
		});
		assert.ok(existsSync(join(ws.cacheDir, 'advisory-db', 'crates', 'time', 'RUSTSEC-2020-0071.md')));
		const requests = git.requests;
		assert.ok(requests > 0);
		await withServer(ws, { advisoryDb: { url }, network: { offline: true } }, true, async (client) => {
			await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003'));
		});
		assert.equal(git.requests, requests, 'offline made no request');
	});

	void it('says advisory data is unavailable, and why, when offline with nothing on disk', async () => {
		const ws = copyWorkspace(example);
		const manifest = join(ws.dir, 'Cargo.toml');
		await withServer(ws, { network: { offline: true } }, true, async (client) => {
			const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'advisories-unknown'));
			assert.equal(diagnostics.length, 1);
			assert.match(diagnostics[0]!.message, /^Advisory data unavailable: offline, and no advisory database is on disk/);
			const status = await client.waitForQuiescent();
			assert.equal(status.health, 'warning');
			const hover = await client.hover(manifest, readFileSync(manifest, 'utf8').indexOf('time = '));
			assert.match((hover?.contents as MarkupContent).value, /\*\*RustSec advisories:\*\* unknown \(advisory data unavailable: offline/);
		});
	});

	void it('ignores a redirecting setting in restricted mode', async () => {
		const ws = copyWorkspace(example);
		const settings = { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') }, network: { offline: true } };
		await withServer(ws, settings, false, async (client) => {
			const diagnostics = await client.waitForDiagnostics(join(ws.dir, 'Cargo.toml'), (d) => d.some((x) => x.code === 'advisories-unknown'));
			assert.ok(!diagnostics.some((d) => String(d.code).startsWith('RUSTSEC')));
		});
	});

	void it('refuses a URL that would make git run a program', async () => {
		const ws = copyWorkspace(example);
		const marker = join(ws.cacheDir, 'pwned');
		await withServer(ws, { advisoryDb: { url: `ext::sh -c touch% ${marker}` } }, true, async (client) => {
			const diagnostics = await client.waitForDiagnostics(join(ws.dir, 'Cargo.toml'), (d) => d.some((x) => x.code === 'advisories-unknown'));
			assert.match(diagnostics[0]!.message, /is not a URL|is not an https:\/\/ URL/);
		});
		assert.ok(!existsSync(marker));
	});
});
