/**
 * Packages that cargo's source replacement says come from the local disk: a `directory` source as `cargo vendor`
 * writes it (`<dir>/NAME-VERSION/` or `<dir>/NAME/`, each with a `.cargo-checksum.json` whose `package` must be
 * Cargo.lock's checksum), and a `local-registry` (`<dir>/NAME-VERSION.crate`, whose sha256 must be it). The
 * archive is read in memory, never extracted. Never throws.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LockedPackage } from '../../engine/lockfile/types';
import { sameChecksum, sha256Hex } from './checksum';
import { type LocatedSource, notFound } from './crateSourceTypes';
import { type ArchiveReadOptions, type CrateArchiveLimits, defaultCrateArchiveLimits, readCrateArchive } from './readCrateArchive';
import { readSourceDir } from './readSourceDir';

/** How the files are read: the limits, and the memory lease that holds them (readCrateArchive.ts). */
export type ReadOptions = ArchiveReadOptions & { limits: Partial<CrateArchiveLimits>; digestAll?: boolean; keepFile?: string };

export async function readVendored(vendorDir: string, pkg: LockedPackage, lockChecksum: string, options: ReadOptions): Promise<LocatedSource> {
	const mismatches: string[] = [];
	for (const dirName of [`${pkg.name}-${pkg.version}`, pkg.name]) {
		const dir = join(vendorDir, dirName);
		const recorded = vendoredChecksum(dir);
		if (recorded === undefined) continue;
		if (!sameChecksum(recorded, lockChecksum)) {
			mismatches.push(`${dir} has .cargo-checksum.json package ${recorded}`);
			continue;
		}
		const read = await readSourceDir(dir, { ...options, workingTree: false });
		if ('error' in read) return notFound(`vendored ${dir}: ${read.error}`);
		return { status: 'found', ...read, origin: `vendored directory ${dir} (.cargo-checksum.json matches Cargo.lock)` };
	}
	if (mismatches.length > 0) return notFound(`${mismatches.join('; ')}, but Cargo.lock says ${lockChecksum} for ${pkg.name} ${pkg.version}`);
	return notFound(`${pkg.name} ${pkg.version} is not in the vendored directory ${vendorDir}`);
}

export async function readLocalRegistry(registryDir: string, pkg: LockedPackage, lockChecksum: string, options: ReadOptions): Promise<LocatedSource> {
	const { limits } = options;
	const file = join(registryDir, `${pkg.name}-${pkg.version}.crate`);
	const maxBytes = limits.maxCompressedBytes ?? defaultCrateArchiveLimits.maxCompressedBytes;
	let bytes: Uint8Array;
	try {
		// The size first, so a huge file is refused before it is read.
		if (statSync(file).size > maxBytes) return notFound(`${file} is larger than ${maxBytes} bytes`);
		bytes = readFileSync(file);
	} catch (error) {
		return notFound(`${pkg.name} ${pkg.version} is not in the local registry ${registryDir}: ${(error as Error).message}`);
	}
	const actual = sha256Hex(bytes);
	if (!sameChecksum(actual, lockChecksum)) return notFound(`${file} has sha256 ${actual} but Cargo.lock says ${lockChecksum}`);
	const archive = await readCrateArchive(bytes, `${pkg.name}-${pkg.version}`, limits, options);
	if ('error' in archive) return notFound(`${file}: ${archive.error}`);
	return { status: 'found', ...archive, origin: `local registry ${file} (sha256 verified)` };
}

/** The `package` checksum `cargo vendor` records, or undefined when the directory or the file is not there. */
function vendoredChecksum(dir: string): string | undefined {
	try {
		const value: unknown = JSON.parse(readFileSync(join(dir, '.cargo-checksum.json'), 'utf8'));
		const recorded = (value as { package?: unknown } | null)?.package;
		return typeof recorded === 'string' ? recorded : '(none)';
	} catch {
		return undefined;
	}
}
