/**
 * The `provenance` signal of every registry package, as a PackageSignalSource. The package's files come from
 * the read the unsafe counter already made (`offer`, per checksum), or else from reading the same located,
 * checksum-verified source here; the repository's tree from CommitTrees (sources/git/). Verdicts are kept on
 * disk forever per (name, version, checksum) (provenanceCache.ts), but `commit-not-found` for a day only;
 * `unreachable` and git failures only in memory, and they are tried again on the next fetch. Never throws; a package whose files cannot be read is an
 * `unknown` fact with the reason.
 */
import { type Fact, known, unknown } from '../../engine/facts';
import type { LockedPackage } from '../../engine/lockfile/types';
import type { CommitReachability, ProvenanceFacts } from '../../engine/provenance/types';
import { type ByteBudget, sharedByteBudget } from '../crateSource/byteBudget';
import type { SourceFiles } from '../crateSource/crateSourceTypes';
import { locateCrateSource } from '../crateSource/locateCrateSource';
import type { CrateArchiveLimits } from '../crateSource/readCrateArchive';
import type { RegistryAccess } from '../crateSource/registryAccess';
import type { CommitTrees } from '../git/commitTrees';
import type { HttpClient } from '../http/httpClient';
import type { Logger } from '../log';
import type { PackageSignalSource } from '../types';
import { cacheKeyOf } from '../unsafeScan/unsafeFactsCache';
import { checkProvenance } from './checkProvenance';
import { type FileSide, type ProvenanceFileText, publishedFileText, repositoryFileText } from './provenanceFile';
import { type PackageInventory, packageInventory } from './packageInventory';
import { ProvenanceCache } from './provenanceCache';
import { checkRepositoryUrl } from './repositoryUrl';
import { InFlight } from '../inFlight';

export interface ProvenanceSourceOptions {
	cargoHome: string;
	cacheDir: string;
	registries: RegistryAccess;
	http: HttpClient;
	trees: CommitTrees;
	now: () => Date;
	log: Logger;
	/** Packages checked at once (each waits on git mostly; CommitTrees bounds the fetches). Default 4. */
	concurrency?: number;
	limits?: Partial<CrateArchiveLimits>;
	budget?: ByteBudget;
}

interface Entry {
	fact: Fact<ProvenanceFacts>;
	/** Worth computing again on the next fetch (a network failure, offline, a source that could not be read for now). */
	refetch: boolean;
	/** Epoch ms after which the verdict is computed again (a `commit-not-found` that a later push can fix). */
	until?: number;
}

/** Statuses that say something about the package and its repository for good; the others may change. */
const TRANSIENT = new Set(['unreachable']);

/**
 * A commit the repository does not have today may be pushed tomorrow (a release tagged after publishing): that
 * verdict is kept a day, in memory and on disk, then checked again.
 */
export const COMMIT_NOT_FOUND_TTL_MS = 24 * 3600 * 1000;

/** When a verdict checked at `checkedAt` stops holding; undefined: never. */
export function verdictExpiry(facts: ProvenanceFacts, checkedAt: string): number | undefined {
	return facts.status === 'commit-not-found' ? Date.parse(checkedAt) + COMMIT_NOT_FOUND_TTL_MS : undefined;
}

export class ProvenanceSource implements PackageSignalSource<ProvenanceFacts> {
	private readonly memory = new Map<string, Entry>();
	private readonly inFlight = new InFlight<Entry>();
	/** Inventories offered by the unsafe counter's read, taken once used. */
	private readonly offered = new Map<string, PackageInventory>();
	private readonly cache: ProvenanceCache;
	/**
	 * Whether each (repository, commit) is on a branch or tag, checked on demand; kept for the session only (a
	 * branch can be deleted or merged later), and shown inside every verdict with that repository and commit.
	 */
	private readonly reachable = new Map<string, CommitReachability>();

	constructor(private readonly options: ProvenanceSourceOptions) {
		this.cache = new ProvenanceCache(options.cacheDir, options.log);
	}

	peek(pkg: LockedPackage): Fact<ProvenanceFacts> | undefined {
		if (!isRegistryPackage(pkg)) return notRegistry;
		const fact = this.memory.get(cacheKeyOf(pkg).memory)?.fact;
		const reachability = fact?.status === 'known' ? this.reachable.get(reachabilityKey(fact.value)) : undefined;
		return fact?.status === 'known' && reachability ? { ...fact, value: { ...fact.value, reachability } } : fact;
	}

	/**
	 * Checks now (git, on demand) whether the commit of the package's verdict is on a branch or tag of its
	 * repository; undefined when the verdict names no repository and commit to check.
	 */
	async checkReachable(pkg: LockedPackage, signal: AbortSignal): Promise<CommitReachability | undefined> {
		const fact = this.peek(pkg);
		if (fact?.status !== 'known' || fact.value.repository === null || fact.value.commit === null) return undefined;
		const url = checkRepositoryUrl(fact.value.repository);
		if ('reason' in url) return undefined;
		const key = reachabilityKey(fact.value);
		// A failure (offline, a network error) is shown with its reason, and tried again on the next request.
		const cached = this.reachable.get(key);
		const answer = cached && cached.reachable !== null ? cached : await this.options.trees.reachability(url.url, fact.value.commit, signal);
		if (!signal.aborted) this.reachable.set(key, answer);
		return answer;
	}

	/** The unsafe counter read this package's files: keep what provenance needs, so they are not read again. */
	offer(pkg: LockedPackage, source: SourceFiles): void {
		if (!isRegistryPackage(pkg)) return;
		const key = cacheKeyOf(pkg).memory;
		if (!this.due(this.memory.get(key))) return;
		this.offered.set(key, packageInventory(source));
	}

	async fetch(pkgs: readonly LockedPackage[], progress: (done: number, total: number) => void, signal: AbortSignal): Promise<void> {
		const wanted = new Map<string, LockedPackage>();
		for (const pkg of pkgs) {
			if (!isRegistryPackage(pkg)) continue;
			const key = cacheKeyOf(pkg).memory;
			if (this.due(this.memory.get(key))) wanted.set(key, pkg);
		}
		const queue = [...wanted.values()];
		let done = 0;
		let next = 0;
		const worker = async (): Promise<void> => {
			for (let pkg = queue[next++]; pkg !== undefined && !signal.aborted; pkg = queue[next++]) {
				await this.settle(pkg, signal);
				progress(++done, queue.length);
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 4) }, worker));
	}

	/** One file of either side, for the diff view (the repository's blob is fetched now if needed). */
	async fileText(pkg: LockedPackage, path: string, side: FileSide, signal: AbortSignal): Promise<ProvenanceFileText> {
		const { cargoHome, registries, http, limits, trees } = this.options;
		if (side === 'published') return publishedFileText(pkg, path, { cargoHome, registries, http, ...(limits ? { limits } : {}) }, signal);
		const fact = this.peek(pkg);
		if (fact?.status !== 'known') return { error: fact === undefined ? 'provenance is not checked yet' : fact.reason };
		return repositoryFileText(fact.value, path, trees, signal);
	}

	/** Whether an entry is missing, may change, or has expired. */
	private due(entry: Entry | undefined): boolean {
		return entry === undefined || entry.refetch || (entry.until !== undefined && this.options.now().getTime() >= entry.until);
	}

	private async settle(pkg: LockedPackage, signal: AbortSignal): Promise<void> {
		const key = cacheKeyOf(pkg).memory;
		const entry = await this.inFlight.run(key, () =>
			this.load(pkg, signal).catch((error: unknown): Entry => {
				const reason = `internal error while checking the provenance of ${pkg.name} ${pkg.version}: ${String(error)}`;
				this.options.log.error(`provenance: ${reason}`);
				return { fact: unknown(reason), refetch: true };
			}),
		);
		if (!signal.aborted) {
			this.memory.set(key, entry);
			this.offered.delete(key);
		}
	}

	private async load(pkg: LockedPackage, signal: AbortSignal): Promise<Entry> {
		const { memory, disk } = cacheKeyOf(pkg);
		const cached = disk === undefined ? undefined : await this.cache.read(disk);
		const cachedUntil = cached && verdictExpiry(cached.facts, cached.checkedAt);
		if (cached && (cachedUntil === undefined || this.options.now().getTime() < cachedUntil)) return { fact: known(cached.facts, 'cache', cached.checkedAt), refetch: false, ...(cachedUntil !== undefined ? { until: cachedUntil } : {}) };
		const inventory = this.offered.get(memory) ?? (await this.read(pkg, signal));
		if ('reason' in inventory) return { fact: unknown(inventory.reason), refetch: inventory.transient };
		const verdict = await checkProvenance(inventory, this.options.trees, signal);
		if (signal.aborted) return { fact: unknown('cancelled'), refetch: true };
		const checkedAt = this.options.now().toISOString();
		const final = !TRANSIENT.has(verdict.facts.status) && !verdict.transient;
		if (final && disk !== undefined) await this.cache.write(disk, { facts: verdict.facts, checkedAt });
		const until = verdictExpiry(verdict.facts, checkedAt);
		return { fact: known(verdict.facts, verdict.facts.repository ?? 'package', checkedAt), refetch: !final, ...(until !== undefined ? { until } : {}) };
	}

	/** The package's files, read here because the unsafe counter did not (its answer was cached). */
	private async read(pkg: LockedPackage, signal: AbortSignal): Promise<PackageInventory | { reason: string; transient: boolean }> {
		const { cargoHome, registries, http, limits } = this.options;
		const lease = (this.options.budget ?? sharedByteBudget).lease();
		try {
			const located = await locateCrateSource(pkg, { cargoHome, registries, http, signal, lease, digestAll: true, ...(limits ? { limits } : {}) });
			if (located.status === 'unknown') return { reason: located.reason, transient: located.transient };
			return packageInventory(located);
		} finally {
			lease.release();
		}
	}
}

function reachabilityKey(facts: ProvenanceFacts): string {
	return `${facts.repository ?? ''} ${facts.commit ?? ''}`;
}

function isRegistryPackage(pkg: LockedPackage): boolean {
	return pkg.source.kind === 'crates-io' || pkg.source.kind === 'registry' || pkg.source.kind === 'sparse';
}

const notRegistry: Fact<ProvenanceFacts> = unknown('provenance is checked for registry packages only');
