/**
 * Release data for every registry package of ../shared/data/workspaces/wasmtime (583 locked packages) against our
 * own registry server on 127.0.0.1 with 20 ms of injected latency per request: cold (empty cache), warm (every
 * index file revalidated with a 304), and offline from the disk cache.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLockfile } from '../../server/src/engine/lockfile/parseLockfile';
import type { LockedPackage } from '../../server/src/engine/lockfile/types';
import { nodeEnvironment } from '../../server/src/sources/environment';
import { silentLogger } from '../../server/src/sources/log';
import { RegistryClients } from '../../server/src/sources/registry/registryClients';
import { ReleaseFactsSource } from '../../server/src/sources/registry/releaseFactsSource';
import { sharedDataDir } from '../support/paths';
import { RegistryServer, type FakeCrate } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';

export async function benchRegistry(): Promise<BenchResult[]> {
	const data = sharedDataDir();
	if (!data) return [{ name: 'registry', value: NaN, unit: 'skipped: ../shared/data is absent' }];
	const lock = parseLockfile(readFileSync(join(data, 'workspaces', 'wasmtime', 'Cargo.lock'), 'utf8')).value;
	const pkgs = lock.packages.filter((pkg) => pkg.source.kind === 'crates-io');
	const byName = new Map<string, FakeCrate>();
	for (const pkg of pkgs) {
		const crate = byName.get(pkg.name) ?? { name: pkg.name, versions: [] };
		crate.versions.push({ vers: pkg.version, pubtime: '2025-01-01T00:00:00Z', publishedBy: 'bench' });
		byName.set(pkg.name, crate);
	}
	const server = await RegistryServer.start({ crates: [...byName.values()] });
	server.fault({ kind: 'delay', delayMs: 20 });
	const root = tempDir('cargo-trust-bench-');
	mkdirSync(join(root, '.cargo'));
	writeFileSync(join(root, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "bench"\n\n[source.bench]\nregistry = "sparse+${server.indexUrl}"\n`);
	const cacheDir = join(root, 'cache');
	const environment = { ...nodeEnvironment(), env: { ...process.env, CARGO_HOME: join(root, 'cargo-home') } };

	const run = async (offline: boolean): Promise<number> => {
		const clients = new RegistryClients({ root, environment, cacheDir, trusted: true, offline, log: silentLogger });
		const source = new ReleaseFactsSource({ clients, log: silentLogger, now: () => Date.now() });
		const start = process.hrtime.bigint();
		await source.fetch(pkgs as LockedPackage[], () => {}, new AbortController().signal);
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		const unknownCount = pkgs.filter((pkg) => source.peek(pkg)?.status !== 'known').length;
		await clients.close();
		if (unknownCount) throw new Error(`${unknownCount} packages without release data`);
		return ms;
	};
	const cold = await run(false);
	const requestsCold = server.requests.length;
	const warm = await run(false);
	const requestsWarm = server.requests.length - requestsCold;
	const offline = await run(true);
	const requestsOffline = server.requests.length - requestsCold - requestsWarm;
	await server.close();
	return [
		{ name: `release data, ${pkgs.length} packages (${byName.size} crates), cold, 20 ms latency (${requestsCold} requests)`, value: cold, unit: 'ms' },
		{ name: `release data, warm: every index file revalidated (${requestsWarm} requests, all 304)`, value: warm, unit: 'ms' },
		{ name: `release data, offline from the disk cache (${requestsOffline} requests)`, value: offline, unit: 'ms' },
	];
}
