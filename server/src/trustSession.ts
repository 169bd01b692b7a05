/**
 * The glue the CLI and the language server share: it owns the data sources, reads a workspace,
 * and runs the pure engine over it. It knows nothing of LSP and never blocks on the network:
 * `analyze` uses whatever facts are loaded; `want` queues the rest in the facts service (`facts/`), whose
 * listeners hear when facts land; the CLI `drain`s it. Policy (ignores, minimum publish age, unsafe threshold) is
 * applied per root at each analysis, so a changed setting never refetches anything.
 */
import { dirname } from 'node:path';
import type { Settings } from './protocol';
import { analyzeWorkspace, ParseCache, type WorkspaceAnalysis } from './engine/analyze';
import { parseManifest } from './engine/manifest/parseManifest';
import { buildPolicy, parseIgnoreSetting } from './engine/policy';
import type { ProvenanceSeverities } from './engine/rules/provenance';
import { AdvisoryDatabase } from './sources/advisoryDb/advisoryDatabase';
import { parseDuration } from './sources/cargoConfig/duration';
import { effectiveMinPublishAge, publishAgeNotices, type PublishAgeNotice } from './sources/cargoConfig/minPublishAge';
import { describeOrigin } from './sources/cargoConfig/types';
import type { MinimumAge } from './engine/release/types';
import { FactsService, type FactsProgress, type WantPriority } from './facts/factsService';
import { nodeTimers, type SessionTimers } from './facts/sessionTimers';
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
import type { FileSide, ProvenanceFileText } from './sources/provenance/provenanceFile';
import { readLoneLockfile, readWorkspace, type Overlay } from './sources/workspace/readWorkspace';
import { AuditStoreCache } from './sources/audits/auditStoreCache';
import { RemoteAuditFiles } from './sources/audits/remoteAuditFiles';
import { toolVersion } from './version';
import type { LockedPackage } from './engine/lockfile/types';
import type { ReleaseFacts } from './engine/release/types';
import type { UnsafeFacts } from './engine/unsafe/types';
import { readCargoConfig } from './sources/cargoConfig/readCargoConfig';
import { configFingerprint } from './sources/cargoConfig/configFingerprint';

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
	/** The landing debounce, retries, revalidation and the advisory database refresh; Node's by default. */
	timers?: SessionTimers;
	/** How long index facts are used before they are revalidated; default 30 minutes. */
	indexTtlMs?: number;
}

const DEFAULT_INDEX_TTL_MS = 30 * 60_000;

/** Why provenance is null for every package of a session that skips it. */
export const PROVENANCE_SKIPPED = 'provenance was not checked (--no-provenance)';

/** Why provenance is not checked for a root whose `cargoTrust.provenance.enabled` is false. */
export const PROVENANCE_TURNED_OFF = 'turned off by the setting cargoTrust.provenance.enabled';

/** The sources that depend on the workspace (its cargo configuration). */
interface RootSources {
	clients: RegistryClients;
	release: ReleaseFactsSource;
	unsafe: UnsafeFactsSource;
	/** Undefined when provenance is skipped (--no-provenance). */
	provenance: ProvenanceSource | undefined;
	/** Directories of the workspace's path packages (`name@version`), refreshed by every analysis. */
	paths: Map<string, string>;
	/** The cargo-vet store and audit sources, parsed again only when their files change. */
	audits: AuditStoreCache;
	/** audits.toml files from URLs (audit sources, fresh imports): cached, revalidated in the background. */
	remoteAudits: RemoteAuditFiles;
}

export class TrustSession {
	readonly toolVersion = toolVersion;
	advisoryDb: AdvisoryDatabase;
	private readonly roots = new Map<string, RootSources>();
	/** Parsed manifests and lockfiles by text: an edit re-parses the edited file only. */
	private readonly parseCache = new ParseCache();
	/** The repositories' trees, shared by every workspace: a monorepo's commit is fetched once. */
	private commitTrees: CommitTrees | undefined;
	private readonly facts: FactsService;
	/**
	 * Roots whose `cargoTrust.provenance.enabled` is false, as of their last analysis: nothing of provenance is wanted
	 * or fetched for them. Kept when their sources are replaced (cargo's configuration changed), dropped with the root.
	 */
	private readonly provenanceOff = new Set<string>();
	private readonly timers: SessionTimers;
	private advisoryTimer: unknown;

	constructor(private options: SessionOptions) {
		this.timers = options.timers ?? nodeTimers;
		this.advisoryDb = this.createAdvisoryDb();
		this.facts = new FactsService({
			sourcesFor: (root) => {
				const sources = this.sourcesFor(root);
				return {
					release: sources.release,
					unsafe: sources.unsafe,
					provenance: this.activeProvenance(root, sources),
					hostOf: (pkg) => (pkg.source.kind === 'path' ? 'local' : hostOf(sources.clients, pkg.source.raw)),
					backgroundFetches: () => (sources.remoteAudits.fetching ? sources.remoteAudits.settle() : undefined),
				};
			},
			timers: this.timers,
			now: () => options.environment.now().getTime(),
			revalidateEveryMs: this.indexTtlMs,
		});
		this.startAdvisoryTimer();
	}

	private get indexTtlMs(): number {
		return this.options.indexTtlMs ?? DEFAULT_INDEX_TTL_MS;
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
		// Policy settings (ignores, minimum age, unsafe threshold) are applied at analysis: they keep every fact.
		const registryBefore = JSON.stringify([this.options.settings.cargoHome, this.options.settings.network]);
		this.options = { ...this.options, settings };
		if (registryBefore !== JSON.stringify([settings.cargoHome, settings.network])) this.forgetRoots();
		if (before === JSON.stringify([settings.advisoryDb, settings.cargoHome, settings.network])) return false;
		this.advisoryDb = this.createAdvisoryDb();
		this.startAdvisoryTimer();
		return true;
	}

	/** Re-reads cargo's configuration next time (a `.cargo/config.toml` changed). */
	forgetRoots(): void {
		for (const root of this.roots.keys()) this.facts.closeRoot(root);
		for (const sources of this.roots.values()) void sources.clients.close();
		this.roots.clear();
		// It holds the offline flag; fetches in flight finish on their own.
		this.commitTrees = undefined;
	}

	/**
	 * Analyses the workspace at `root` from what is known, never waiting on the network; with `loneLockfile`, that
	 * Cargo.lock on its own (no manifest above it). `rootSettings` (the root's resource-scoped settings) override the
	 * session's for this root's policy.
	 */
	async analyze(root: string, overlay?: Overlay, rootSettings?: Settings, loneLockfile?: string): Promise<WorkspaceAnalysis> {
		const files = loneLockfile ? await readLoneLockfile(loneLockfile, overlay) : await readWorkspace(root, overlay, undefined, this.parseCache);
		const settings = rootSettings ?? this.settings;
		const ignores = [...parseIgnoreSetting(settings.advisories.ignore), ...(await readIgnoreFiles(root, this.cargoHome, this.options.log))];
		const sources = this.sourcesFor(root);
		// Set before `want` reads it: the facts service asks for provenance only where this analysis's settings allow it.
		if (settings.provenance.enabled) this.provenanceOff.delete(root);
		else this.provenanceOff.add(root);
		const provenance = this.activeProvenance(root, sources);
		// A package whose fetching was cancelled and that has no fact says so, rather than "fetching…" forever.
		const cancelled = <T>(pkg: LockedPackage): Fact<T> | undefined => this.facts.cancelledFact<T>(root, pkg);
		const facts = {
			advisories: this.advisoryDb.current(),
			release: (pkg: LockedPackage) => sources.release.peek(pkg) ?? cancelled<ReleaseFacts>(pkg),
			unsafe: (pkg: LockedPackage) => sources.unsafe.peek(pkg) ?? cancelled<UnsafeFacts>(pkg),
			provenance: provenance ? (pkg: LockedPackage) => provenance.peek(pkg) ?? cancelled<ProvenanceFacts>(pkg) : (): Fact<ProvenanceFacts> => ({ status: 'disabled', reason: provenanceOffReason(sources) }),
			// A lone Cargo.lock has no workspace around it, so no store next to a manifest; the sources setting still applies.
			audits: await sources.audits.read(loneLockfile ? dirname(loneLockfile) : root, this.vetStorePath(files.manifests[0]?.text), settings.audits.sources, settings.audits.fetchImports),
		};
		const policy = buildPolicy(ignores, unsafeWarnAbove(settings), { minimumAge: this.minimumAges(sources, settings), provenanceSeverities: provenanceSeverities(settings), trust: settings.policy });
		const analysis = analyzeWorkspace(files, facts, policy, this.options.environment.now(), this.parseCache);
		for (const manifest of analysis.manifests) {
			const { packageName, packageVersion } = manifest.manifest;
			if (packageName && packageVersion) sources.paths.set(`${packageName}@${packageVersion}`, dirname(manifest.path));
		}
		return analysis;
	}

	/**
	 * Queues, without waiting, every fact the analysis lacks: the hovered package first, then direct dependencies of
	 * open files, then all direct dependencies, then the rest. Work in flight is not repeated.
	 */
	want(analysis: WorkspaceAnalysis, priority: WantPriority = {}): void {
		this.facts.want(analysis, priority);
	}

	/** Called (at most every ~250 ms) with the roots whose facts changed; they are to be analysed again. */
	onFactsLanded(listener: (roots: ReadonlySet<string>) => void): { dispose(): void } {
		return this.facts.onFactsLanded(listener);
	}

	onProgress(listener: (state: FactsProgress) => void): { dispose(): void } {
		return this.facts.onProgress(listener);
	}

	/** The CLI: wants everything the analysis lacks and waits until the root's queues (audit sources included) are empty (or `signal` aborts). */
	async drain(analysis: WorkspaceAnalysis, signal?: AbortSignal): Promise<void> {
		this.facts.want(analysis, {});
		await this.facts.idle(analysis.root, signal);
	}

	/** Whether facts are being fetched, or have landed and not been announced yet, for `root` (any root when absent). */
	busy(root?: string): boolean {
		return this.facts.busy(root);
	}

	/**
	 * Cancels fetching (the progress's cancel): every root's queued fetches are dropped and running ones finish;
	 * what was not fetched shows as unknown until `refreshAll`.
	 */
	cancelFetching(): void {
		this.facts.cancelQueued();
	}

	/** Cancels the root's queued and in-flight work and drops its state. */
	closeRoot(root: string): void {
		this.dropSources(root);
		this.provenanceOff.delete(root);
	}

	/**
	 * "Refresh Data": cargo's configuration read again (a change no watcher reported), the advisory database fetched
	 * again, every index entry revalidated, and what a cancel left unfetched fetched, now.
	 */
	async refreshAll(): Promise<void> {
		this.facts.resumeCancelled();
		for (const root of [...this.roots.keys()]) this.rereadCargoConfig(root);
		for (const sources of this.roots.values()) sources.release.expireAll();
		this.facts.wantAgain();
		const reload = this.advisoryDb.load(() => this.landAll(), true);
		await Promise.all([reload, ...this.facts.roots().map((root) => this.facts.idle(root))]);
	}

	/** One file of a package's provenance diff: the published copy or the repository's at the recorded commit. */
	provenanceFile(analysis: WorkspaceAnalysis, lockIndex: number, path: string, side: FileSide, signal: AbortSignal): Promise<ProvenanceFileText> {
		const trust = analysis.packages[lockIndex];
		const sources = this.sourcesFor(analysis.root);
		const provenance = this.activeProvenance(analysis.root, sources);
		if (!trust || !provenance) return Promise.resolve({ error: trust ? provenanceOffReason(sources) : 'no such package' });
		return provenance.fileText(trust.pkg, path, side, signal);
	}

	/**
	 * Checks whether the recorded commits of these packages (every one when absent) are on a branch or tag of their
	 * repositories (imposter commits); on demand only, as it fetches the repositories' history. Analyse again to see it.
	 */
	async checkCommitsReachable(analysis: WorkspaceAnalysis, lockIndexes: readonly number[] | undefined, signal: AbortSignal): Promise<void> {
		const provenance = this.activeProvenance(analysis.root, this.sourcesFor(analysis.root));
		if (!provenance) return;
		const packages = lockIndexes ? lockIndexes.map((index) => analysis.packages[index]).filter((trust) => trust !== undefined) : analysis.packages;
		for (const trust of packages) await provenance.checkReachable(trust.pkg, signal);
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
		this.facts.dispose();
		if (this.advisoryTimer !== undefined) this.timers.clearInterval(this.advisoryTimer);
		this.advisoryTimer = undefined;
	}

	/**
	 * A root whose cargo configuration (files, credentials) changed gets new sources, its queued and running fetches
	 * cancelled and its last analysis wanted again through them; an unchanged one keeps every fact it has.
	 */
	private rereadCargoConfig(root: string): void {
		const sources = this.roots.get(root);
		if (!sources) return;
		const fresh = readCargoConfig(root, { ...this.options.environment, env: this.cargoEnv() }, { trusted: this.options.trusted, workspaceRoot: root });
		if (configFingerprint(fresh) === configFingerprint(sources.clients.config)) return;
		const last = this.facts.lastWanted(root);
		this.dropSources(root);
		if (last) this.facts.want(last.analysis, last.priority);
	}

	/** Cancels the root's queued and in-flight work and forgets its sources (the next use reads its configuration again). */
	private dropSources(root: string): void {
		this.facts.closeRoot(root);
		const sources = this.roots.get(root);
		if (sources) void sources.clients.close();
		this.roots.delete(root);
	}

	/** Every root's analysis is out of date (the advisory database changed). */
	private landAll(): void {
		for (const root of this.roots.keys()) this.facts.land(root);
	}

	/** A window open for days still sees new advisories: the database is reloaded (refreshed when too old) every `maxAgeHours`. */
	private startAdvisoryTimer(): void {
		if (this.advisoryTimer !== undefined) this.timers.clearInterval(this.advisoryTimer);
		this.advisoryTimer = undefined;
		const maxAgeMs = this.options.settings.advisoryDb.maxAgeHours * 3600 * 1000;
		if (!(maxAgeMs > 0) || !Number.isFinite(maxAgeMs)) return;
		this.advisoryTimer = this.timers.setInterval(() => void this.advisoryDb.load(() => this.landAll()), maxAgeMs);
	}

	/** The root's provenance source, unless provenance is skipped for the session or turned off for the root. */
	private activeProvenance(root: string, sources: RootSources): ProvenanceSource | undefined {
		return this.provenanceOff.has(root) ? undefined : sources.provenance;
	}

	private sourcesFor(root: string): RootSources {
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
				// Offered inventories wait in memory for the provenance fetch: none is kept where provenance is turned off.
				...(provenance
					? {
							onRead: (pkg, source) => {
								if (!this.provenanceOff.has(root)) provenance.offer(pkg, source);
							},
						}
					: {}),
			});
			const release = new ReleaseFactsSource({ clients, log, now: () => environment.now().getTime(), ttlMs: this.indexTtlMs, onFilled: () => this.facts.land(root) });
			const remoteAudits = new RemoteAuditFiles({ http: clients.http, cacheDir: this.cacheDir, now: () => environment.now(), onChanged: () => this.facts.land(root), log });
			sources = { clients, release, unsafe, provenance, paths, audits: new AuditStoreCache(remoteAudits), remoteAudits };
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

	/** The root's minimum publish age per registry: cargo's `min-publish-age` settings, else `releaseAge.minimum`. */
	/** The root manifest's cargo-vet store path, from the parse the analysis shares (the text is parsed once). */
	private vetStorePath(rootManifestText: string | undefined): string | undefined {
		if (rootManifestText === undefined) return undefined;
		return this.parseCache.manifest(rootManifestText, undefined, () => parseManifest(rootManifestText)).value.vetStorePath;
	}

	private minimumAges(sources: RootSources, settings: Settings): (registryKey: string | null) => MinimumAge | undefined {
		const fallbackMs = this.minimumAgeMs(settings);
		const byRegistry = new Map<string | null, MinimumAge | undefined>();
		return (registryKey) => {
			if (byRegistry.has(registryKey)) return byRegistry.get(registryKey);
			const age = effectiveMinPublishAge(sources.clients.config, registryKey ?? undefined, fallbackMs);
			const minimum = age.status === 'ok' ? { ms: age.ms, origin: age.origin === 'cargo-trust setting' ? 'cargoTrust.releaseAge.minimum' : `${age.key} in ${describeOrigin(age.origin)}` } : undefined;
			if (age.status === 'invalid') this.options.log.warn(`Ignoring ${age.key} in ${describeOrigin(age.origin)}: ${age.reason}`);
			byRegistry.set(registryKey, minimum);
			return minimum;
		};
	}

	private minimumAgeMs(settings: Settings): number | undefined {
		const parsed = parseDuration(settings.releaseAge.minimum);
		if (parsed.ok) return parsed.ms;
		this.options.log.warn(`cargoTrust.releaseAge.minimum "${settings.releaseAge.minimum}" is not a duration (${parsed.reason}); no minimum age applies.`);
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

function provenanceOffReason(sources: RootSources): string {
	return sources.provenance ? PROVENANCE_TURNED_OFF : PROVENANCE_SKIPPED;
}

/** `cargoTrust.unsafe.warnAbove`; 0 turns the diagnostic off. */
function unsafeWarnAbove(settings: Settings): number | undefined {
	return settings.unsafe.warnAbove > 0 ? settings.unsafe.warnAbove : undefined;
}

/** `cargoTrust.provenance.severity.*`, by finding code. */
function provenanceSeverities(settings: Settings): ProvenanceSeverities {
	const { modified, dirty, missing, trustpubMismatch } = settings.provenance.severity;
	return { 'provenance-modified': modified, 'provenance-dirty': dirty, 'provenance-missing': missing, 'provenance-trustpub-mismatch': trustpubMismatch };
}

/** The host a lockfile source's registry requests go to, after source replacement (for the per-host bound). */
function hostOf(clients: RegistryClients, source: string): string {
	const resolved = clients.resolve(source);
	if (resolved.kind !== 'sparse') return 'local';
	try {
		return new URL(resolved.indexUrl).host;
	} catch {
		return 'local';
	}
}
