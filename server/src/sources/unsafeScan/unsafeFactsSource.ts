/**
 * The `unsafe` signal of every locked package, as a PackageSignalSource: `peek` answers from memory; `fetch`
 * reads each missing package's source (locateCrateSource.ts), counts it and reads its capabilities, a few at a
 * time, yielding to the event loop between packages so the server keeps answering, until done or cancelled.
 * Pinned packages are kept on disk forever (unsafeFactsCache.ts), so a workspace is counted once. Nothing is
 * compiled or run and nothing is written but our own cache; every failure is an `unknown` fact with its reason.
 */
import { type Fact, known, unknown } from '../../engine/facts';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { UnsafeFacts } from '../../engine/unsafe/types';
import { type ByteBudget, sharedByteBudget } from '../crateSource/byteBudget';
import type { SourceFiles } from '../crateSource/crateSourceTypes';
import { locateCrateSource } from '../crateSource/locateCrateSource';
import type { CrateArchiveLimits } from '../crateSource/readCrateArchive';
import type { RegistryAccess } from '../crateSource/registryAccess';
import { yieldToEventLoop } from '../crateSource/yieldToEventLoop';
import type { HttpClient } from '../http/httpClient';
import type { Logger } from '../log';
import type { PackageSignalSource } from '../types';
import { cacheKeyOf, UnsafeFactsCache } from './unsafeFactsCache';
import { unsafeFactsOf } from './unsafeFactsOf';
import { InFlight } from '../inFlight';

export interface UnsafeFactsSourceOptions {
	/** `$CARGO_HOME` (CargoConfig.cargoHome): where registry sources and git checkouts already are. */
	cargoHome: string;
	/** cargo-trust's cache directory. */
	cacheDir: string;
	/** Source replacement and sparse-index clients: the session's RegistryClients, or registryAccessFromConfig. */
	registries: RegistryAccess;
	/** Downloads go through it; when it is offline only local sources are read. */
	http: HttpClient;
	/** The Environment's clock, for when a package was counted. */
	now: () => Date;
	log: Logger;
	/** The directory of a path package, from the workspace reader. */
	pathFor?: (pkg: LockedPackage) => string | undefined;
	/** Packages read at once; the counting itself is synchronous, so more only overlaps downloads. Default 4. */
	concurrency?: number;
	limits?: Partial<CrateArchiveLimits>;
	/** The memory cap on package files held at once; default the process's own (sharedByteBudget). */
	budget?: ByteBudget;
	/**
	 * Another signal wants the same files (provenance): every regular file is then digested and this is called
	 * with each package read, so the package is read once for both.
	 */
	onRead?: (pkg: LockedPackage, source: SourceFiles) => void;
}

interface Entry {
	fact: Fact<UnsafeFacts>;
	/** Worth reading again on the next fetch: a path package (edited live), or a failure that may pass (offline, network). */
	refetch: boolean;
}

export class UnsafeFactsSource implements PackageSignalSource<UnsafeFacts> {
	private readonly memory = new Map<string, Entry>();
	/** A package asked for by two fetches at once is read once. */
	private readonly inFlight = new InFlight<Entry>();
	private readonly cache: UnsafeFactsCache;

	constructor(private readonly options: UnsafeFactsSourceOptions) {
		this.cache = new UnsafeFactsCache(options.cacheDir, options.log);
	}

	peek(pkg: LockedPackage): Fact<UnsafeFacts> | undefined {
		return this.memory.get(cacheKeyOf(pkg).memory)?.fact;
	}

	async fetch(pkgs: readonly LockedPackage[], progress: (done: number, total: number) => void, signal: AbortSignal): Promise<void> {
		const wanted = new Map<string, LockedPackage>();
		for (const pkg of pkgs) {
			const key = cacheKeyOf(pkg).memory;
			if (this.memory.get(key)?.refetch !== false) wanted.set(key, pkg);
		}
		const queue = [...wanted.values()];
		const total = queue.length;
		let done = 0;
		// An index, not `shift()`: shifting a queue of tens of thousands of packages is quadratic.
		let next = 0;
		const worker = async (): Promise<void> => {
			for (let pkg = queue[next++]; pkg !== undefined && !signal.aborted; pkg = queue[next++]) {
				await this.settle(pkg, signal);
				progress(++done, total);
				// Counting is synchronous; between packages, requests waiting on the server get their turn.
				await yieldToEventLoop();
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 4) }, worker));
	}

	private async settle(pkg: LockedPackage, signal: AbortSignal): Promise<void> {
		const key = cacheKeyOf(pkg).memory;
		const entry = await this.inFlight.run(key, () =>
			this.load(pkg, signal).catch((error: unknown): Entry => {
				const reason = `internal error while counting ${pkg.name} ${pkg.version}: ${String(error)}`;
				this.options.log.error(`unsafe: ${reason}`);
				return { fact: unknown(reason), refetch: true };
			}),
		);
		// A failure caused by the cancellation says nothing about the package.
		if (entry.fact.status === 'known' || !signal.aborted) this.memory.set(key, entry);
	}

	private async load(pkg: LockedPackage, signal: AbortSignal): Promise<Entry> {
		const { disk } = cacheKeyOf(pkg);
		const cached = disk === undefined ? undefined : await this.cache.read(disk);
		if (cached) return { fact: known(cached.facts, cached.facts.origin, cached.countedAt), refetch: false };
		const { cargoHome, registries, http, pathFor, limits, onRead } = this.options;
		// The files are held from reading until counted, and no longer.
		const lease = (this.options.budget ?? sharedByteBudget).lease();
		let facts: Awaited<ReturnType<typeof unsafeFactsOf>>;
		try {
			const located = await locateCrateSource(pkg, { cargoHome, registries, http, signal, lease, ...(pathFor ? { pathFor } : {}), ...(limits ? { limits } : {}), ...(onRead ? { digestAll: true } : {}) });
			if (located.status === 'unknown') {
				if (!located.transient) this.options.log.warn(`unsafe: ${pkg.name} ${pkg.version}: ${located.reason}`);
				return { fact: unknown(located.reason), refetch: located.transient };
			}
			onRead?.(pkg, located);
			facts = await unsafeFactsOf(located);
		} finally {
			lease.release();
		}
		if ('error' in facts) return { fact: unknown(facts.error), refetch: false };
		const countedAt = this.options.now().toISOString();
		if (disk !== undefined) await this.cache.write(disk, { facts, countedAt });
		return { fact: known(facts, facts.origin, countedAt), refetch: pkg.source.kind === 'path' };
	}
}
