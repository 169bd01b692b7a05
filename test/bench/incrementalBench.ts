/**
 * The language server end to end (issue 13): re-analysis after a one-character edit in wasmtime's root manifest
 * (in process, debounce timers fired at once, so the figure is the work, not the 150 ms pause), and the peak RSS
 * of the shipped server (over stdio, its own process) on a synthetic 5,000-package lockfile with 1,000 direct dependencies.
 * Offline, so no registry traffic is measured: advisories and parsing, resolution, rules and publishing are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessServer } from '../support/inProcessServer';
import { startServer } from '../support/lspClient';
import { sharedDataDir } from '../support/paths';
import { syntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';


const sharedData = (): string => sharedDataDir() ?? '/work/shared/data';

export async function benchIncremental(): Promise<BenchResult[]> {
	const data = sharedData();
	const root = join(data, 'workspaces', 'wasmtime');
	const manifest = join(root, 'Cargo.toml');
	const scratch = tempDir();
	const settings = { advisoryDb: { path: join(data, 'advisory-db') }, network: { offline: true } };
	const client = startInProcessServer({ env: { CARGO_HOME: join(scratch, 'cargo-home') }, settings });
	const results: BenchResult[] = [];
	try {
		// As VS Code does: its watchers report Cargo file changes, so unchanged manifests are not read again.
		await client.initialize(root, { cacheDir: join(scratch, 'cache'), trusted: true, watchesCargoFiles: true });
		const text = readFileSync(manifest, 'utf8');
		client.open(manifest);
		let start = process.hrtime.bigint();
		await client.waitForQuiescent();
		results.push({ name: 'wasmtime: first analysis after didOpen (advisory database loaded, 583 packages)', value: Number(process.hrtime.bigint() - start) / 1e6, unit: 'ms' });
		const times: number[] = [];
		for (let i = 0; i < 21; i++) {
			// One character typed at the end of the file, then removed: the text alternates, as when typing.
			start = process.hrtime.bigint();
			client.change(manifest, i % 2 === 0 ? `${text}#` : text);
			await client.waitForQuiescent();
			times.push(Number(process.hrtime.bigint() - start) / 1e6);
		}
		times.sort((a, b) => a - b);
		results.push({ name: 'wasmtime: one-character edit in the root manifest to republished diagnostics (median of 21)', value: times[10]!, unit: 'ms' });
	} finally {
		await client.shutdown();
	}
	results.push(await peakRss());
	return results;
}

/** The shipped server on 5,000 packages with 1,000 direct dependencies: its VmHWM once the analysis is published. */
async function peakRss(): Promise<BenchResult> {
	const dir = tempDir();
	const ws = syntheticWorkspace({ packages: 5000, directs: 1000, dependenciesEach: 5, seed: 42 });
	writeFileSync(join(dir, 'Cargo.toml'), ws.manifest);
	writeFileSync(join(dir, 'Cargo.lock'), ws.lockfile);
	const client = startServer({ env: { CARGO_HOME: join(dir, 'no-cargo-home') }, settings: { advisoryDb: { path: join(sharedData(), 'advisory-db') }, network: { offline: true } } });
	try {
		await client.initialize(dir, { cacheDir: join(dir, 'cache'), trusted: true });
		client.open(join(dir, 'Cargo.toml'));
		await client.waitForQuiescent();
		const status = readFileSync(`/proc/${client.process!.pid}/status`, 'utf8');
		const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
		return { name: 'server peak RSS, synthetic 5,000 packages with 1,000 direct dependencies (after the first publication)', value: kb / 1024, unit: 'MB' };
	} finally {
		await client.shutdown();
	}
}
