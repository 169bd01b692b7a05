/**
 * The bundled language server over stdio, driven by a real JSON-RPC client: initialize, diagnostics on the
 * example workspace, hover on Cargo.toml and Cargo.lock, lockfile edits in the editor and on disk, shutdown.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol';
import { startOfflineServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

const summary = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${String(d.code)} ${d.message}`).sort();

void describe('language server over stdio', () => {
	let ws: TempWorkspace;
	let client: LspTestClient;
	let manifest: string;
	let lockfile: string;

	// Each test gets its own copy of the workspace and its own server: none relies on what another did.
	beforeEach(async () => {
		ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		manifest = join(ws.dir, 'Cargo.toml');
		lockfile = join(ws.dir, 'Cargo.lock');
		client = startOfflineServer(ws);
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
		client.open(manifest);
		// Hovers describe the analysis with the advisory database loaded.
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	});

	afterEach(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	void it('publishes advisory diagnostics on direct and rolled-up transitive dependencies', async () => {
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
		assert.deepEqual(summary(diagnostics), [
			'10:1 1 RUSTSEC-2024-0019 mio 0.8.4 (via tokio) vulnerable, fixed in 0.8.11: Tokens for named pipes may be delivered after deregistration',
			'12:1 2 RUSTSEC-2021-0145 atty 0.2.14 unsound, no fixed version: Potential unaligned read',
			'8:1 1 RUSTSEC-2020-0071 time 0.1.43 vulnerable, fixed in 0.2.23: Potential segfault in the time crate',
			'9:1 1 RUSTSEC-2021-0003 smallvec 1.6.0 vulnerable, fixed in 1.6.1: Buffer overflow in SmallVec::insert_many',
		]);
		const time = diagnostics.find((d) => d.code === 'RUSTSEC-2020-0071')!;
		assert.equal(time.source, 'cargo-trust');
		assert.equal(time.severity, DiagnosticSeverity.Error);
		assert.equal(time.codeDescription?.href, 'https://rustsec.org/advisories/RUSTSEC-2020-0071.html');
		assert.deepEqual(time.range, { start: { line: 7, character: 0 }, end: { line: 7, character: 4 } });
	});

	void it('publishes diagnostics on the Cargo.lock entries without the file being open', async () => {
		const diagnostics = await client.waitForDiagnostics(lockfile, (d) => d.length > 0);
		assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ['RUSTSEC-2020-0071', 'RUSTSEC-2021-0003', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019']);
	});

	void it('reports quiescence and the counts in cargoTrust/status', async () => {
		const status = await client.waitFor('status with counts', () => (client.lastStatus?.quiescent && client.lastStatus.counts.error > 0 ? client.lastStatus : undefined));
		assert.deepEqual(status.counts, { error: 6, warning: 2, information: 0 });
		assert.equal(status.health, 'ok');
		assert.ok(client.progressTitles.some((title) => title.includes('advisory database')), client.progressTitles.join());
	});

	void it('hovers a vulnerable dependency with the advisory card', async () => {
		const text = readFileSync(manifest, 'utf8');
		const hover = await client.hover(manifest, text.indexOf('time = ') + 2);
		const value = (hover?.contents as MarkupContent).value;
		assert.match(value, /^\*\*time\*\* `0\.1\.43` · crates\.io · requirement `0\.1`/);
		assert.match(value, /\*\*vulnerability\*\* \[RUSTSEC-2020-0071\]\(https:\/\/rustsec\.org\/advisories\/RUSTSEC-2020-0071\.html\): Potential segfault in the time crate/);
		assert.match(value, /patched: 0\.2\.23 or later/);
		assert.match(value, /affected functions: `time::OffsetDateTime::now_local`, `time::at`/);
		assert.match(value, /Advisories: RustSec advisory-db at .*examples\/advisory-db/);
	});

	void it('shows an ignored advisory as ignored, with the reason and where it was written', async () => {
		const text = readFileSync(manifest, 'utf8');
		const hover = await client.hover(manifest, text.indexOf('ansi_term'));
		const value = (hover?.contents as MarkupContent).value;
		assert.match(value, /~~\*\*unmaintained\*\* \[RUSTSEC-2021-0139\]/);
		assert.match(value, /ignored: ansi\\_term only colours our CLI help output \(.*deny\.toml\)/);
	});

	void it('shows the transitive path on hover of the direct dependency and of the Cargo.lock entry', async () => {
		const text = readFileSync(manifest, 'utf8');
		const hover = await client.hover(manifest, text.indexOf('tokio'));
		assert.match((hover?.contents as MarkupContent).value, /`mio 0\.8\.4` via tokio → mio: \*\*vulnerability\*\* \[RUSTSEC-2024-0019\]/);
		const lockText = readFileSync(lockfile, 'utf8');
		client.open(lockfile, lockText);
		const lockHover = await client.hover(lockfile, lockText.indexOf('name = "mio"') + 9);
		const value = (lockHover?.contents as MarkupContent).value;
		assert.match(value, /^\*\*mio\*\* `0\.8\.4` · crates\.io · transitive dependency/);
		assert.match(value, /\*\*Brought in by\*\*\n\n- tokio → mio/);
		assert.match(value, /only on os: windows/);
	});

	void it('drops a diagnostic when the lockfile is edited in the editor to a patched version', async () => {
		const lockText = readFileSync(lockfile, 'utf8');
		client.open(lockfile, lockText);
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003'));
		client.change(lockfile, lockText.replace('name = "smallvec"\nversion = "1.6.0"', 'name = "smallvec"\nversion = "1.6.1"'));
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => !d.some((x) => x.code === 'RUSTSEC-2021-0003'), 'the smallvec diagnostic to go');
		assert.ok(diagnostics.some((d) => d.code === 'RUSTSEC-2020-0071'));
	});

	void it('follows a Cargo.lock changed on disk', async () => {
		const lockText = readFileSync(lockfile, 'utf8');
		// The open buffer first patches smallvec, so the disk's version is seen coming back once the buffer closes.
		client.open(lockfile, lockText);
		client.change(lockfile, lockText.replace('name = "smallvec"\nversion = "1.6.0"', 'name = "smallvec"\nversion = "1.6.1"'));
		await client.waitForDiagnostics(manifest, (d) => d.length > 0 && !d.some((x) => x.code === 'RUSTSEC-2021-0003'), 'the smallvec diagnostic to go');
		writeFileSync(lockfile, lockText.replace('name = "time"\nversion = "0.1.43"', 'name = "time"\nversion = "0.2.23"'));
		// The editor buffer wins over the disk while it is open; the watcher event matters once it is closed.
		client.close(lockfile);
		client.filesChanged([lockfile]);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003'), 'smallvec back from the disk');
		// time 0.2.23 is patched, and no longer matches the manifest's requirement "0.1".
		assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ['RUSTSEC-2021-0003', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019', 'not-locked']);
		assert.match(diagnostics.find((d) => d.code === 'not-locked')!.message, /^no locked version of time satisfies "0\.1"/);
	});
});
