/**
 * Turns a package's files, already in memory, into its UnsafeFacts: the counts of packageUnsafe.ts over the
 * library root the manifest names, the build-time capabilities, and every anomaly met on the way. Counts a
 * large package in slices, pausing between them, so one big crate cannot hold the event loop for long.
 */
import type { UnsafeFacts } from '../../engine/unsafe/types';
import { crateCapabilities } from '../crateSource/crateCapabilities';
import type { SourceFiles } from '../crateSource/crateSourceTypes';
import type { PackageFile } from '../crateSource/readCrateArchive';
import { yieldToEventLoop } from '../crateSource/yieldToEventLoop';
import { countPackageUnsafe } from './packageUnsafe';

/** About a few milliseconds of counting. */
const SLICE_BYTES = 512 * 1024;

export async function unsafeFactsOf(source: SourceFiles): Promise<UnsafeFacts | { error: string }> {
	const manifest = crateCapabilities(source.files);
	if ('error' in manifest) return { error: `${source.origin}: ${manifest.error}` };
	const slices = slice(source.files);
	// The library root is checked in the slice that holds it, or else in the last one, which then reports it missing.
	const holding = slices.findIndex((files) => files.some((file) => file.path === manifest.libRoot));
	const rootSlice = holding === -1 ? slices.length - 1 : holding;
	const facts: UnsafeFacts = {
		counts: { blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 },
		files: 0,
		forbidsUnsafe: false,
		capabilities: manifest.capabilities,
		anomalies: [...source.anomalies],
		origin: source.origin,
	};
	for (const [index, files] of slices.entries()) {
		if (index > 0) await yieldToEventLoop();
		const holdsRoot = index === rootSlice;
		const { unsafe, anomalies } = countPackageUnsafe(files, holdsRoot ? manifest.libRoot : null);
		const { files: read, forbidsUnsafe, ...counts } = unsafe;
		for (const key of Object.keys(counts) as (keyof typeof counts)[]) facts.counts[key] += counts[key];
		facts.files += read;
		if (holdsRoot) facts.forbidsUnsafe = forbidsUnsafe;
		facts.anomalies.push(...anomalies);
	}
	return facts;
}

/** Consecutive runs of files of about SLICE_BYTES; always at least one, so an empty package is still checked. */
function slice(files: readonly PackageFile[]): PackageFile[][] {
	const slices: PackageFile[][] = [[]];
	let bytes = 0;
	for (const file of files) {
		if (bytes >= SLICE_BYTES) {
			slices.push([]);
			bytes = 0;
		}
		slices.at(-1)?.push(file);
		bytes += file.bytes.length;
	}
	return slices;
}
