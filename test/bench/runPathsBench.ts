/**
 * One synthetic workspace analysed in a fresh process (so peak RSS is its own), run by pathsBench.ts:
 * `node --expose-gc out/test/bench/runPathsBench.js PACKAGES DIRECTS`. Prints its measurements as JSON.
 */
import { analyzeWorkspace } from '../../server/src/engine/analyze';
import { known } from '../../server/src/engine/facts';
import { hoverAt } from '../../server/src/engine/hoverText';
import { buildPolicy } from '../../server/src/engine/policy';
import { syntheticName, syntheticWorkspace } from '../support/syntheticWorkspace';

const [packages = 5000, directs = 1000] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const ws = syntheticWorkspace({ packages, directs, dependenciesEach: 5, seed: 42 });
const input = { root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text: ws.manifest }], lockfile: { path: '/ws/Cargo.lock', text: ws.lockfile }, problems: [] };
const facts = { advisories: known(new Map(), 'bench', null), release: () => undefined, unsafe: () => undefined };
gc();
const heapBefore = process.memoryUsage().heapUsed;
const start = process.hrtime.bigint();
const analysis = analyzeWorkspace(input, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
const analyzeMs = Number(process.hrtime.bigint() - start) / 1e6;
gc();
const heapRetained = process.memoryUsage().heapUsed - heapBefore;
// Hover on the last package's Cargo.lock entry: the paths from every direct dependency that reaches it.
const last = analysis.lockfile!.lockfile.packages.find((pkg) => pkg.name === syntheticName(packages - 1))!;
const hoverStart = process.hrtime.bigint();
const card = hoverAt(analysis, '/ws/Cargo.lock', last.range.start)!;
const hoverMs = Number(process.hrtime.bigint() - hoverStart) / 1e6;
console.log(
	JSON.stringify({
		analyzeMs,
		hoverMs,
		heapRetainedMb: heapRetained / 2 ** 20,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		reachedFromDirects: analysis.paths.directsReaching(last.index).length,
		hoverLines: card.markdown.split('\n').length,
	}),
);
