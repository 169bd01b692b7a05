/**
 * The glue the CLI and the language server share: it owns the data sources, reads a workspace,
 * and runs the pure engine over it. It knows nothing of LSP and never blocks on the network:
 * `analyze` uses whatever facts are loaded; `fetchMissing` fetches the rest (the server in the background).
 */
import { setMaxListeners } from 'node:events';
import { dirname } from 'node:path';
import type { Settings } from './protocol';
import { analyzeWorkspace, ParseCache, type WorkspaceAnalysis } from './engine/analyze';
import { buildPolicy, parseIgnoreSetting } from './engine/policy';
import { AdvisoryDatabase } from './sources/advisoryDb/advisoryDatabase';
import { parseDuration } from './sources/cargoConfig/duration';
import { publishAgeNotices, type PublishAgeNotice } from './sources/cargoConfig/minPublishAge';
import { cacheDir, cargoHome, type Environment } from './sources/environment';
import { readIgnoreFiles } from './sources/ignores/readIgnoreFiles';
import type { Logger } from './sources/log';
import { RegistryClients, type RegistryStatus } from './sources/registry/registryClients';
import { ReleaseFactsSource } from './sources/registry/releaseFactsSource';
import { UnsafeFactsSource } from './sources/unsafeScan/unsafeFactsSource';
import type { Fact } from './engine/facts';
import type { ProvenanceFacts } from './engine/provenance/types';
import { CommitTrees } from './sources/git/commitTrees';
import { ProvenanceSource } from './sources/provenance/provenanceSource';
import { readLoneLockfile, readWorkspace, type Overlay } from './sources/workspace/readWorkspace';
import { toolVersion } from './version';

export interface SessionOptions {
	environment: Environment;
	log: Logger;
	settings: Settings;
	/** False in an untrusted workspace: the LSP layer has already dropped restricted settings, and cargo config in the workspace is skipped. */
	trusted: boolean;
	/** `--cache-dir`, or the editor's storage folder. */
	cacheDir: string | undefined;
	/** `--offline`. The setting and CARGO_NET_OFFLINE also make the session offline; cargo's `[net] offline` applies to registry traffic, through the cargo configuration. */
	offline: boolean;
	/** `--advisory-db`, which wins over the setting. */
	advisoryDbPath?: string;
	/** Bounds the registry traffic of the whole session (the CLI's run); unbounded when absent. */
	networkBudgetMs?: number;
	/** `--no-provenance`: packages are not compared with their repositories (the reason is reported instead). */
	noProvenance?: boolean;
}

/** Why provenance is null for every package of a session that skips it. */
export const PROVENANCE_SKIPPED = 'provenance was not checked (--no-provenance)';

/** The sources that depend on the workspace (its cargo configuration). */
interface RootSources {
	clients: RegistryClients;
	release: ReleaseFactsSource;
	unsafe: UnsafeFactsSource;
	/** Undefined when provenance is skipped (--no-provenance). */
	provenance: ProvenanceSource | undefined;
	/** Directories of the workspace's path packages (`name@version`), refreshed by every analysis. */
	paths: Map<string, string>;
	/** The `releaseAge.minimum` setting the release facts were made with (ADAPTER, issue 13). */
	minimumAge: string;
}

export class TrustSession {
	readonly toolVersion = toolVersion;
	advisoryDb: AdvisoryDatabase;
	private readonly roots = new Map<string, RootSources>();
	/** Parsed manifests and lockfiles by text: an edit re-parses the edited file only. */
	private readonly parseCache = new ParseCache();
	/** The repositories' trees, shared by every workspace: a monorepo's commit is fetched once. */
	private commitTrees: CommitTrees | undefined;

	constructor(private options: SessionOptions) {
		this.advisoryDb = this.createAdvisoryDb();
	}

	get settings(): Settings {
		return this.options.settings;
	}

	get cargoHome(): string {
		return this.options.settings.cargoHome || cargoHome(this.options.environment);
	}

	get cacheDir(): string {
		return cacheDir(this.options.environment, this.options.cacheDir);
	}

	/** Offline from `--offline`, the setting, or cargo's CARGO_NET_OFFLINE. */
	get offline(): boolean {
		return this.options.offline || this.options.settings.network.offline || /^(true|1|yes)$/i.test(this.options.environment.env.CARGO_NET_OFFLINE ?? '');
	}

	/** Applies new settings; returns true when the advisory database had to be replaced (the caller reloads it). */
	updateSettings(settings: Settings): boolean {
		const before = JSON.stringify([this.options.settings.advisoryDb, this.options.settings.cargoHome, this.options.settings.network]);
		const registryBefore = JSON.stringify([this.options.settings.cargoHome, this.options.settings.network, this.options.settings.releaseAge]);
		this.options = { ...this.options, settings };
		if (registryBefore !== JSON.stringify([settings.cargoHome, settings.network, settings.releaseAge])) this.forgetRoots();
		if (before === JSON.stringify([settings.advisoryDb, settings.cargoHome, settings.network])) return false;
		this.advisoryDb = this.createAdvisoryDb();
		return true;
	}

	/** Re-reads cargo's configuration next time (a `.cargo/config.toml` changed). */
	forgetRoots(): void {
		for (const sources of this.roots.values()) void sources.clients.close();
		this.roots.clear();
		// It holds the offline flag; fetches in flight finish on their own.
		this.commitTrees = undefined;
	}

	/**
	 * Analyses the workspace at `root`, or with `loneLockfile` that Cargo.lock on its own (no manifest above it).
	 * ADAPTER (issue 13 contract, superseded by the facts service): the third argument may be the root's own
	 * resource-scoped settings (ignores, unsafe threshold, minimum release age).
	 */
	async analyze(root: string, overlay?: Overlay, rootSettingsOrLoneLockfile?: Settings | string): Promise<WorkspaceAnalysis> {
		const loneLockfile = typeof rootSettingsOrLoneLockfile === 'string' ? rootSettingsOrLoneLockfile : undefined;
		const settings = typeof rootSettingsOrLoneLockfile === 'object' ? rootSettingsOrLoneLockfile : this.settings;
		const files = loneLockfile ? await readLoneLockfile(loneLockfile, overlay) : await readWorkspace(root, overlay, undefined, this.parseCache);
		const ignores = [...parseIgnoreSetting(settings.advisories.ignore), ...(await readIgnoreFiles(root, this.cargoHome, this.options.log))];
		// The minimum age is baked into today's release facts: a root whose own minimum differs gets its sources again.
		if (this.roots.get(root)?.minimumAge !== settings.releaseAge.minimum) this.closeRoot(root);
		const sources = this.sourcesFor(root, settings);
		const { provenance } = sources;
		const facts = {
			advisories: this.advisoryDb.current(),
			release: sources.release.peek.bind(sources.release),
			unsafe: sources.unsafe.peek.bind(sources.unsafe),
			provenance: provenance ? provenance.peek.bind(provenance) : (): Fact<ProvenanceFacts> => ({ status: 'disabled', reason: PROVENANCE_SKIPPED }),
		};
		const analysis = analyzeWorkspace(files, facts, buildPolicy(ignores, settings.unsafe.warnAbove > 0 ? settings.unsafe.warnAbove : undefined), this.options.environment.now(), this.parseCache);
		for (const manifest of analysis.manifests) {
			const { packageName, packageVersion } = manifest.manifest;
			if (packageName && packageVersion) sources.paths.set(`${packageName}@${packageVersion}`, dirname(manifest.path));
		}
		return analysis;
	}

	/**
	 * Fetches the facts an analysis lacked (registry data for every locked package, then publishers for the direct
	 * ones). Returns true when something new landed, so the caller analyses again.
	 */
	async fetchMissing(analysis: WorkspaceAnalysis, progress: (message: string) => void, signal: AbortSignal): Promise<boolean> {
		const { release, unsafe, provenance } = this.sourcesFor(analysis.root);
		// One signal fans out to a request or a read per package; that many listeners is by design, not a leak.
		setMaxListeners(0, signal);
		const missing = analysis.packages.filter((trust) => trust.release === undefined).map((trust) => trust.pkg);
		if (missing.length) await release.fetch(missing, (done, total) => progress(`registry data ${done}/${total}`), signal);
		// Sources are read after the index is known, so downloads can be checked against its checksums.
		const uncounted = analysis.packages.filter((trust) => trust.unsafe === undefined).map((trust) => trust.pkg);
		if (uncounted.length) await unsafe.fetch(uncounted, (done, total) => progress(`counting unsafe code ${done}/${total}`), signal);
		// After the unsafe counts: the packages they read were offered to provenance, which is not reading them again.
		const unchecked = provenance ? analysis.packages.filter((trust) => trust.provenance === undefined).map((trust) => trust.pkg) : [];
		if (provenance && unchecked.length) await provenance.fetch(unchecked, (done, total) => progress(`comparing with repositories ${done}/${total}`), signal);
		// The download check may have read an index file whose earlier read failed: those facts are filled now.
		const refilled = await release.refilled();
		const direct = analysis.packages.filter((trust) => trust.direct).map((trust) => trust.pkg);
		const publishers = await release.fetchPublishers(direct, signal);
		return missing.length > 0 || uncounted.length > 0 || unchecked.length > 0 || refilled || publishers;
	}

	/** Fetches the publisher of one package (a hover asked for it). */
	fetchPublisher(analysis: WorkspaceAnalysis, lockIndex: number, signal: AbortSignal): Promise<boolean> {
		const trust = analysis.packages[lockIndex];
		return trust ? this.sourcesFor(analysis.root).release.fetchPublishers([trust.pkg], signal) : Promise.resolve(false);
	}

	registryStatuses(root: string): RegistryStatus[] {
		return this.roots.get(root)?.clients.registryStatuses() ?? [];
	}

	/** Publish-age settings in the root's cargo configuration that cargo ignores or rejects. */
	publishAgeNotices(root: string): PublishAgeNotice[] {
		return publishAgeNotices(this.sourcesFor(root).clients.config);
	}

	async dispose(): Promise<void> {
		this.forgetRoots();
	}

	/** ADAPTER (issue 13 contract): the workspace is no longer shown; its sources are dropped. */
	closeRoot(root: string): void {
		const sources = this.roots.get(root);
		if (!sources) return;
		void sources.clients.close();
		this.roots.delete(root);
	}

	private sourcesFor(root: string, settings: Settings = this.settings): RootSources {
		let sources = this.roots.get(root);
		if (!sources) {
			const { environment, log, trusted } = this.options;
			const budget = this.options.networkBudgetMs;
			const clients = new RegistryClients({ root, environment: { ...environment, env: this.cargoEnv() }, cacheDir: this.cacheDir, trusted, offline: this.offline, log, ...(budget !== undefined ? { networkBudgetMs: budget } : {}) });
			const paths = new Map<string, string>();
			const provenance = this.options.noProvenance
				? undefined
				: new ProvenanceSource({
						cargoHome: clients.config.cargoHome,
						cacheDir: this.cacheDir,
						registries: clients,
						http: clients.http,
						trees: this.trees(),
						now: () => environment.now(),
						log,
					});
			const unsafe = new UnsafeFactsSource({
				cargoHome: clients.config.cargoHome,
				cacheDir: this.cacheDir,
				registries: clients,
				http: clients.http,
				now: () => environment.now(),
				log,
				pathFor: (pkg) => paths.get(`${pkg.name}@${pkg.version}`),
				...(provenance ? { onRead: (pkg, source) => provenance.offer(pkg, source) } : {}),
			});
			const release = new ReleaseFactsSource({ clients, fallbackMinimumAgeMs: this.minimumAgeMs(settings.releaseAge.minimum), log });
			sources = { clients, release, unsafe, provenance, paths, minimumAge: settings.releaseAge.minimum };
			this.roots.set(root, sources);
		}
		return sources;
	}

	private trees(): CommitTrees {
		this.commitTrees ??= new CommitTrees({ cacheDir: this.cacheDir, env: this.options.environment.env, offline: this.offline });
		return this.commitTrees;
	}

	/** Cargo reads CARGO_HOME; our `cargoTrust.cargoHome` setting must steer the config reader the same way. */
	private cargoEnv(): Readonly<Record<string, string | undefined>> {
		return this.options.settings.cargoHome ? { ...this.options.environment.env, CARGO_HOME: this.options.settings.cargoHome } : this.options.environment.env;
	}

	private minimumAgeMs(minimum: string): number | undefined {
		const parsed = parseDuration(minimum);
		if (parsed.ok) return parsed.ms;
		this.options.log.warn(`cargoTrust.releaseAge.minimum "${minimum}" is not a duration (${parsed.reason}); no minimum age applies.`);
		return undefined;
	}

	private createAdvisoryDb(): AdvisoryDatabase {
		const { settings, environment, log } = this.options;
		return new AdvisoryDatabase({
			explicitPath: this.options.advisoryDbPath || settings.advisoryDb.path || undefined,
			cargoHome: this.cargoHome,
			cacheDir: this.cacheDir,
			url: settings.advisoryDb.url,
			offline: this.offline,
			maxAgeMs: settings.advisoryDb.maxAgeHours * 3600 * 1000,
			env: environment.env,
			now: () => environment.now(),
			log,
		});
	}
}
