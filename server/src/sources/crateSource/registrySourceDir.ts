/**
 * Finds a registry package already extracted by cargo: `$CARGO_HOME/registry/src/<registry>/NAME-VERSION/`, but
 * only in the directory of the registry Cargo.lock pins it to. Each registry has a directory of its own
 * (`<host>-<hash>`, the hash of the source id, whose algorithm changed between cargo versions and which source
 * replacement moves), and the same NAME-VERSION in another registry can be other code. So a directory is proved
 * instead: cargo extracts `registry/src/<registry>/NAME-VERSION/` from `registry/cache/<registry>/NAME-VERSION.crate`,
 * whose sha256 must be the lockfile checksum. Only a directory cargo finished extracting counts: cargo writes
 * `.cargo-ok` last and re-extracts a directory without it, so a half-extracted copy is never read (and never
 * cached as the package). Reads listings and the cached `.crate` files; never throws.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { sameChecksum } from './checksum';
import { fsErrorReason } from '../fsErrors';

/** The directory, or why each candidate was passed over (empty when no registry has it). */
export type RegistrySourceDir = { dir: string } | { skipped: string[] };

/** `maxCrateBytes` bounds the `.crate` hashed, as a download's size is bounded. */
export function findRegistrySourceDir(cargoHome: string, dirName: string, lockChecksum: string | undefined, maxCrateBytes: number): RegistrySourceDir {
	const src = join(cargoHome, 'registry', 'src');
	let registries: string[];
	try {
		registries = readdirSync(src).sort();
	} catch {
		return { skipped: [] };
	}
	const skipped: string[] = [];
	for (const registry of registries) {
		const dir = join(src, registry, dirName);
		if (!existsSync(join(dir, '.cargo-ok'))) continue;
		const crate = join(cargoHome, 'registry', 'cache', registry, `${dirName}.crate`);
		const problem = lockChecksum === undefined ? 'Cargo.lock has no checksum to prove it' : unproved(crate, lockChecksum, maxCrateBytes);
		if (problem === undefined) return { dir };
		skipped.push(`${dir} not used: ${problem}`);
	}
	return { skipped };
}

/** Why `crate` does not prove its extracted directory is the package Cargo.lock pins, or undefined if it does. */
function unproved(crate: string, lockChecksum: string, maxBytes: number): string | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(crate, 'r');
		const size = fstatSync(fd).size;
		if (size > maxBytes) return `${crate} is larger than ${maxBytes} bytes`;
		// Hashed in pieces: a .crate is never held whole just to be checked.
		const hash = createHash('sha256');
		const piece = new Uint8Array(Math.min(size, 1024 * 1024) || 1);
		for (let read = readSync(fd, piece); read > 0; read = readSync(fd, piece)) hash.update(piece.subarray(0, read));
		const actual = hash.digest('hex');
		return sameChecksum(actual, lockChecksum) ? undefined : `${crate} has sha256 ${actual} but Cargo.lock says ${lockChecksum}`;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${crate} to check it against Cargo.lock` : `cannot read ${crate}: ${fsErrorReason(error)}`;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
