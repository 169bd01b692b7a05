/**
 * What provenance needs of a package, taken from the files the unsafe counter read (the same located and
 * checksum-verified source): every regular file's path, size and blob id, the entries that cannot be compared,
 * `.cargo_vcs_info.json`'s text and the packaged Cargo.toml's `package.repository`. Small enough to keep
 * between the two signals; the bytes themselves are not kept.
 */
import { blobId } from '../crateSource/blobId';
import { manifestRepository } from '../crateSource/crateCapabilities';
import type { SourceFiles } from '../crateSource/crateSourceTypes';
import type { FileDigest } from '../crateSource/readCrateArchive';

export interface PackageInventory {
	files: FileDigest[];
	/** Symbolic links, special files and entries that could not be read: not compared. */
	skipped: { path: string; reason: string }[];
	/** Undefined when the package has none. */
	vcsInfoText: string | undefined;
	/** null: the manifest names none; undefined: the manifest could not be read (then `manifestProblem` says why). */
	repository: string | null | undefined;
	manifestProblem: string | undefined;
}

const decoder = new TextDecoder();

export function packageInventory(source: SourceFiles): PackageInventory {
	const files = source.digests ?? source.files.map((file) => ({ path: file.path, size: file.bytes.length, blobId: blobId(file.bytes) }));
	const skipped = [...(source.linked ?? []).map((path) => ({ path, reason: 'symbolic link' })), ...source.anomalies];
	const vcsInfo = source.files.find((file) => file.path === '.cargo_vcs_info.json');
	const manifest = source.files.find((file) => file.path === 'Cargo.toml');
	const repository = manifest === undefined ? undefined : manifestRepository(decoder.decode(manifest.bytes));
	return {
		files,
		skipped,
		vcsInfoText: vcsInfo === undefined ? undefined : decoder.decode(vcsInfo.bytes),
		repository,
		manifestProblem: manifest === undefined ? 'the package has no Cargo.toml' : repository === undefined ? 'the packaged Cargo.toml cannot be parsed' : undefined,
	};
}
