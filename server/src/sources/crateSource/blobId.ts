/**
 * Git's id of a file's content: SHA-1 of `blob <size>\0<bytes>`. Computing it from the bytes we already read
 * lets provenance compare a package with a repository's tree without downloading a single file of it.
 */
import { createHash, type Hash } from 'node:crypto';

export function blobId(bytes: Uint8Array): string {
	return new BlobHasher(bytes.length).update(bytes).digest();
}

/** For content read in chunks; the size goes in the header, so it must be known first. */
export class BlobHasher {
	private readonly hash: Hash;

	constructor(size: number) {
		this.hash = createHash('sha1').update(`blob ${size}\0`);
	}

	update(chunk: Uint8Array): this {
		this.hash.update(chunk);
		return this;
	}

	digest(): string {
		return this.hash.digest('hex');
	}
}
