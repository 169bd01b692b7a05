/**
 * Reads a `.crate` file (a gzip'd tar whose entries all sit under `NAME-VERSION/`) into memory, within hard
 * limits, so that a hostile package costs at most the limits: the gzip stage is streamed and stops once its
 * output passes `maxUncompressedBytes`; tar entries flow through the reader chunk by chunk, and only the files
 * kept are stored, within what the shared memory budget granted (byteBudget.ts). Never writes to disk and never
 * throws: a truncated, corrupt or oversized archive is an `{ error }` result for that crate.
 */
import { createGunzip } from 'node:zlib';
import { type ByteLease, sharedByteBudget } from './byteBudget';
import { TarReader, type FileAnomaly, type PackageFile } from './tarEntries';

export type { FileAnomaly, PackageFile } from './tarEntries';

/**
 * `digests`, when a directory was read with `digestAll`: every regular file of the package (kept in `files` or
 * not) with its git blob id, and `linked`, the package's own symbolic links (followed for `files`, never digested).
 */
export type CrateArchive = { files: PackageFile[]; anomalies: FileAnomaly[]; digests?: FileDigest[]; linked?: string[] } | { error: string };

/** A file of the package as git would store it; computed while reading, the bytes need not be kept. */
export interface FileDigest {
	path: string;
	size: number;
	/** SHA-1 of `blob <size>\0<bytes>`, lowercase hex. */
	blobId: string;
}

export interface CrateArchiveLimits {
	maxCompressedBytes: number;
	/** Everything the gzip stream expands to, tar headers and padding included. */
	maxUncompressedBytes: number;
	/** Tar entries, directories and skipped entries included (long-name and pax headers are not counted). */
	maxEntries: number;
	/** A larger file is skipped and reported as an anomaly. */
	maxEntryBytes: number;
}

export interface ArchiveReadOptions {
	/**
	 * Holds the bytes of the files kept, from before they are stored until the caller releases it (after
	 * counting). Without one, the process's budget is held only while reading.
	 */
	lease?: ByteLease;
	signal?: AbortSignal;
}

const MiB = 1024 * 1024;

/** Far above any real crate (crates.io refuses uploads over 10 MB compressed). */
export const defaultCrateArchiveLimits: Readonly<CrateArchiveLimits> = {
	maxCompressedBytes: 50 * MiB,
	maxUncompressedBytes: 500 * MiB,
	maxEntries: 100_000,
	maxEntryBytes: 100 * MiB,
};

/** Output chunks of the gzip stage: large enough to keep its per-chunk cost small, small enough to hold nothing. */
const CHUNK_BYTES = 256 * 1024;

/** `expectedPrefix` is `NAME-VERSION`; the returned paths are relative to it. */
export async function readCrateArchive(
	compressed: Uint8Array,
	expectedPrefix: string,
	limits: Partial<CrateArchiveLimits> = {},
	options: ArchiveReadOptions = {},
): Promise<CrateArchive> {
	const { maxCompressedBytes, maxUncompressedBytes, maxEntries, maxEntryBytes } = { ...defaultCrateArchiveLimits, ...limits };
	if (compressed.length > maxCompressedBytes) return { error: `compressed size ${compressed.length} exceeds the limit of ${maxCompressedBytes} bytes` };
	if (!(maxUncompressedBytes >= 1)) return { error: `cannot decompress: the limit of ${maxUncompressedBytes} bytes leaves no room` };
	const lease = options.lease ?? sharedByteBudget.lease();
	try {
		// What is kept cannot exceed what the archive expands to, which gzip's trailer states; a trailer that lies
		// low only makes the reader stop at the lie (it keeps within the grant, whatever the archive says).
		const granted = await lease.reserve(Math.min(declaredSize(compressed), maxUncompressedBytes), options.signal);
		if (granted === undefined) return { error: 'cancelled' };
		const reader = new TarReader(expectedPrefix, { maxEntries, maxEntryBytes, maxKeptBytes: granted });
		const inflated = await inflate(compressed, maxUncompressedBytes, (chunk) => reader.push(chunk));
		const result = inflated ?? reader.end();
		lease.shrinkTo('error' in result ? 0 : reader.keptBytes);
		return result;
	} finally {
		if (options.lease === undefined) lease.release();
	}
}

/** gzip's ISIZE: the last member's uncompressed size modulo 2^32 (an honest .crate has one member, far under 4 GiB). */
function declaredSize(compressed: Uint8Array): number {
	if (compressed.length < 18) return 0;
	const end = compressed.length;
	return ((compressed[end - 1] ?? 0) * 2 ** 24) + (((compressed[end - 2] ?? 0) << 16) | ((compressed[end - 3] ?? 0) << 8) | (compressed[end - 4] ?? 0));
}

/**
 * Streams `compressed` through gunzip (off the main thread) into `consume`, chunk by chunk; stops at the first
 * error `consume` returns, or once the output passes `maxOutput`. Undefined when the whole stream was consumed.
 */
function inflate(compressed: Uint8Array, maxOutput: number, consume: (chunk: Uint8Array) => string | undefined): Promise<{ error: string } | undefined> {
	return new Promise((resolve) => {
		let settled = false;
		let total = 0;
		const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
		const finish = (result: { error: string } | undefined): void => {
			if (settled) return;
			settled = true;
			if (result !== undefined) gunzip.destroy();
			resolve(result);
		};
		gunzip.on('data', (chunk: Uint8Array) => {
			if (settled) return;
			total += chunk.length;
			if (total > maxOutput) return finish({ error: `uncompressed size exceeds the limit of ${maxOutput} bytes` });
			const error = consume(chunk);
			if (error !== undefined) finish({ error });
		});
		gunzip.on('error', (error) => finish({ error: `not a valid gzip stream: ${error.message}` }));
		gunzip.on('end', () => finish(undefined));
		gunzip.end(compressed);
	});
}
