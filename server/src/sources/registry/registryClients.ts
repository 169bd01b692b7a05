/**
 * The registry clients of one workspace: cargo's configuration read for it, one HTTP layer, one sparse-index
 * client per effective index URL (after source replacement), and crates.io's API when the package is from
 * crates.io. Also what the report's `data.registries` says about each registry.
 */
import { publishAgeNotices } from '../cargoConfig/minPublishAge';
import { readCargoConfig } from '../cargoConfig/readCargoConfig';
import { registryNameFor, resolveRegistry, type ResolvedRegistry } from '../cargoConfig/resolveRegistry';
import { describeOrigin, type CargoConfig } from '../cargoConfig/types';
import { CratesApi } from '../cratesIndex/cratesApi';
import { SparseIndexClient } from '../cratesIndex/sparseIndexClient';
import type { Environment } from '../environment';
import type { IndexReadListener } from '../cratesIndex/sparseIndexClient';
import { httpOptionsFromCargoConfig } from '../http/fromCargoConfig';
import { HttpClient } from '../http/httpClient';
import { realTimers } from '../http/timers';
import { formatUserAgent } from '../http/userAgent';
import type { Logger } from '../log';
import { toolRepository, toolVersion } from '../../version';
import { RegistryStatusBook, type RegistryStatus } from './registryStatus';

export type { RegistryStatus } from './registryStatus';

export interface RegistryClientsOptions {
	root: string;
	environment: Environment;
	cacheDir: string;
	trusted: boolean;
	offline: boolean;
	log: Logger;
	/** Bounds the whole run's network time (the CLI's); the editor's background fetches are cancellable instead. */
	networkBudgetMs?: number;
}

export class RegistryClients {
	readonly config: CargoConfig;
	readonly http: HttpClient;
	private readonly indexes = new Map<string, SparseIndexClient>();
	private readonly apis = new Map<string, CratesApi>();
	/** What `data.registries` says, tallied from every index read. */
	readonly status = new RegistryStatusBook();
	private readonly indexListeners = new Set<(indexUrl: string, ...read: Parameters<IndexReadListener>) => void>();
	private readonly resolved = new Map<string, ResolvedRegistry>();
	private readonly names = new Map<string, string | undefined>();

	constructor(private readonly options: RegistryClientsOptions) {
		this.config = readCargoConfig(options.root, options.environment, { trusted: options.trusted, workspaceRoot: options.root });
		for (const notice of this.config.notices) options.log.warn(`Cargo configuration: ${notice.message}`);
		for (const notice of publishAgeNotices(this.config)) options.log.warn(`Cargo configuration: ${notice.message}`);
		const { options: httpOptions, notices } = httpOptionsFromCargoConfig(this.config, options.environment, formatUserAgent(toolVersion, toolRepository));
		for (const notice of notices) options.log.warn(`Cargo configuration: ${notice}`);
		// Index files are small and a workspace needs hundreds: keep enough requests in flight to hide latency.
		this.http = new HttpClient({
			...httpOptions,
			offline: httpOptions.offline || options.offline,
			maxParallel: 24,
			...(options.networkBudgetMs !== undefined ? { budgetMs: options.networkBudgetMs } : {}),
		});
	}

	get offline(): boolean {
		return this.http.offline;
	}

	/** Where a lockfile source really comes from, after cargo's source replacement. Memoised: every package asks. */
	resolve(source: string): ResolvedRegistry {
		let resolved = this.resolved.get(source);
		if (!resolved) {
			resolved = resolveRegistry(this.config, source);
			this.resolved.set(source, resolved);
		}
		return resolved;
	}

	/** The registry's name before replacement (`crates-io`, a `[registries]` name), for its publish-age key. */
	registryName(source: string): string | undefined {
		if (!this.names.has(source)) this.names.set(source, registryNameFor(this.config, source));
		return this.names.get(source);
	}

	index(indexUrl: string, token: string | undefined): SparseIndexClient {
		let client = this.indexes.get(indexUrl);
		if (!client) {
			client = new SparseIndexClient({ http: this.http, indexUrl, cacheDir: this.options.cacheDir, timers: realTimers(this.options.environment), log: this.options.log, ...(token ? { token } : {}) });
			client.onRead((name, result) => {
				for (const listener of this.indexListeners) listener(indexUrl, name, result);
			});
			this.indexes.set(indexUrl, client);
		}
		return client;
	}

	/** crates.io's API, at the mirror's `api` when crates.io is replaced by a mirror that has one. */
	api(apiUrl: string | undefined): CratesApi {
		const key = apiUrl ?? '';
		let api = this.apis.get(key);
		if (!api) {
			api = new CratesApi({ http: this.http, cacheDir: this.options.cacheDir, timers: realTimers(this.options.environment), log: this.options.log, ...(apiUrl ? { apiUrl } : {}) });
			this.apis.set(key, api);
		}
		return api;
	}

	/** Every good read of any index file of this workspace's registries, whoever asked (release data or a download). */
	onIndexRead(listener: (indexUrl: string, ...read: Parameters<IndexReadListener>) => void): void {
		this.indexListeners.add(listener);
	}

	registryStatuses(): RegistryStatus[] {
		return this.status.statuses(this.offline);
	}

	describe(origin: Parameters<typeof describeOrigin>[0]): string {
		return describeOrigin(origin);
	}

	close(): Promise<void> {
		return this.http.close();
	}
}
