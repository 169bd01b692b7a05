/**
 * Finds a locked package's published source and reads it into memory, in cargo's order of places:
 * registry packages from `$CARGO_HOME/registry/src/<registry>/NAME-VERSION/` (the pinned registry's own, proved by
 * its cached `.crate`), else where cargo's source replacement points (a vendored directory, a local registry), else
 * a `.crate` downloaded from the registry's `dl` template and verified against Cargo.lock and the index; git packages from cargo's checkout at the locked commit; path
 * packages from their directory. Never extracts an archive to disk, never runs anything, never throws.
 */
import type { LockedPackage } from '../../engine/lockfile/types';
import { isValidCrateName } from '../cratesIndex/indexPath';
import type { HttpClient } from '../http/httpClient';
import type { ByteLease } from './byteBudget';
import { type LocatedSource, notFound } from './crateSourceTypes';
import { downloadCrate } from './downloadCrate';
import { findGitCheckout } from './gitCheckout';
import { type CrateArchiveLimits, defaultCrateArchiveLimits, readCrateArchive } from './readCrateArchive';
import { readSourceDir } from './readSourceDir';
import type { RegistryAccess } from './registryAccess';
import { findRegistrySourceDir } from './registrySourceDir';
import { readLocalRegistry, readVendored } from './vendoredSource';

export interface LocateOptions {
	cargoHome: string;
	registries: RegistryAccess;
	/** Its `offline` flag turns downloads off; local sources are still read. */
	http: HttpClient;
	/** The directory of a path package (the workspace reader knows it); undefined when unknown. */
	pathFor?: (pkg: LockedPackage) => string | undefined;
	limits?: Partial<CrateArchiveLimits>;
	/** Holds the bytes of the files read, until the caller releases it after counting them. */
	lease?: ByteLease;
	signal: AbortSignal;
	/** A directory is read for provenance too (readSourceDir.ts); an archive always holds every file. */
	digestAll?: boolean;
	/** A file of a directory whose bytes are wanted whatever it is (an archive holds every file anyway). */
	keepFile?: string;
}

/** Versions as cargo writes them; anything else could not be a directory name and is refused before a path is built. */
const VERSION = /^[0-9A-Za-z.+-]{1,100}$/;

export async function locateCrateSource(pkg: LockedPackage, options: LocateOptions): Promise<LocatedSource> {
	if (!isValidCrateName(pkg.name) || !VERSION.test(pkg.version)) return notFound(`${JSON.stringify(pkg.name)} ${JSON.stringify(pkg.version)} is not a valid package name and version`);
	switch (pkg.source.kind) {
		case 'crates-io':
		case 'registry':
		case 'sparse':
			return fromRegistry(pkg, pkg.source.raw, options);
		case 'git':
			return fromGit(pkg, pkg.source.url, pkg.source.commit, options);
		case 'path':
			return fromPath(pkg, options);
		case 'other':
			return notFound(`unsupported package source ${pkg.source.raw}`);
	}
}

async function fromRegistry(pkg: LockedPackage, source: string, options: LocateOptions): Promise<LocatedSource> {
	const dirName = `${pkg.name}-${pkg.version}`;
	const limits = options.limits ?? {};
	const read = { limits, signal: options.signal, ...(options.lease ? { lease: options.lease } : {}), ...(options.digestAll ? { digestAll: true } : {}), ...(options.keepFile !== undefined ? { keepFile: options.keepFile } : {}) };
	const maxCrateBytes = limits.maxCompressedBytes ?? defaultCrateArchiveLimits.maxCompressedBytes;
	const extracted = findRegistrySourceDir(options.cargoHome, dirName, pkg.checksum, maxCrateBytes);
	if ('dir' in extracted) return fromDir(extracted.dir, `registry source ${extracted.dir}`, false, options);
	// Copies of another registry's package (or unproved ones) are named, so "not there" is not taken at its word.
	const notExtracted = `${dirName} is not in ${options.cargoHome}/registry/src${extracted.skipped.length > 0 ? ` (${extracted.skipped.join('; ')})` : ''}`;
	const lockChecksum = pkg.checksum;
	if (lockChecksum === undefined) return notFound(`Cargo.lock has no checksum for ${pkg.name} ${pkg.version}, so a copy of it cannot be verified`);
	const registry = options.registries.resolve(source);
	switch (registry.kind) {
		case 'directory':
			return readVendored(registry.path, pkg, lockChecksum, read);
		case 'local-registry':
			return readLocalRegistry(registry.path, pkg, lockChecksum, read);
		case 'git-index':
		case 'error':
			return notFound(`${notExtracted} and cannot be downloaded: ${registry.detail}`);
		case 'sparse': {
			if (options.http.offline) return notFound(`offline: ${notExtracted} and downloads are off`, true);
			const index = options.registries.index(registry.indexUrl, registry.token);
			const download = await downloadCrate(pkg, lockChecksum, { indexUrl: registry.indexUrl, token: registry.token, index }, options.http, options.signal);
			if ('reason' in download) return notFound(download.reason, download.transient);
			const archive = await readCrateArchive(download.bytes, dirName, limits, read);
			if ('error' in archive) return notFound(`downloaded ${dirName}.crate is not a readable archive: ${archive.error}`);
			return { status: 'found', ...archive, origin: `download ${download.url} (sha256 matches Cargo.lock and the index)` };
		}
	}
}

async function fromGit(pkg: LockedPackage, url: string, commit: string | undefined, options: LocateOptions): Promise<LocatedSource> {
	if (commit === undefined || !/^[0-9a-fA-F]{7,64}$/.test(commit)) return notFound(`Cargo.lock pins no commit for the git package ${pkg.name}`);
	const checkout = findGitCheckout(options.cargoHome, url, commit, pkg.name);
	if ('reason' in checkout) return notFound(checkout.reason);
	return fromDir(checkout.dir, `git checkout ${checkout.dir}`, true, options);
}

async function fromPath(pkg: LockedPackage, options: LocateOptions): Promise<LocatedSource> {
	const dir = options.pathFor?.(pkg);
	if (dir === undefined) return notFound(`the directory of the path package ${pkg.name} is not known`);
	return fromDir(dir, `path ${dir}`, true, options);
}

async function fromDir(dir: string, origin: string, workingTree: boolean, options: LocateOptions): Promise<LocatedSource> {
	const { limits, lease, signal, digestAll, keepFile } = options;
	const read = await readSourceDir(dir, { workingTree, signal, ...(limits ? { limits } : {}), ...(lease ? { lease } : {}), ...(digestAll ? { digestAll } : {}), ...(keepFile !== undefined ? { keepFile } : {}) });
	if ('error' in read) return notFound(`${dir}: ${read.error}`);
	return { status: 'found', ...read, origin };
}
