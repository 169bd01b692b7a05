/**
 * What locating a package's source gives: its files in memory (paths relative to the package root, with `/`),
 * the entries skipped on the way, and where they were read; or why they could not be. Types only.
 */
import type { FileAnomaly, FileDigest, PackageFile } from './readCrateArchive';

export interface SourceFiles {
	files: PackageFile[];
	anomalies: FileAnomaly[];
	/** Where the files were read, for people: a directory, or a download URL with how it was verified. */
	origin: string;
	/** Every regular file's blob id, when a directory was read with `digestAll` (an archive's files are all in `files`). */
	digests?: FileDigest[];
	/** The package's own symbolic links (directories only; an archive's are anomalies). */
	linked?: string[];
}

/**
 * `transient`: the same request may succeed later (offline, network trouble), so the answer must not be kept
 * as if final; a wrong checksum, a corrupt archive or a missing package is not transient.
 */
export type LocatedSource = ({ status: 'found' } & SourceFiles) | { status: 'unknown'; reason: string; transient: boolean };

export function notFound(reason: string, transient = false): LocatedSource {
	return { status: 'unknown', reason, transient };
}
