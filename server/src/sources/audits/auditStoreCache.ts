/**
 * The audit data of one workspace, read again only when a file behind it changed: the store's three files and each
 * `cargoTrust.audits.sources` file are stat'ed (size and modification time), and the parsed store is kept while
 * those, the store's location and the sources list stay the same. The client watches `supply-chain/*.toml`, so an edit
 * re-analyses and lands here.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { readAuditStore, type AuditData, type RemoteOptions } from './readAuditStore';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

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

	/** `remote.version()` changes when a fetched copy lands, so URL sources count as changed files too. */
	constructor(private readonly remote?: RemoteOptions['remote'] & { version(): number }) {}

	/** `storePath` as `readAuditStore` takes it: the root manifest's `vetStorePath`. */
	async read(rootDir: string, storePath: string | undefined, sources: readonly string[], fetchImports = false): Promise<AuditData> {
		const storeDir = join(rootDir, storePath ?? 'supply-chain');
		const files = [join(storeDir, 'config.toml'), join(storeDir, 'audits.toml'), join(storeDir, 'imports.lock'), ...sources.filter((source) => !URL_SCHEME.test(source)).map((source) => (isAbsolute(source) ? source : join(rootDir, source)))];
		// Peeking starts the revalidation of copies older than their TTL (the answer itself is in the version).
		const urls = [...sources.filter((source) => URL_SCHEME.test(source)), ...(fetchImports && this.entry?.data.status === 'known' ? [...this.entry.data.store.config.imports.values()].flatMap((entry) => entry.urls) : [])];
		if (this.remote) await Promise.all(urls.map((url) => this.remote!.peek(url)));
		const key = JSON.stringify([storeDir, sources, fetchImports, this.remote?.version(), await Promise.all(files.map(stamp))]);
		if (this.entry?.key !== key) this.entry = { key, data: await readAuditStore(rootDir, storePath, sources, { ...(this.remote ? { remote: this.remote } : {}), fetchImports }) };
		return this.entry.data;
	}
}
