/**
 * A synthetic workspace of any size for path tests and benchmarks: one member `app` with `directs` direct
 * dependencies, and `packages` crates.io packages in Cargo.lock, each depending on a few others chosen by a seeded
 * generator (mostly later packages, some earlier ones, so there are cycles and many paths), deterministic per seed.
 */
import { seededRandom } from './seededRandom';

export interface SyntheticWorkspace {
	manifest: string;
	lockfile: string;
	/** By package number: the numbers of the packages it depends on, as written in Cargo.lock. */
	edges: number[][];
}

export const syntheticName = (n: number): string => `crate-${n}`;

export function syntheticWorkspace(options: { packages: number; directs: number; dependenciesEach: number; seed: number }): SyntheticWorkspace {
	const next = seededRandom(options.seed);
	const edges: number[][] = [];
	for (let n = 0; n < options.packages; n++) {
		const targets = new Set<number>();
		for (let k = 0; k < options.dependenciesEach; k++) {
			// One edge in ten goes backwards (a cycle through dev-dependencies, as in real lockfiles).
			const target = next() < 0.1 ? Math.floor(next() * options.packages) : n + 1 + Math.floor(next() * (options.packages - n - 1));
			if (target !== n && target < options.packages) targets.add(target);
		}
		edges.push([...targets].sort((a, b) => a - b));
	}
	const source = 'registry+https://github.com/rust-lang/crates.io-index';
	const entry = (name: string, deps: string[], extra: string): string =>
		[`[[package]]`, `name = "${name}"`, `version = "1.0.0"`, extra, deps.length ? `dependencies = [\n${deps.map((d) => ` "${d}",`).join('\n')}\n]` : ''].filter(Boolean).join('\n');
	const directs = Array.from({ length: options.directs }, (_, n) => n);
	const lockfile = [
		'version = 4',
		entry('app', directs.map(syntheticName), ''),
		...edges.map((targets, n) => entry(syntheticName(n), targets.map(syntheticName), `source = "${source}"\nchecksum = "${'0'.repeat(64)}"`)),
	].join('\n\n');
	const manifest = `[package]\nname = "app"\nversion = "1.0.0"\n\n[dependencies]\n${directs.map((n) => `${syntheticName(n)} = "1"`).join('\n')}\n`;
	return { manifest, lockfile: lockfile + '\n', edges };
}
