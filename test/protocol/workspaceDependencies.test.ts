/**
 * A multi-member workspace over the real language server: a problem chosen in `[workspace.dependencies]` is one row on
 * that entry with the members' lines as related information, members that declare their own version keep one row
 * each, and hovering a `[workspace.dependencies]` entry shows the package it resolves to and who uses it.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { startOfflineServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

const ROOT = `[workspace]
members = ["app", "cli"]
resolver = "2"

[workspace.dependencies]
time = "0.1"
tokio = { version = "1", features = ["net"] }
atty = "0.2"
`;
const APP = `[package]
name = "trust-demo"
version = "0.1.0"

[dependencies]
time.workspace = true
tokio.workspace = true
smallvec = "1.6"
`;
const CLI = `[package]
name = "demo-cli"
version = "0.1.0"

[dependencies]
time = { workspace = true }
tokio.workspace = true
atty = "0.2"

[dev-dependencies]
tokio = "1"
`;

const codes = (diagnostics: Diagnostic[] | undefined): string[] => (diagnostics ?? []).map((d) => `${d.range.start.line + 1} ${String(d.code)}`).sort();

void describe('[workspace.dependencies] over the language server', () => {
	let ws: TempWorkspace;
	let client: LspTestClient;
	const file = (path: string): string => join(ws.dir, path);
	const uri = (path: string): string => pathToFileURL(file(path)).href;

	before(async () => {
		ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		rmSync(file('src'), { recursive: true });
		rmSync(file('deny.toml'));
		writeFileSync(file('Cargo.toml'), ROOT);
		for (const [dir, text] of [['app', APP], ['cli', CLI]] as const) {
			mkdirSync(file(`${dir}/src`), { recursive: true });
			writeFileSync(file(`${dir}/Cargo.toml`), text);
			writeFileSync(file(`${dir}/src/lib.rs`), '');
		}
		const lock = readFileSync(file('Cargo.lock'), 'utf8');
		writeFileSync(file('Cargo.lock'), lock.replace('[[package]]\nname = "trust-demo"', '[[package]]\nname = "demo-cli"\nversion = "0.1.0"\ndependencies = [\n "atty",\n "time",\n "tokio",\n]\n\n[[package]]\nname = "trust-demo"'));
		client = startOfflineServer(ws);
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(file('app/Cargo.toml'));
		await client.waitFor('diagnostics on every manifest', () => client.diagnostics.get(uri('Cargo.toml'))?.some((d) => d.code === 'RUSTSEC-2020-0071') && client.diagnostics.has(uri('cli/Cargo.toml')));
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	void it('reports a package chosen in [workspace.dependencies] there once, with the members lines as related information', () => {
		const root = client.diagnostics.get(uri('Cargo.toml'))!;
		assert.deepEqual(codes(root), ['6 RUSTSEC-2020-0071', '7 RUSTSEC-2024-0019']);
		const time = root.find((d) => d.code === 'RUSTSEC-2020-0071')!;
		assert.equal(time.message, 'time 0.1.43 vulnerable, fixed in 0.2.23: Potential segfault in the time crate');
		assert.deepEqual(
			time.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line + 1, r.message]),
			[
				[uri('app/Cargo.toml'), 6, 'uses [workspace.dependencies] time, which resolves to time 0.1.43'],
				[uri('cli/Cargo.toml'), 6, 'uses [workspace.dependencies] time, which resolves to time 0.1.43'],
			],
		);
		const mio = root.find((d) => d.code === 'RUSTSEC-2024-0019')!;
		assert.equal(mio.message, 'mio 0.8.4 (via tokio) vulnerable, fixed in 0.8.11: Tokens for named pipes may be delivered after deregistration');
		// cli's own `tokio = "1"` in [dev-dependencies] brings mio in too: related, not another row.
		assert.deepEqual(
			mio.relatedInformation?.map((r) => `${r.location.uri.slice(uri('').length + 1)}:${r.location.range.start.line + 1}`),
			['app/Cargo.toml:7', 'cli/Cargo.toml:7', 'cli/Cargo.toml:11'],
		);
	});

	void it('keeps one row per member that declares its own version, and none for inherited entries', async () => {
		assert.deepEqual(codes(client.diagnostics.get(uri('app/Cargo.toml'))), ['8 RUSTSEC-2021-0003']);
		assert.deepEqual(codes(client.diagnostics.get(uri('cli/Cargo.toml'))), ['8 RUSTSEC-2021-0145']);
		const lockCodes = codes(await client.waitForDiagnostics(file('Cargo.lock'), (d) => d.length > 0)).map((entry) => entry.split(' ')[1]).sort();
		// The lockfile keeps one row per (advisory, package), ansi_term's too: no manifest declares it here.
		assert.deepEqual(lockCodes, ['RUSTSEC-2020-0071', 'RUSTSEC-2021-0003', 'RUSTSEC-2021-0139', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019']);
	});

	void it('hovers a [workspace.dependencies] entry with the card of its package and who uses it', async () => {
		client.open(file('Cargo.toml'));
		const hover = await client.hover(file('Cargo.toml'), ROOT.indexOf('tokio = {') + 2);
		const value = (hover?.contents as MarkupContent).value;
		assert.match(value, /^\*\*tokio\*\* `1\.\d+\.\d+` · crates\.io · requirement `1`/);
		assert.match(value, /Used by 2 members: trust-demo, demo-cli/);
		assert.match(value, /`mio 0\.8\.4` via tokio → mio: \*\*vulnerability\*\* \[RUSTSEC-2024-0019\]/);
		const unused = await client.hover(file('Cargo.toml'), ROOT.indexOf('atty = ') + 1);
		assert.match((unused?.contents as MarkupContent).value, /Used by no member: none writes `atty\.workspace = true`\./);
	});
});
