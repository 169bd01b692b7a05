/**
 * A pin quick fix answered over the protocol (issue 15, target: a code action in under 20 ms): the bundled server
 * over stdio, a workspace whose direct dependency is young and unaudited, against our registry on 127.0.0.1.
 * Measures the round trip of `textDocument/codeAction` and of `codeAction/resolve` (the edit computed from the
 * current texts), medians of 25 after the facts have landed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { startServer, uri } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { RegistryServer } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const OLD = '2024-03-01T10:00:00Z';

export async function benchCodeActions(): Promise<BenchResult[]> {
	const young = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const bytes = (version: string): Uint8Array => Buffer.from(`foo-${version}`);
	const versions = Array.from({ length: 40 }, (_, i) => `1.${i}.0`);
	const registry = await RegistryServer.start({
		crates: [{ name: 'foo', versions: versions.map((vers, i) => ({ vers, pubtime: i === versions.length - 1 ? young : OLD, publishedBy: 'maintainer', crate: bytes(vers) })) }],
	});
	const base = tempDir();
	const dir = join(base, 'workspace');
	const locked = versions.at(-1)!;
	const files: Record<string, string> = {
		'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfoo = { version = "1", features = ["std"] }\n',
		'Cargo.lock': `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["foo"]\n\n[[package]]\nname = "foo"\nversion = "${locked}"\nsource = "${CRATES_IO}"\nchecksum = "${createHash('sha256').update(bytes(locked)).digest('hex')}"\n`,
		'supply-chain/config.toml': '[cargo-vet]\nversion = "0.10"\n',
		'supply-chain/audits.toml': versions.slice(0, 30).map((version) => `[[audits.foo]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "${version}"\n`).join('\n'),
		'supply-chain/imports.lock': '',
		'.cargo/config.toml': `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`,
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(join(dir, path, '..'), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	mkdirSync(join(base, 'cargo-home'));
	const client = startServer({ env: { CARGO_HOME: join(base, 'cargo-home') }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
	try {
		await client.initialize(dir, { cacheDir: join(base, 'cache'), trusted: true });
		const manifest = join(dir, 'Cargo.toml');
		client.open(manifest);
		const hasFixes = (d: Diagnostic): boolean => Array.isArray((d.data as { fixes?: unknown[] } | undefined)?.fixes);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release' && hasFixes(x)));
		const diagnostic = diagnostics.find((d) => d.code === 'young-release')!;
		const request = { textDocument: { uri: uri(manifest) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } };
		const offerMs: number[] = [];
		const resolveMs: number[] = [];
		for (let i = 0; i < 25; i++) {
			let start = performance.now();
			const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', request);
			offerMs.push(performance.now() - start);
			const pin = actions.find((action) => action.title.startsWith('Pin to'));
			if (!pin) throw new Error(`no pin fix offered: ${JSON.stringify(actions.map((a) => a.title))}`);
			start = performance.now();
			const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', pin);
			resolveMs.push(performance.now() - start);
			if (!resolved.edit) throw new Error('the pin fix resolved without an edit');
		}
		const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
		return [
			{ name: 'textDocument/codeAction on a young, unaudited dependency (40 versions), round trip, median of 25', value: median(offerMs), unit: 'ms' },
			{ name: 'codeAction/resolve of "Pin to" (the =X.Y.Z edit from the current texts), round trip, median of 25', value: median(resolveMs), unit: 'ms' },
		];
	} finally {
		await client.shutdown();
		await registry.close();
		rmSync(base, { recursive: true, force: true });
	}
}
