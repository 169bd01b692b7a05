/**
 * The first young-release, for workspaces of 10 and 40 direct dependencies on our registry on 127.0.0.1 with 20 ms of
 * latency per request, crates.io's API (publishers, downloads) answering after 1 s: at the session level, from
 * want() to the first analysis that has it; at the server level (the bundled server over stdio), from didOpen to the
 * first published diagnostic. Each fact lands on its own, so neither may grow with the number of direct dependencies.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings } from '../../server/src/protocol';
import { nodeEnvironment } from '../../server/src/sources/environment';
import { silentLogger } from '../../server/src/sources/log';
import { TrustSession } from '../../server/src/trustSession';
import { startServer } from '../support/lspClient';
import { checksumOf, RegistryServer, type FakeVersion } from '../support/registryServer';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';

interface Fixture {
	root: string;
	server: RegistryServer;
	cargoHome: string;
}

/** `directs` direct dependencies, the last one published a day ago, on a registry with the latencies above. */
async function fixture(directs: number): Promise<Fixture> {
	const young = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const versions = Array.from({ length: directs }, (_, i): [string, FakeVersion] => [`dep${i}`, { vers: '1.0.0', pubtime: i === directs - 1 ? young : '2024-01-01T00:00:00Z', publishedBy: 'bench' }]);
	const server = await RegistryServer.start({ crates: versions.map(([name, version]) => ({ name, versions: [version] })) });
	server.fault({ kind: 'delay', delayMs: 20, path: '/index/' });
	server.fault({ kind: 'delay', delayMs: 1000, path: '/api/' });
	const root = tempDir('cargo-trust-landing-bench-');
	mkdirSync(join(root, '.cargo'));
	writeFileSync(join(root, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "bench"\n\n[source.bench]\nregistry = "sparse+${server.indexUrl}"\n`);
	writeFileSync(join(root, 'Cargo.toml'), `[package]\nname = "bench"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${versions.map(([name]) => `${name} = "1"`).join('\n')}\n`);
	const lockPackages = versions.map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${checksumOf(name, version)}"\n`);
	writeFileSync(join(root, 'Cargo.lock'), `version = 4\n\n[[package]]\nname = "bench"\nversion = "0.1.0"\ndependencies = [\n${versions.map(([name]) => ` "${name}",`).join('\n')}\n]\n\n${lockPackages.join('\n')}`);
	return { root, server, cargoHome: join(root, 'cargo-home') };
}

async function firstYoungRelease(directs: number): Promise<number> {
	const { root, server, cargoHome } = await fixture(directs);
	const environment = { ...nodeEnvironment(), env: { ...process.env, CARGO_HOME: cargoHome } };
	const session = new TrustSession({ environment, log: silentLogger, settings: defaultSettings, trusted: true, cacheDir: join(root, 'cache'), offline: false, advisoryDbPath: join(repoRoot, 'examples', 'advisory-db'), noProvenance: true });
	const analysis = await session.analyze(root);
	const start = process.hrtime.bigint();
	const landed = new Promise<void>((resolve) => {
		session.onFactsLanded(() => void session.analyze(root).then((next) => next.findings.some((f) => f.code === 'young-release') && resolve()));
	});
	session.want(analysis, {});
	await landed;
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	await session.dispose();
	await server.close();
	return ms;
}

/** The bundled server over stdio: from didOpen of the manifest to the first young-release diagnostic published. */
async function firstYoungReleaseDiagnostic(directs: number): Promise<number> {
	const { root, server, cargoHome } = await fixture(directs);
	const client = startServer({ env: { CARGO_HOME: cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
	await client.initialize(root, { cacheDir: join(root, 'cache'), trusted: true });
	const manifest = join(root, 'Cargo.toml');
	const start = process.hrtime.bigint();
	client.open(manifest);
	await client.waitForDiagnostics(manifest, (diagnostics) => diagnostics.some((d) => d.code === 'young-release'), 'the first young-release');
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	await client.shutdown();
	await server.close();
	return ms;
}

export async function benchFactLanding(): Promise<BenchResult[]> {
	const results: BenchResult[] = [];
	for (const directs of [10, 40]) results.push({ name: `want() to first young-release, ${directs} direct deps, 20 ms latency`, value: await firstYoungRelease(directs), unit: 'ms' });
	for (const directs of [10, 40]) results.push({ name: `server: didOpen to first young-release diagnostic, ${directs} direct deps, 20 ms latency`, value: await firstYoungReleaseDiagnostic(directs), unit: 'ms' });
	return results;
}
