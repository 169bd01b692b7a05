/**
 * The audit data of one workspace, read again only when a file behind it changed: the store's three files and each
 * `cargoTrust.audits.sources` file are stat'ed (size and modification time), and the parsed store is kept while
 * those, the store's location and the sources list stay the same. The client watches `supply-chain/*.toml`, so an edit
 * re-analyses and lands here.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { storePathFromManifest } from '../../engine/audits/buildAuditStore';
import { readAuditStore, type AuditData } from './readAuditStore';

async function stamp(path: string): Promise<string> {
	try {
		const info = await stat(path);
		return `${info.size}:${info.mtimeMs}`;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? 'error';
	}
}

export class AuditStoreCache {
	private entry: { key: string; data: AuditData } | undefined;

	async read(rootDir: string, rootManifestText: string | undefined, sources: readonly string[]): Promise<AuditData> {
		const storeDir = join(rootDir, (rootManifestText !== undefined ? storePathFromManifest(rootManifestText) : undefined) ?? 'supply-chain');
		const files = [join(storeDir, 'config.toml'), join(storeDir, 'audits.toml'), join(storeDir, 'imports.lock'), ...sources.map((source) => (isAbsolute(source) ? source : join(rootDir, source)))];
		const key = JSON.stringify([storeDir, sources, await Promise.all(files.map(stamp))]);
		if (this.entry?.key !== key) this.entry = { key, data: await readAuditStore(rootDir, rootManifestText, sources) };
		return this.entry.data;
	}
}
