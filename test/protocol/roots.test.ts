/**
 * Which workspaces the server tracks and with which settings: every Cargo workspace inside each editor folder,
 * each with its own resource-scoped settings; folders added and removed; a workspace outside the folders only
 * while one of its files is open. Each test sets up its own server and workspaces.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tempWorkspace';

const advisoryDb = join(repoRoot, 'examples', 'advisory-db');
const settings = { advisoryDb: { path: advisoryDb }, network: { offline: true } };
const codes = (diagnostics: Diagnostic[] | undefined): string[] => (diagnostics ?? []).map((d) => String(d.code)).sort();

/** A temp directory with copies of the example workspace at each relative path. */
function workspaces(...paths: string[]): { base: string; cargoHome: string; cacheDir: string; dirs: string[] } {
	const base = tempDir();
	const dirs = paths.map((path) => {
		const dir = join(base, path);
		mkdirSync(dir, { recursive: true });
		cpSync(join(repoRoot, 'examples', 'basic'), dir, { recursive: true });
		return dir;
	});
	mkdirSync(join(base, 'cargo-home'));
	return { base, cargoHome: join(base, 'cargo-home'), cacheDir: join(base, 'cache'), dirs };
}

async function withServer(cargoHome: string, test: (client: LspTestClient) => Promise<void>): Promise<void> {
	const client = startServer({ env: { CARGO_HOME: cargoHome }, settings });
	try {
		await test(client);
	} finally {
		await client.shutdown();
	}
}

void describe('workspace roots and settings per root', () => {
	void it('applies each folder its own resource-scoped settings', async () => {
		const { cargoHome, cacheDir, dirs } = workspaces('a', 'b');
		const [a, b] = dirs as [string, string];
		await withServer(cargoHome, async (client) => {
			client.settingsForScope = (scopeUri) => (scopeUri?.startsWith(uri(a)) ? { ...settings, advisories: { ignore: ['RUSTSEC-2020-0071'] } } : settings);
			await client.initialize([a, b], { cacheDir, trusted: true });
			await client.waitForQuiescent();
			assert.ok(!codes(client.diagnostics.get(uri(join(a, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			assert.ok(codes(client.diagnostics.get(uri(join(b, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			// Now the other way round: each root pulls its settings again.
			client.changeSettings(settings, (scopeUri) => (scopeUri?.startsWith(uri(b)) ? { ...settings, advisories: { ignore: ['RUSTSEC-2020-0071'] } } : settings));
			await client.waitForQuiescent();
			assert.ok(codes(client.diagnostics.get(uri(join(a, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			assert.ok(!codes(client.diagnostics.get(uri(join(b, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
		});
	});

	void it('finds a Cargo workspace in a subfolder, and none under target/ or node_modules/', async () => {
		const { base, cargoHome, cacheDir, dirs } = workspaces('crates/app', 'target/package/app', 'node_modules/x');
		await withServer(cargoHome, async (client) => {
			await client.initialize(base, { cacheDir, trusted: true });
			await client.waitForQuiescent();
			assert.ok(codes(client.diagnostics.get(uri(join(dirs[0]!, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			assert.equal(client.diagnostics.get(uri(join(dirs[1]!, 'Cargo.toml'))), undefined);
			assert.equal(client.diagnostics.get(uri(join(dirs[2]!, 'Cargo.toml'))), undefined);
		});
	});

	void it('follows added and removed workspace folders', async () => {
		const { cargoHome, cacheDir, dirs } = workspaces('a', 'b');
		const [a, b] = dirs as [string, string];
		await withServer(cargoHome, async (client) => {
			await client.initialize(a, { cacheDir, trusted: true });
			await client.waitForQuiescent();
			assert.equal(client.diagnostics.get(uri(join(b, 'Cargo.toml'))), undefined);
			client.foldersChanged([b], [a]);
			await client.waitForQuiescent();
			assert.ok(codes(client.diagnostics.get(uri(join(b, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			assert.deepEqual(client.diagnostics.get(uri(join(a, 'Cargo.toml'))), []);
			assert.deepEqual(client.diagnostics.get(uri(join(a, 'Cargo.lock'))), []);
		});
	});

	void it('tracks a workspace outside the folders only while one of its files is open', async () => {
		const { cargoHome, cacheDir, dirs } = workspaces('folder', 'registry/src/dep-1.0.0');
		const [folder, dep] = dirs as [string, string];
		await withServer(cargoHome, async (client) => {
			await client.initialize(folder, { cacheDir, trusted: true });
			client.open(join(dep, 'Cargo.toml'));
			await client.waitForQuiescent();
			assert.ok(codes(client.diagnostics.get(uri(join(dep, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
			client.close(join(dep, 'Cargo.toml'));
			await client.waitForQuiescent();
			assert.deepEqual(client.diagnostics.get(uri(join(dep, 'Cargo.toml'))), []);
			assert.deepEqual(client.diagnostics.get(uri(join(dep, 'Cargo.lock'))), []);
			// The folder's own workspace stays after its file is closed.
			client.open(join(folder, 'Cargo.toml'));
			client.close(join(folder, 'Cargo.toml'));
			await client.waitForQuiescent();
			assert.ok(codes(client.diagnostics.get(uri(join(folder, 'Cargo.toml')))).includes('RUSTSEC-2020-0071'));
		});
	});

	void it('republishes only the files whose diagnostics changed', async () => {
		const { cargoHome, cacheDir, dirs } = workspaces('a');
		const manifest = join(dirs[0]!, 'Cargo.toml');
		await withServer(cargoHome, async (client) => {
			await client.initialize(dirs[0]!, { cacheDir, trusted: true });
			client.open(manifest);
			await client.waitForQuiescent();
			const before = client.publications.length;
			// A comment at the end moves no finding: nothing is sent again.
			client.change(manifest, `${readFileSync(manifest, 'utf8')}\n# a comment\n`);
			await client.waitForQuiescent();
			assert.deepEqual(client.publications.slice(before), []);
			// Dropping a vulnerable dependency changes the manifest's diagnostics; Cargo.lock still locks it, so its stay.
			client.change(manifest, readFileSync(manifest, 'utf8').replace('time = "0.1"\n', ''));
			await client.waitForQuiescent();
			assert.deepEqual([...new Set(client.publications.slice(before))], [uri(manifest)]);
		});
	});
});
