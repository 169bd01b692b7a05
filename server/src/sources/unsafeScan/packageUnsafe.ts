/**
 * The `unsafe` signal of one published package (cli-report.md, "What each signal means"): counts summed over
 * every `.rs` file outside the top-level `tests/`, `benches/` and `examples/` folders, and whether the library
 * root forbids unsafe code. Files that could only be read approximately are listed as anomalies, not dropped.
 */
import { TextDecoder } from 'node:util';
import type { FileAnomaly, PackageFile } from '../crateSource/readCrateArchive';
import { countUnsafe, emptyCounts, type UnsafeCounts } from './countUnsafe';

export interface PackageUnsafe extends UnsafeCounts {
	/** How many `.rs` files were counted. */
	files: number;
	forbidsUnsafe: boolean;
}

const NOT_COUNTED = /^(?:tests|benches|examples)\//;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** Paths are relative to the package root, with `/`; `libRoot` is null for a package without a library. */
export function countPackageUnsafe(
	files: readonly PackageFile[],
	libRoot: string | null = 'src/lib.rs',
): { unsafe: PackageUnsafe; anomalies: FileAnomaly[] } {
	const total: PackageUnsafe = { ...emptyCounts(), files: 0, forbidsUnsafe: false };
	const anomalies: FileAnomaly[] = [];
	let libRootSeen = false;
	for (const { path, bytes } of files) {
		if (!path.endsWith('.rs') || NOT_COUNTED.test(path)) continue;
		const source = decode(bytes);
		if (source === undefined) anomalies.push({ path, reason: 'not valid UTF-8; counted with the invalid bytes replaced' });
		const scan = countUnsafe(source ?? lenientUtf8.decode(bytes));
		for (const problem of scan.problems) anomalies.push({ path, reason: problem });
		total.files++;
		total.blocks += scan.counts.blocks;
		total.functions += scan.counts.functions;
		total.impls += scan.counts.impls;
		total.traits += scan.counts.traits;
		total.externBlocks += scan.counts.externBlocks;
		total.attributes += scan.counts.attributes;
		if (path === libRoot) {
			libRootSeen = true;
			total.forbidsUnsafe = scan.forbidsUnsafe;
		}
	}
	if (libRoot !== null && !libRootSeen) anomalies.push({ path: libRoot, reason: 'library root not in the package; forbidsUnsafe is false' });
	return { unsafe: total, anomalies };
}

/** The text of a UTF-8 file, or undefined when it is not valid UTF-8 (TextDecoder reports that only by throwing). */
function decode(bytes: Uint8Array): string | undefined {
	try {
		return strictUtf8.decode(bytes);
	} catch {
		return undefined;
	}
}
