/**
 * What finding and downloading a registry package needs from the registry layer: where cargo would really get a
 * lockfile source from (after `[source]` replacement) and the sparse-index client of an index URL. The session's
 * RegistryClients has exactly this shape; `registryAccessFromConfig` builds it from a CargoConfig alone.
 * Reads no disk and no network itself.
 */
import { resolveRegistry, type ResolvedRegistry } from '../cargoConfig/resolveRegistry';
import type { CargoConfig } from '../cargoConfig/types';
import { SparseIndexClient } from '../cratesIndex/sparseIndexClient';
import type { HttpClient } from '../http/httpClient';
import type { Timers } from '../http/timers';
import type { Logger } from '../log';

export type IndexClient = Pick<SparseIndexClient, 'fetchConfig' | 'fetchVersions'>;

export interface RegistryAccess {
	resolve(source: string): ResolvedRegistry;
	index(indexUrl: string, token: string | undefined): IndexClient;
}

export interface RegistryAccessOptions {
	http: HttpClient;
	/** cargo-trust's cache directory; index files are cached under it as SparseIndexClient does. */
	cacheDir: string;
	timers: Timers;
	log: Logger;
}

export function registryAccessFromConfig(config: CargoConfig, options: RegistryAccessOptions): RegistryAccess {
	// One client per index URL, so config.json and index files are fetched once however many crates share them.
	const clients = new Map<string, SparseIndexClient>();
	return {
		resolve: (source) => resolveRegistry(config, source),
		index: (indexUrl, token) => {
			let client = clients.get(indexUrl);
			if (!client) {
				client = new SparseIndexClient({ ...options, indexUrl, ...(token ? { token } : {}) });
				clients.set(indexUrl, client);
			}
			return client;
		},
	};
}
