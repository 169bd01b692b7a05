/** The sha256 a `.crate` file is pinned by (Cargo.lock's `checksum`, the index `cksum`), as lowercase hex. */
import { createHash } from 'node:crypto';

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Lockfiles and indexes write lowercase hex; comparing case-insensitively costs nothing and forgives a hand edit. */
export function sameChecksum(a: string, b: string): boolean {
	return a.toLowerCase() === b.toLowerCase();
}
