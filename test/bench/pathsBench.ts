/**
 * Dependency paths at scale: synthetic lockfiles with many packages and many direct dependencies, each analysed in
 * its own process (runPathsBench.ts) so peak RSS is that of the analysis alone.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchResult } from './runBench';

export async function benchPaths(): Promise<BenchResult[]> {
	const results: BenchResult[] = [];
	for (const [packages, directs] of [
		[3000, 300],
		[5000, 1000],
	] as const) {
		const out = execFileSync(process.execPath, ['--expose-gc', join(__dirname, 'runPathsBench.js'), String(packages), String(directs)], { encoding: 'utf8' });
		const m = JSON.parse(out) as { analyzeMs: number; hoverMs: number; heapRetainedMb: number; peakRssMb: number; reachedFromDirects: number };
		const label = `${packages} packages, ${directs} direct`;
		results.push(
			{ name: `${label}: full analysis`, value: m.analyzeMs, unit: 'ms' },
			{ name: `${label}: heap retained by the analysis`, value: m.heapRetainedMb, unit: 'MB' },
			{ name: `${label}: peak RSS of the process`, value: m.peakRssMb, unit: 'MB' },
			{ name: `${label}: hover on the last Cargo.lock entry (reached from ${m.reachedFromDirects} direct)`, value: m.hoverMs, unit: 'ms' },
		);
	}
	return results;
}
