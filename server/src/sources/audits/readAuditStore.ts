/**
 * Reads the workspace's cargo-vet store (`supply-chain/` next to Cargo.lock, or the manifest's `store.path`) and the
 * audit files named in `cargoTrust.audits.sources`. Imports come from `imports.lock`, as cargo-vet does by default,
 * unless `fetchImports` asks for their URLs fresh. URL entries are read through `remote` (our cache, revalidated in
 * the background: `remoteAuditFiles.ts`), never waited on here. Never throws: an unreadable file is a problem on the
 * store or a note, and everything else is still used.
 */
import { join, isAbsolute, basename } from 'node:path';
import { decodeUtf8 } from '../workspace/decodeUtf8';
import { fsErrorReason, isAbsentError } from '../fsErrors';
import { readRegularBytes } from '../readRegularFile';
import { buildAuditStore, type StoreTexts } from '../../engine/audits/buildAuditStore';
import type { SourceText } from '../../engine/toml/sourceText';
import type { AuditData } from '../../engine/audits/auditData';
import { knownSourceName } from '../../engine/audits/knownSources';
import { parseAuditsToml } from '../../engine/audits/parseAuditsToml';
import { emptyAuditsFile, type AuditsFile, type AuditStore } from '../../engine/audits/types';
import { redactUrl } from '../http/redactUrl';
import type { RemoteText } from './remoteAuditFiles';

export type { AuditData };

export interface RemoteOptions {
	/** Answers a URL from what is cached (never waits on the network); absent: URLs are not used. */
	remote?: { peek(url: string): Promise<RemoteText> };
	/** `cargoTrust.audits.fetchImports`: the store's `[imports]` URLs instead of `imports.lock`'s copies. */
	fetchImports?: boolean;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

type FileRead = { file: SourceText } | { absent: true } | { error: string };

async function readText(path: string): Promise<FileRead> {
	try {
		return { file: decodeUtf8(path, await readRegularBytes(path)) };
	} catch (error) {
		return isAbsentError(error) ? { absent: true } : { error: fsErrorReason(error) };
	}
}

/**
 * `rootDir` holds the root manifest and Cargo.lock; `storePath` is the store directory the root manifest names
 * (`Manifest.vetStorePath`, relative to `rootDir`), by default `supply-chain`. `sources` is
 * `cargoTrust.audits.sources`, relative paths against `rootDir`.
 */
export async function readAuditStore(rootDir: string, storePath: string | undefined, sources: readonly string[], options: RemoteOptions = {}): Promise<AuditData> {
	const notes: string[] = [];
	const storeDir = join(rootDir, storePath ?? 'supply-chain');
	const paths = { config: join(storeDir, 'config.toml'), audits: join(storeDir, 'audits.toml'), importsLock: join(storeDir, 'imports.lock') };
	const [config, audits, importsLock] = await Promise.all([readText(paths.config), readText(paths.audits), readText(paths.importsLock)]);
	const unreadable = (read: FileRead, path: string): SourceText | undefined => {
		if ('file' in read) return read.file;
		if ('error' in read) notes.push(`cannot read ${path}: ${read.error}`);
		return undefined;
	};
	// cargo-vet needs both config.toml and audits.toml; either one marks a store (a half-written one still counts, with notes).
	const hasStore = !('absent' in config) || !('absent' in audits);
	const texts: StoreTexts | undefined = hasStore ? { directory: storeDir, paths, config: unreadable(config, paths.config), audits: unreadable(audits, paths.audits), importsLock: unreadable(importsLock, paths.importsLock) } : undefined;
	const extra: { name: string; file: SourceText }[] = [];
	for (const source of sources) {
		if (URL_SCHEME.test(source)) {
			const fetched = options.remote ? await options.remote.peek(source) : { text: undefined, note: `audit source ${redactUrl(source)} is a URL and URLs are not fetched here, so it is not used` };
			if (fetched.note) notes.push(fetched.note);
			if (fetched.text !== undefined) extra.push({ name: knownSourceName(source) ?? redactUrl(source), file: { path: source, text: fetched.text } });
			continue;
		}
		const path = isAbsolute(source) ? source : join(rootDir, source);
		const read = await readText(path);
		if ('file' in read) extra.push({ name: basename(source), file: read.file });
		else notes.push(`cannot read audit source ${path}: ${'error' in read ? read.error : 'no such file'}`);
	}
	if (!texts && extra.length === 0) {
		return { status: 'none', reason: sources.length ? `no audit source could be read (${notes.join('; ')})` : `no cargo-vet store (${storeDir}) and no cargoTrust.audits.sources` };
	}
	const read = new Map<string, string>();
	for (const file of [texts?.config, texts?.audits, texts?.importsLock, ...extra.map((source) => source.file)]) if (file && !URL_SCHEME.test(file.path)) read.set(file.path, file.text);
	const store = buildAuditStore(texts, extra);
	// A fetched file has no place in the editor to show its problems on: they become notes.
	store.files = store.files.filter((file) => {
		if (!URL_SCHEME.test(file.path)) return true;
		notes.push(`audit source ${redactUrl(file.path)}: ${file.problems.length} problem(s), the first: ${file.problems[0]?.message ?? ''}; the rest of it is used`);
		return false;
	});
	if (options.fetchImports && options.remote) await useFreshImports(store, options.remote, notes);
	return { status: 'known', store, notes, texts: read };
}

/** Each import's URLs, when every one of them has a copy, replace imports.lock's cached audits for that import. */
async function useFreshImports(store: AuditStore, remote: NonNullable<RemoteOptions['remote']>, notes: string[]): Promise<void> {
	for (const [name, config] of store.config.imports) {
		const files: AuditsFile[] = [];
		for (const url of config.urls) {
			const fetched = await remote.peek(url);
			if (fetched.note) notes.push(`import ${name}: ${fetched.note}`);
			if (fetched.text === undefined) break;
			const parsed = parseAuditsToml(fetched.text);
			if (parsed.problems.length) notes.push(`import ${name}: ${redactUrl(url)} has ${parsed.problems.length} problem(s), the first: ${parsed.problems[0]!.message}; the rest of it is used`);
			files.push(parsed.value);
		}
		if (files.length === config.urls.length && files.length > 0) store.importsLock.audits.set(name, mergeAuditsFiles(files));
		else notes.push(`import ${name}: using the copy in imports.lock`);
	}
}

function mergeAuditsFiles(files: readonly AuditsFile[]): AuditsFile {
	const merged = emptyAuditsFile();
	for (const file of files) {
		for (const [name, criterion] of file.criteria) merged.criteria.set(name, criterion);
		for (const key of ['audits', 'wildcardAudits', 'trusted'] as const) {
			for (const [crate, entries] of file[key] as Map<string, unknown[]>) (merged[key] as Map<string, unknown[]>).set(crate, [...((merged[key] as Map<string, unknown[]>).get(crate) ?? []), ...entries]);
		}
	}
	return merged;
}
