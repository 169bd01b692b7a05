/**
 * Peak RSS of the shipped server (`dist/server.js` over stdio, its own process) on wasmtime's real workspace with
 * every signal loaded (issue 13, target < 150 MB): the advisory database snapshot, and release facts, publishers and
 * unsafe counts for every locked crates.io package, served by our registry on 127.0.0.1. Each package gets a small
 * generated `.crate`; since Cargo.lock's checksums are those of the real crates, the workspace is copied to a
 * temporary directory and its lockfile rewritten with the generated checksums (nothing else changes).
 * Provenance stays on (every signal): the generated crates carry no `.cargo_vcs_info.json`, so each package's
 * provenance is settled as missing without any git traffic.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { startServer, type LspTestClient } from '../support/lspClient';
import { repoRoot, sharedDataDir } from '../support/paths';
import { RegistryServer, type FakeCrate } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

/** The wasmtime snapshot with the most manifests (there may be several, e.g. an older one). */
function wasmtimeWorkspace(workspaces: string): string | undefined {
	if (!existsSync(workspaces)) return undefined;
	const countManifests = (dir: string): number =>
		readdirSync(dir, { withFileTypes: true }).reduce((n, entry) => n + (entry.isDirectory() ? countManifests(join(dir, entry.name)) : entry.name === 'Cargo.toml' ? 1 : 0), 0);
	const candidates = readdirSync(workspaces).filter((name) => name.startsWith('wasmtime') && existsSync(join(workspaces, name, 'Cargo.lock')));
	return candidates.map((name) => ({ dir: join(workspaces, name), manifests: countManifests(join(workspaces, name)) })).sort((a, b) => b.manifests - a.manifests)[0]?.dir;
}

/** A few lines with each kind of unsafe, varied by package so counts differ. */
function crateFor(name: string, version: string, i: number): Uint8Array {
	const lib = `pub unsafe fn raw(p: *const u8) -> u8 { unsafe { *p } }\nunsafe impl Send for X {}\n${'pub fn f() { let _ = 1; }\n'.repeat(i % 20)}`;
	return buildCrate(name, version, { 'src/lib.rs': lib });
}

/** Every crates.io package of the lockfile as a registry crate, and the lockfile with the generated checksums. */
function registryFor(lockfile: string): { crates: FakeCrate[]; lockfile: string; packages: number } {
	const byName = new Map<string, FakeCrate>();
	let packages = 0;
	const rewritten = lockfile.split(/(?=^\[\[package\]\]$)/m).map((block) => {
		const name = /^name = "([^"]+)"$/m.exec(block)?.[1];
		const version = /^version = "([^"]+)"$/m.exec(block)?.[1];
		if (!name || !version || !block.includes(`source = "${CRATES_IO}"`)) return block;
		const crate = crateFor(name, version, packages++);
		const krate = byName.get(name) ?? { name, versions: [] };
		krate.versions.push({ vers: version, pubtime: '2024-01-01T00:00:00Z', publishedBy: 'bench', crate });
		byName.set(name, krate);
		return block.replace(/^checksum = "[0-9a-f]+"$/m, `checksum = "${sha256(crate)}"`);
	});
	return { crates: [...byName.values()], lockfile: rewritten.join(''), packages };
}

const vmKb = (client: LspTestClient, field: 'VmHWM' | 'VmRSS'): number => {
	const status = readFileSync(`/proc/${client.process!.pid}/status`, 'utf8');
	return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
};

export async function benchWasmtimeMemory(): Promise<BenchResult[]> {
	const data = sharedDataDir() ?? '/work/shared/data';
	const source = wasmtimeWorkspace(join(data, 'workspaces'));
	if (!source) return [{ name: `wasmtime memory: skipped, no wasmtime workspace under ${join(data, 'workspaces')}`, value: NaN, unit: 'skipped' }];
	const base = tempDir('cargo-trust-wasmtime-memory-');
	const root = join(base, 'wasmtime');
	cpSync(source, root, { recursive: true });
	const { crates, lockfile, packages } = registryFor(readFileSync(join(root, 'Cargo.lock'), 'utf8'));
	writeFileSync(join(root, 'Cargo.lock'), lockfile);
	const registry = await RegistryServer.start({ crates });
	mkdirSync(join(root, '.cargo'), { recursive: true });
	writeFileSync(join(root, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "bench"\n\n[source.bench]\nregistry = "sparse+${registry.indexUrl}"\n`);
	// The server as the .vsix ships it: minified (the unminified bundle's source alone is 3.8 MB of heap, its comments
	// making it a two-byte string), started with the client's environment (startServer applies it).
	const shipped = join(base, 'shipped');
	execFileSync(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production', `--outdir=${shipped}`], { cwd: repoRoot });
	const serverBundle = join(shipped, 'server.js');
	const client = startServer({ serverBundle, env: { CARGO_HOME: join(base, 'cargo-home') }, settings: { advisoryDb: { path: join(data, 'advisory-db') } } });
	const results: BenchResult[] = [];
	try {
		await client.initialize(root, { cacheDir: join(base, 'cache'), trusted: true });
		results.push({ name: 'wasmtime: server RSS after initialize (before any document)', value: vmKb(client, 'VmRSS'), unit: 'MB' });
		const manifest = join(root, 'Cargo.toml');
		const lock = join(root, 'Cargo.lock');
		const start = process.hrtime.bigint();
		client.open(manifest);
		client.open(lock);
		// Publishers go through crates.io's limit of one request per second, so everything lands within minutes.
		await client.waitFor('every fact landed (a quiescent status)', () => client.lastStatus?.quiescent && client.lastStatus.received >= 3 && registry.requests.length > 0 && client.lastStatus, 900_000);
		const seconds = Number(process.hrtime.bigint() - start) / 1e9;
		const downloads = registry.requests.filter((r) => r.path.endsWith('/download')).length;
		const apiRequests = registry.requests.filter((r) => r.path.startsWith('/api/') && !r.path.endsWith('/download')).length;
		results.push({ name: `wasmtime (${source}): ${packages} crates.io packages served, .crate downloads`, value: downloads, unit: 'downloads' });
		results.push({ name: 'wasmtime: API requests (publishers)', value: apiRequests, unit: 'requests' });
		results.push({ name: 'wasmtime: didOpen to quiescent with every fact landed', value: seconds, unit: 's' });
		results.push({ name: 'wasmtime: server RSS at quiescent', value: vmKb(client, 'VmRSS'), unit: 'MB' });
		results.push({ name: 'wasmtime: server peak RSS (VmHWM) at quiescent', value: vmKb(client, 'VmHWM'), unit: 'MB' });
		// Hover a few Cargo.lock entries: each materialises dependency paths on demand.
		const lockText = readFileSync(lock, 'utf8');
		const names = [...lockText.matchAll(/^name = "([^"]+)"$/gm)];
		let hovered = 0;
		for (let i = 0; i < names.length; i += Math.floor(names.length / 20)) {
			const hover = await client.hover(lock, names[i]!.index! + 'name = "'.length + 1);
			if (hover) hovered++;
		}
		results.push({ name: `wasmtime: Cargo.lock entries hovered (answered)`, value: hovered, unit: 'hovers' });
		results.push({ name: 'wasmtime: server peak RSS (VmHWM) after the hovers', value: vmKb(client, 'VmHWM'), unit: 'MB' });
	} finally {
		await client.shutdown();
		await registry.close();
	}
	results.push(await offlinePeak(root, base, data, serverBundle));
	return results;
}

/** The same workspace offline (advisories, parsing and analysis, no registry facts): the share of the analysis itself. */
async function offlinePeak(root: string, base: string, data: string, serverBundle: string): Promise<BenchResult> {
	const client = startServer({ serverBundle, env: { CARGO_HOME: join(base, 'cargo-home-offline') }, settings: { advisoryDb: { path: join(data, 'advisory-db') }, network: { offline: true } } });
	try {
		await client.initialize(root, { cacheDir: join(base, 'cache-offline'), trusted: true });
		client.open(join(root, 'Cargo.toml'));
		client.open(join(root, 'Cargo.lock'));
		await client.waitForQuiescent();
		return { name: 'wasmtime offline (no registry facts): server peak RSS (VmHWM) at quiescent', value: vmKb(client, 'VmHWM'), unit: 'MB' };
	} finally {
		await client.shutdown();
	}
}
