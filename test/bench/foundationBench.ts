/**
 * Benchmarks of the foundation on real data: loading ../shared/data/advisory-db cold (parsing every file) and warm
 * (from our cache), a full analysis of ../shared/data/workspaces/wasmtime, and hover once loaded.
 */
import { join } from 'node:path';
import { buildAdvisoryIndex } from '../../server/src/engine/advisory/advisoryIndex';
import { analyzeWorkspace } from '../../server/src/engine/analyze';
import { known } from '../../server/src/engine/facts';
import { hoverAt } from '../../server/src/engine/hoverText';
import { buildPolicy } from '../../server/src/engine/policy';
import { readAdvisoryDb } from '../../server/src/sources/advisoryDb/readAdvisoryDb';
import { silentLogger } from '../../server/src/sources/log';
import { readWorkspace } from '../../server/src/sources/workspace/readWorkspace';
import { sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tempWorkspace';
import type { BenchResult } from './runBench';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeMs<T>(work: () => Promise<T> | T): Promise<[number, T]> {
	const start = process.hrtime.bigint();
	const value = await work();
	return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

export async function benchFoundation(): Promise<BenchResult[]> {
	const data = sharedDataDir();
	if (!data) return [{ name: 'foundation', value: NaN, unit: 'skipped: ../shared/data is absent' }];
	const dbDir = join(data, 'advisory-db');
	const cache = tempDir('cargo-trust-bench-');
	const [coldMs, contents] = await timeMs(() => readAdvisoryDb(dbDir, cache, silentLogger));
	const warm: number[] = [];
	for (let i = 0; i < 7; i++) warm.push((await timeMs(() => readAdvisoryDb(dbDir, cache, silentLogger)))[0]);

	const root = join(data, 'workspaces', 'wasmtime');
	const [readMs, files] = await timeMs(() => readWorkspace(root));
	const facts = { advisories: known(buildAdvisoryIndex(contents.advisories), 'bench', null), release: () => undefined, unsafe: () => undefined };
	const now = new Date();
	const policy = buildPolicy([]);
	const analyses: number[] = [];
	let analysis = analyzeWorkspace(files, facts, policy, now);
	for (let i = 0; i < 9; i++) {
		const [ms, result] = await timeMs(() => analyzeWorkspace(files, facts, policy, now));
		analyses.push(ms);
		analysis = result;
	}
	const points = analysis.manifests.flatMap((m) => m.deps.map((dep) => ({ file: m.path, offset: dep.spec.keyRange.start })));
	const [hoverTotalMs] = await timeMs(() => {
		for (const point of points) hoverAt(analysis, point.file, point.offset);
	});
	return [
		{ name: `advisory db cold load (${contents.advisories.length} advisories, parse every file)`, value: coldMs, unit: 'ms' },
		{ name: 'advisory db warm load (from our cache, median of 7)', value: median(warm), unit: 'ms' },
		{ name: `wasmtime: read ${files.manifests.length} manifests + Cargo.lock from disk`, value: readMs, unit: 'ms' },
		{ name: `wasmtime: full analysis of ${analysis.packages.length} locked packages (median of 9)`, value: median(analyses), unit: 'ms' },
		{ name: `hover, mean over ${points.length} dependencies`, value: hoverTotalMs / Math.max(1, points.length), unit: 'ms' },
	];
}
