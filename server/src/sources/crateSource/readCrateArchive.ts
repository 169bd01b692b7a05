/**
 * Reads a `.crate` file (a gzip'd tar whose entries all sit under `NAME-VERSION/`) entirely in memory, within
 * hard limits, so that a hostile package costs at most the limits: the gzip stage stops once its output
 * would pass `maxUncompressedBytes`, before allocating more. Never writes to disk and never throws: a
 * truncated, corrupt or oversized archive is an `{ error }` result for that crate.
 */
import { gunzip } from 'node:zlib';
import { readTarEntries, type FileAnomaly, type PackageFile } from './tarEntries';

export type { FileAnomaly, PackageFile } from './tarEntries';

export type CrateArchive = { files: PackageFile[]; anomalies: FileAnomaly[] } | { error: string };

export interface CrateArchiveLimits {
	maxCompressedBytes: number;
	/** Everything the gzip stream expands to, tar headers and padding included. */
	maxUncompressedBytes: number;
	/** Tar entries, directories and skipped entries included (long-name and pax headers are not counted). */
	maxEntries: number;
	/** A larger file is skipped and reported as an anomaly. */
	maxEntryBytes: number;
}

const MiB = 1024 * 1024;

/** Far above any real crate (crates.io refuses uploads over 10 MB compressed). */
export const defaultCrateArchiveLimits: Readonly<CrateArchiveLimits> = {
	maxCompressedBytes: 50 * MiB,
	maxUncompressedBytes: 500 * MiB,
	maxEntries: 100_000,
	maxEntryBytes: 100 * MiB,
};

/** `expectedPrefix` is `NAME-VERSION`; the returned paths are relative to it. */
export async function readCrateArchive(
	compressed: Uint8Array,
	expectedPrefix: string,
	limits: Partial<CrateArchiveLimits> = {},
): Promise<CrateArchive> {
	const { maxCompressedBytes, maxUncompressedBytes, maxEntries, maxEntryBytes } = { ...defaultCrateArchiveLimits, ...limits };
	if (compressed.length > maxCompressedBytes) return { error: `compressed size ${compressed.length} exceeds the limit of ${maxCompressedBytes} bytes` };
	const tar = await gunzipWithin(compressed, maxUncompressedBytes);
	if ('error' in tar) return tar;
	return readTarEntries(tar.bytes, expectedPrefix, { maxEntries, maxEntryBytes });
}

/** node:zlib runs off the main thread and, with maxOutputLength, fails as soon as the output would pass it. */
function gunzipWithin(compressed: Uint8Array, maxOutputLength: number): Promise<{ bytes: Uint8Array } | { error: string }> {
	return new Promise((resolve) => {
		try {
			gunzip(compressed, { maxOutputLength }, (error, bytes) => {
				if (error === null) resolve({ bytes });
				else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') resolve({ error: `uncompressed size exceeds the limit of ${maxOutputLength} bytes` });
				else resolve({ error: `not a valid gzip stream: ${error.message}` });
			});
		} catch (error) {
			// zlib validates its options synchronously, e.g. a limit above what a Buffer can hold.
			resolve({ error: `cannot decompress: ${error instanceof Error ? error.message : String(error)}` });
		}
	});
}
