/**
 * cargo-vet at scale (issue 15): parsing wasmtime-2024-01's store (audits.toml 240 KB, imports.lock 100 KB; target
 * under 100 ms), the audit status of every locked package once parsed (target under 50 ms), and choosing the
 * suggestion for one crate with 300 versions (target under 1 ms). Medians of several runs, after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditIndex, vetPasses } from '../../server/src/engine/audits/auditGraph';
import { auditStatuses } from '../../server/src/engine/audits/auditStatus';
import { buildAuditStore } from '../../server/src/engine/audits/buildAuditStore';
import { parseLockfile } from '../../server/src/engine/lockfile/parseLockfile';
import { chooseCandidates, type CandidateVersion } from '../../server/src/engine/policy/candidates';
import { evaluatePolicy, DEFAULT_BLOCK_ON } from '../../server/src/engine/policy/trustPolicy';
import { sharedDataDir } from '../support/paths';
import type { BenchResult } from './runBench';

function median(runs: number, work: () => void): number {
	work();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		work();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function benchAudits(): Promise<BenchResult[]> {
	const data = sharedDataDir();
	if (!data) return [{ name: 'cargo-vet store of wasmtime-2024-01', value: NaN, unit: 'skipped (no ../shared/data)' }];
	const root = join(data, 'workspaces', 'wasmtime-2024-01');
	const store = join(root, 'supply-chain');
	const paths = { config: join(store, 'config.toml'), audits: join(store, 'audits.toml'), importsLock: join(store, 'imports.lock') };
	const file = (path: string) => ({ path, text: readFileSync(path, 'utf8') });
	const texts = { directory: store, paths, config: file(paths.config), audits: file(paths.audits), importsLock: file(paths.importsLock) };
	const lockfile = parseLockfile(readFileSync(join(root, 'Cargo.lock'), 'utf8')).value;
	const parsed = buildAuditStore(texts, []);
	const parseMs = median(9, () => buildAuditStore(texts, []));
	// A fresh index each run: the graphs and their reach are built on first use, as in an analysis.
	let vetted = 0;
	const statusMs = median(9, () => {
		vetted = [...auditStatuses(parsed, lockfile).verdicts.values()].filter(vetPasses).length;
	});

	// One crate with 300 versions, every tenth audited, a delta from each; the locked (newest) one young and unaudited.
	const versions: CandidateVersion[] = Array.from({ length: 300 }, (_, i) => ({ version: `1.${Math.floor(i / 10)}.${i % 10}`, yanked: false, publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000) }));
	const audits = versions.filter((_, i) => i % 10 === 0).map((v) => `[[audits.big]]\nwho = "a"\ncriteria = "safe-to-deploy"\nversion = "${v.version}"\n`).join('\n');
	const bigStore = buildAuditStore({ ...texts, config: { path: paths.config, text: '' }, audits: { path: paths.audits, text: audits }, importsLock: undefined }, []);
	const now = new Date(Date.UTC(2020, 0, 1) + 300 * 86_400_000);
	const settings = { minimumAgeMs: 7 * 86_400_000, blockOn: DEFAULT_BLOCK_ON, requireAudits: true };
	const locked = versions[299]!;
	const index = new AuditIndex(bigStore);
	const verdictOf = (candidate: CandidateVersion) => {
		const vet = index.vet('big', candidate.version, ['safe-to-deploy']);
		return evaluatePolicy({ yanked: candidate.yanked, publishedAt: candidate.publishedAt, advisoryKinds: [], provenance: 'unknown', audit: { vetted: vetPasses(vet), violated: false } }, settings, now);
	};
	let chosen = '';
	const chooseMs = median(101, () => {
		chosen = chooseCandidates(versions, locked.version, verdictOf(locked), verdictOf).suggestions[0]?.version ?? 'none';
	});
	return [
		{ name: `wasmtime-2024-01: parse the store (config.toml, audits.toml, imports.lock)`, value: parseMs, unit: 'ms' },
		{ name: `wasmtime-2024-01: audit status of all ${lockfile.packages.length} locked packages (${vetted} vetted)`, value: statusMs, unit: 'ms' },
		{ name: `suggestion for a crate with 300 versions (pin to ${chosen})`, value: chooseMs, unit: 'ms' },
	];
}
