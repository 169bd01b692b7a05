/**
 * How long `cargo-trust check` takes to give up on a registry that accepts connections and never answers, with
 * default settings (cargo's 30 s `http.timeout`, 3 retries): the bundled CLI against our registry server's `hang`
 * fault, on the example workspace. Target: under 60 s, with the reason in `data.registries`.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { repoRoot } from '../support/paths';
import { runCliAsync } from '../support/runCli';
import type { BenchResult } from './runBench';

export async function benchHang(): Promise<BenchResult[]> {
	const { ws, registry } = await exampleWithRegistry(exampleCrates());
	registry.fault({ kind: 'hang' });
	try {
		const started = performance.now();
		const run = await runCliAsync(['check', ws.dir, '--advisory-db', join(repoRoot, 'examples', 'advisory-db'), '--format', 'json'], {
			CARGO_HOME: ws.cargoHome,
			CARGO_TRUST_CACHE_DIR: ws.cacheDir,
		});
		const seconds = (performance.now() - started) / 1000;
		const status = (JSON.parse(run.stdout) as { data: { registries: { status: string }[] } }).data.registries[0]?.status ?? 'none';
		return [{ name: `check against a never-answering registry, default settings (registry ${status}, ${registry.requests.length} requests)`, value: seconds, unit: 's' }];
	} finally {
		await registry.close();
		rmSync(dirname(ws.dir), { recursive: true, force: true });
	}
}
