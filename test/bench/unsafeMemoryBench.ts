/**
 * Benchmark of the memory a hostile workspace costs: four small `.crate` files (about 0.5 MB each), each holding
 * a 477 MiB `.rs` of zeros, read and counted at once by UnsafeFactsSource as the server does (from a local
 * registry, sha256-verified), against the target of a peak RSS under 600 MiB. The crates are generated here,
 * streamed to a temporary directory; the count runs in a fresh child process, whose peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { silentLogger } from '../../server/src/sources/log';
import { UnsafeFactsSource } from '../../server/src/sources/unsafeScan/unsafeFactsSource';
import { buildTar, tarEntry } from '../support/tarBuilder';
import { cleanUpSandboxes, CRATES_IO, lockedPackage, sandbox } from '../unit/sources/crateSourceFixtures';

const MiB = 1024 * 1024;
const ZEROS = 477 * MiB;
const CRATES = 4;
/** Set in the child's environment, to the directory holding the crates; runBench.ts hands over to it. */
export const MEMORY_CHILD = 'CARGO_TRUST_BENCH_MEMORY_CHILD';

/** A `.crate` whose src/zeros.rs is `ZEROS` zero bytes, gzip'd as it is written so it is never held whole. */
async function writeZeroCrate(path: string, name: string): Promise<void> {
	const gzip = createGzip({ level: 9 });
	const done = once(gzip.pipe(createWriteStream(path)), 'close');
	const root = `${name}-1.0.0`;
	gzip.write(tarEntry({ name: `${root}/Cargo.toml`, data: `[package]\nname = "${name}"\nversion = "1.0.0"\n` }));
	gzip.write(tarEntry({ name: `${root}/src/lib.rs`, data: 'pub fn f() { unsafe {} }\n' }));
	gzip.write(tarEntry({ name: `${root}/src/zeros.rs`, size: ZEROS }));
	const chunk = new Uint8Array(MiB);
	for (let written = 0; written < ZEROS; written += MiB) if (!gzip.write(chunk)) await once(gzip, 'drain');
	gzip.end(buildTar([]));
	await done;
}

export async function benchUnsafeMemory(): Promise<{ name: string; value: number; unit: string }[]> {
	const dir = mkdtempSync(join(tmpdir(), 'cargo-trust-memory-bench-'));
	try {
		mkdirSync(join(dir, 'registry'));
		for (let i = 0; i < CRATES; i++) await writeZeroCrate(join(dir, 'registry', `zeros${i}-1.0.0.crate`), `zeros${i}`);
		const crateBytes = readFileSync(join(dir, 'registry', 'zeros0-1.0.0.crate')).length;
		const child = spawnSync(process.execPath, [process.argv[1] ?? ''], { env: { ...process.env, [MEMORY_CHILD]: dir }, encoding: 'utf8' });
		const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { peakMiB?: number; known?: number; skipped?: number };
		if (report.peakMiB === undefined) throw new Error(`memory bench child failed: ${child.stderr}`);
		return [
			{ name: `unsafe memory: ${CRATES} crates of ${(crateBytes / 1e6).toFixed(2)} MB, each a ${ZEROS / MiB} MiB .rs of zeros`, value: CRATES, unit: 'crates' },
			{ name: 'unsafe memory: crates counted (known), the zeros skipped and reported', value: Math.min(report.known ?? 0, report.skipped ?? 0), unit: 'crates' },
			{ name: 'unsafe memory: peak RSS of the process counting them (target < 600 MiB)', value: report.peakMiB, unit: 'MiB' },
		];
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The child: counts the crates in `dir` with four workers and prints its peak RSS as JSON. */
export async function unsafeMemoryChild(dir: string): Promise<void> {
	try {
		const sb = sandbox(`[source.crates-io]\nreplace-with = "local"\n\n[source.local]\nlocal-registry = "${join(dir, 'registry').replaceAll('\\', '\\\\')}"\n`, { offline: true });
		const pkgs = Array.from({ length: CRATES }, (_, i) => {
			const sha = createHash('sha256').update(readFileSync(join(dir, 'registry', `zeros${i}-1.0.0.crate`))).digest('hex');
			return lockedPackage(`zeros${i}`, '1.0.0', CRATES_IO, sha);
		});
		const facts = new UnsafeFactsSource({ cargoHome: sb.cargoHome, cacheDir: sb.cacheDir, registries: sb.registries, http: sb.http, now: () => new Date(), log: silentLogger, concurrency: 4 });
		await facts.fetch(pkgs, () => undefined, new AbortController().signal);
		const values = pkgs.map((pkg) => facts.peek(pkg));
		const known = values.filter((fact) => fact?.status === 'known').length;
		const skipped = values.filter((fact) => fact?.status === 'known' && fact.value.anomalies.some((anomaly) => anomaly.path.endsWith('src/zeros.rs'))).length;
		for (const fact of values) if (fact?.status !== 'known') console.error(JSON.stringify(fact));
		console.log(JSON.stringify({ peakMiB: process.resourceUsage().maxRSS / 1024, known, skipped }));
	} finally {
		await cleanUpSandboxes();
	}
}
