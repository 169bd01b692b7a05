/**
 * Benchmark of the unsafe counter over every .rs file under /usr/share/cargo/registry (Debian's crate
 * sources), against its floor: the same strings searched with /\bunsafe\b/g, which V8 runs natively and
 * which knows nothing of comments or strings. Both run in the same process, interleaved, best of several
 * rounds, so machine load moves them together. Returns nothing when the directory is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countUnsafe } from '../../server/src/sources/unsafeScan/countUnsafe';
import { countPackageUnsafe } from '../../server/src/sources/unsafeScan/packageUnsafe';

const REGISTRY = '/usr/share/cargo/registry';
const ROUNDS = 7;

/** Paths relative to the registry start with `NAME-VERSION/`, so countPackageUnsafe leaves none of them out. */
function rustFiles(relative = '', found: { path: string; bytes: Uint8Array }[] = []): { path: string; bytes: Uint8Array }[] {
	for (const entry of readdirSync(join(REGISTRY, relative), { withFileTypes: true })) {
		const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
		if (entry.isDirectory()) rustFiles(path, found);
		else if (entry.isFile() && entry.name.endsWith('.rs')) found.push({ path, bytes: readFileSync(join(REGISTRY, path)) });
	}
	return found;
}

/** Adds the wall time of `run` in milliseconds to `times`; the result feeds `sink` so the work cannot be optimised away. */
function timed(times: number[], run: () => number, sink: { value: number }): void {
	const started = performance.now();
	sink.value += run();
	times.push(performance.now() - started);
}

export async function benchUnsafe(): Promise<{ name: string; value: number; unit: string }[]> {
	if (!existsSync(REGISTRY)) return [];
	const files = rustFiles();
	const decoder = new TextDecoder();
	const sources = files.map((file) => decoder.decode(file.bytes));
	const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
	const sink = { value: 0 };
	const ours: number[] = [];
	const floor: number[] = [];
	const withDecoding: number[] = [];
	const countAll = (): number => sources.reduce((sum, source) => sum + countUnsafe(source).counts.blocks, 0);
	const regexAll = (): number => {
		let matches = 0;
		for (const source of sources) {
			const keyword = /\bunsafe\b/g;
			while (keyword.test(source)) matches++;
		}
		return matches;
	};
	const packageAll = (): number => countPackageUnsafe(files, null).unsafe.blocks;
	for (let round = 0; round <= ROUNDS; round++) {
		timed(ours, countAll, sink);
		timed(floor, regexAll, sink);
		timed(withDecoding, packageAll, sink);
	}
	// Round 0 warmed the JIT up and is left out.
	const throughput = (times: number[]): number => bytes / 1e6 / (Math.min(...times.slice(1)) / 1e3);
	const oursRate = throughput(ours);
	const floorRate = throughput(floor);
	return [
		{ name: 'unsafe scan: .rs files', value: files.length, unit: 'files' },
		{ name: 'unsafe scan: bytes read', value: bytes, unit: 'bytes' },
		{ name: 'unsafe scan: countUnsafe (lexing + classification)', value: oursRate, unit: 'MB/s' },
		{ name: 'unsafe scan: floor, /\\bunsafe\\b/g', value: floorRate, unit: 'MB/s' },
		{ name: 'unsafe scan: countUnsafe / floor', value: oursRate / floorRate, unit: 'ratio' },
		{ name: 'unsafe scan: countPackageUnsafe (strict UTF-8 decoding + counting)', value: throughput(withDecoding), unit: 'MB/s' },
	];
}
