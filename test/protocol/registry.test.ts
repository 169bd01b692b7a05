/**
 * Registry data and unsafe counts through the real server over stdio: the example pointed at a real-protocol
 * registry on 127.0.0.1 by cargo's source replacement. Diagnostics appear once data lands in the background,
 * and the hover card grows a release section and an unsafe section.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import type { RegistryServer } from '../support/registryServer';
import type { TempWorkspace } from '../support/tempWorkspace';

void describe('registry data in the language server', () => {
	let ws: TempWorkspace;
	let registry: RegistryServer;
	let client: LspTestClient;
	let manifest: string;
	const published = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

	// Each test gets its own workspace and server: none relies on what another did.
	beforeEach(async () => {
		({ ws, registry } = await exampleWithRegistry(exampleCrates({ tokio: { pubtime: published }, atty: { yanked: true } })));
		manifest = join(ws.dir, 'Cargo.toml');
		client = startServer({ env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(manifest);
	});

	afterEach(async () => {
		assert.equal(await client.shutdown(), 0);
		await registry.close();
	});

	void it('adds young-release and yanked diagnostics once the registry answers', async () => {
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release') && d.some((x) => x.code === 'yanked'));
		const young = diagnostics.find((d) => d.code === 'young-release')!;
		assert.equal(young.severity, 2);
		assert.match(young.message, /^tokio 1\.20\.0 was published 2 days ago .* under your 7 days policy \(cargoTrust\.releaseAge\.minimum\)$/);
		assert.equal(diagnostics.find((d) => d.code === 'yanked')!.message, 'atty 0.2.14 is yanked from crates.io');
	});

	void it('shows the release section on hover', async () => {
		const text = readFileSync(manifest, 'utf8');
		await client.waitForQuiescent();
		const hover = await client.hover(manifest, text.indexOf('tokio'));
		const value = (hover?.contents as MarkupContent).value;
		assert.match(value, new RegExp(`\\*\\*Published\\*\\* 2 days ago, ${published.slice(0, 10)}; \\*\\*old enough on \\d{4}-\\d\\d-\\d\\d\\*\\* under your 7 days policy`));
		assert.match(value, /latest `1\.20\.0` · latest compatible with `1`: `1\.20\.0`/);
		assert.match(value, /\*Registry: 127\.0\.0\.1:\d+, (fetched|revalidated) /);
		// The example's .crate files are not real archives, so unsafe counts are unknown, with the reason.
		assert.match(value, /\*\*Unsafe:\*\* unknown \(/);
	});
});
