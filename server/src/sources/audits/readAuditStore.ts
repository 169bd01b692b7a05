/**
 * Reads the workspace's cargo-vet store (`supply-chain/` next to Cargo.lock, or the manifest's `store.path`) and the
 * audit files named in `cargoTrust.audits.sources`. Offline by design: imports come from `imports.lock`, as cargo-vet
 * does by default. Never throws: an unreadable file is a problem on the store, and everything else is still used.
 *
 * NOTE: `https://` entries of `cargoTrust.audits.sources` and fresh import URLs are not fetched yet (that needs a
 * disk cache with ETag through `sources/http/`); such an entry is reported in `notes` and skipped.
 */
import { join, isAbsolute, basename } from 'node:path';
import { decodeUtf8 } from '../workspace/decodeUtf8';
import { readRegularBytes } from '../readRegularFile';
import { buildAuditStore, storePathFromManifest, type StoreTexts } from '../../engine/audits/buildAuditStore';
import type { SourceText } from '../../engine/toml/sourceText';
import type { AuditData } from '../../engine/audits/auditData';

export type { AuditData };

type FileRead = { file: SourceText } | { absent: true } | { error: string };

async function readText(path: string): Promise<FileRead> {
	try {
		return { file: decodeUtf8(path, await readRegularBytes(path)) };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return { absent: true };
		return { error: error instanceof Error ? error.message : String(error) };
	}
}

/**
 * `rootDir` holds the root manifest and Cargo.lock; `rootManifestText` is the root manifest as the analysis read it
 * (open buffers win). `sources` is `cargoTrust.audits.sources`, relative paths against `rootDir`.
 */
export async function readAuditStore(rootDir: string, rootManifestText: string | undefined, sources: readonly string[]): Promise<AuditData> {
	const notes: string[] = [];
	const storeDir = join(rootDir, (rootManifestText !== undefined ? storePathFromManifest(rootManifestText) : undefined) ?? 'supply-chain');
	const paths = { config: join(storeDir, 'config.toml'), audits: join(storeDir, 'audits.toml'), importsLock: join(storeDir, 'imports.lock') };
	const [config, audits, importsLock] = await Promise.all([readText(paths.config), readText(paths.audits), readText(paths.importsLock)]);
	const unreadable = (read: FileRead, path: string): SourceText | undefined => {
		if ('file' in read) return read.file;
		if ('error' in read) notes.push(`${path} could not be read: ${read.error}`);
		return undefined;
	};
	// cargo-vet needs both config.toml and audits.toml; either one marks a store (a half-written one still counts, with notes).
	const hasStore = !('absent' in config) || !('absent' in audits);
	const texts: StoreTexts | undefined = hasStore ? { directory: storeDir, paths, config: unreadable(config, paths.config), audits: unreadable(audits, paths.audits), importsLock: unreadable(importsLock, paths.importsLock) } : undefined;
	const extra: { name: string; file: SourceText }[] = [];
	for (const source of sources) {
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
			notes.push(`audit source ${source} is a URL: fetching audit sources is not implemented yet, so it is not used`);
			continue;
		}
		const path = isAbsolute(source) ? source : join(rootDir, source);
		const read = await readText(path);
		if ('file' in read) extra.push({ name: basename(source), file: read.file });
		else notes.push(`audit source ${path} could not be read: ${'error' in read ? read.error : 'no such file'}`);
	}
	if (!texts && extra.length === 0) {
		return { status: 'none', reason: sources.length ? `no audit source could be read (${notes.join('; ')})` : `no cargo-vet store (${storeDir}) and no cargoTrust.audits.sources` };
	}
	const read = new Map<string, string>();
	for (const file of [texts?.config, texts?.audits, texts?.importsLock, ...extra.map((source) => source.file)]) if (file) read.set(file.path, file.text);
	return { status: 'known', store: buildAuditStore(texts, extra), notes, texts: read };
}
