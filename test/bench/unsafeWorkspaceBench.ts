/**
 * Benchmark of UnsafeFactsSource on a workspace made of every crate under /usr/share/cargo/registry (Debian's
 * crate sources), extracted into a private CARGO_HOME's registry/src as cargo would: counted cold (empty cache,
 * best of several rounds, each with a cache of its own) and warm (a restarted source answering from the disk
 * cache), against the target of a 500-package workspace in under 10 s cold. Also the longest the event
 * loop waited during a cold count, which is how long a hover could wait. Offline: nothing is fetched. Returns
 * nothing when the directory is absent.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LockedPackage } from '../../server/src/engine/lockfile/types';
import { silentLogger } from '../../server/src/sources/log';
import { UnsafeFactsSource } from '../../server/src/sources/unsafeScan/unsafeFactsSource';
import { cleanUpSandboxes, debianCrates, debianExtractedPackage, extractDebianCrates, type Sandbox, sandbox } from '../unit/sources/crateSourceFixtures';

const ROUNDS = 3;

interface Run {
	ms: number;
	known: number;
	/** Longest event-loop delay seen while counting, in milliseconds. */
	stallMs: number;
}

async function count(sb: Sandbox, cacheDir: string, pkgs: readonly LockedPackage[]): Promise<Run> {
	const facts = new UnsafeFactsSource({ cargoHome: sb.cargoHome, cacheDir, registries: sb.registries, http: sb.http, now: () => new Date(), log: silentLogger });
	const delay = monitorEventLoopDelay({ resolution: 5 });
	delay.enable();
	const started = performance.now();
	await facts.fetch(pkgs, () => undefined, new AbortController().signal);
	const ms = performance.now() - started;
	delay.disable();
	return { ms, known: pkgs.filter((pkg) => facts.peek(pkg)?.status === 'known').length, stallMs: delay.max / 1e6 };
}

export async function benchUnsafeWorkspace(): Promise<{ name: string; value: number; unit: string }[]> {
	const crates = debianCrates();
	if (crates.length === 0) return [];
	try {
		const sb = sandbox('', { offline: true });
		extractDebianCrates(sb.cargoHome, crates);
		const pkgs = crates.map(debianExtractedPackage);
		const cold: Run[] = [];
		for (let round = 0; round < ROUNDS; round++) cold.push(await count(sb, join(sb.root, `cache-${round}`), pkgs));
		const best = cold.reduce((a, b) => (b.ms < a.ms ? b : a));
		// A restart: a new source over the cache the last cold round wrote.
		const warm = await count(sb, join(sb.root, `cache-${ROUNDS - 1}`), pkgs);
		return [
			{ name: 'unsafe workspace: crates in the workspace', value: pkgs.length, unit: 'crates' },
			{ name: 'unsafe workspace: crates counted (known)', value: best.known, unit: 'crates' },
			{ name: 'unsafe workspace: cold, registry/src, empty cache (best of 3)', value: best.ms / 1000, unit: 's' },
			{ name: 'unsafe workspace: cold, per crate', value: best.ms / pkgs.length, unit: 'ms' },
			{ name: 'unsafe workspace: cold, 500 crates at that rate (target < 10 s)', value: (best.ms / pkgs.length) * 500 / 1000, unit: 's' },
			{ name: 'unsafe workspace: longest event-loop stall while counting cold', value: Math.max(...cold.map((run) => run.stallMs)), unit: 'ms' },
			{ name: 'unsafe workspace: warm restart, from the disk cache', value: warm.ms / 1000, unit: 's' },
			{ name: 'unsafe workspace: warm restart, crates answered', value: warm.known, unit: 'crates' },
		];
	} finally {
		await cleanUpSandboxes();
	}
}
