/**
 * The facts service: what analyses lack is fetched here, one queue per kind of fact (index entries and crate
 * versions, crate sources and their unsafe counts, provenance, publishers), each fact landing on its own. A
 * package's release data is asked for first; when it lands its unsafe count is queued (downloads are checked
 * against the index checksum), then its provenance; publishers (crates.io's API, one request per second) have their
 * own queue, so they never hold back index data or unsafe counts. Listeners hear which roots gained facts, at most
 * every 250 ms. Facts that failed transiently are retried after a backoff, and good ones revalidated after their
 * time to live, by wanting the root's last analysis again. Cancelling (`cancelQueued`, the progress's cancel) drops
 * what is queued; the packages it was for are shown as unknown and not fetched again until `resumeCancelled`.
 */
import type { WorkspaceAnalysis } from '../engine/analyze';
import type { LockedPackage } from '../engine/lockfile/types';
import { cratesWithPublisherEntries, needsApiPublisher } from '../engine/audits/apiPublishers';
import type { ReleaseFactsSource } from '../sources/registry/releaseFactsSource';
import type { PackageSignalSource } from '../sources/types';
import type { ProvenanceFacts } from '../engine/provenance/types';
import type { UnsafeFacts } from '../engine/unsafe/types';
import { unknown, type Fact } from '../engine/facts';
import { FactQueue, Priority } from './factQueue';
import { LandingCoalescer } from './landingCoalescer';
import type { SessionTimers } from './sessionTimers';

/** The sources of one workspace root (they depend on its cargo configuration). */
export interface RootFactSources {
	release: ReleaseFactsSource;
	unsafe: PackageSignalSource<UnsafeFacts>;
	/** Undefined when provenance is skipped. */
	provenance: PackageSignalSource<ProvenanceFacts> | undefined;
	/** The host a package's registry requests go to, for the per-host bound. */
	hostOf(pkg: LockedPackage): string;
	/** Fetches the last analysis started outside the queues (audit sources from URLs), settled when they end; undefined when none runs. */
	backgroundFetches?(): Promise<void> | undefined;
}

export interface WantPriority {
	/** The lockfile index of the package under the pointer. */
	hovered?: number;
	/** Paths of the files open in the editor. */
	open?: readonly string[];
}

export interface FactsProgress {
	active: boolean;
	message: string;
}

export interface FactsServiceOptions {
	sourcesFor(root: string): RootFactSources;
	timers: SessionTimers;
	now: () => number;
	/** How often every root is wanted again, so good facts past their time to live are revalidated. */
	revalidateEveryMs: number;
}

/** Per host: index files are small and a workspace needs hundreds; downloads and counting weigh more. */
const INDEX_PER_HOST = 24;
const SOURCES_PER_HOST = 4;
const PROVENANCE_PER_HOST = 4;
const PUBLISHERS_PER_HOST = 1;

/** Why a fact is unknown after its fetching was cancelled. */
export const FETCH_CANCELLED = 'fetching cancelled (run Cargo Trust: Refresh Data to fetch again)';

export class FactsService {
	private readonly landing: LandingCoalescer;
	private readonly progressListeners = new Set<(state: FactsProgress) => void>();
	private readonly queues: { release: FactQueue; unsafe: FactQueue; provenance: FactQueue; publishers: FactQueue; audits: FactQueue };
	/** The last analysis and priority wanted per root: wanted again for retries and revalidation. */
	private readonly lastWant = new Map<string, { analysis: WorkspaceAnalysis; priority: WantPriority }>();
	private readonly idleWaiters = new Map<string, Set<() => void>>();
	private readonly retryTimers = new Map<string, { at: number; handle: unknown }>();
	/** Task keys (`root\0package`) whose fetching was cancelled: not queued again until `resumeCancelled`. */
	private readonly cancelled = new Set<string>();
	private readonly revalidateTimer: unknown;
	private progressTimer: unknown;
	private wasActive = false;

	constructor(private readonly options: FactsServiceOptions) {
		this.landing = new LandingCoalescer(options.timers, options.now);
		const settled = (root: string): void => this.settled(root);
		this.queues = {
			release: new FactQueue('registry data', INDEX_PER_HOST, settled),
			unsafe: new FactQueue('unsafe counts', SOURCES_PER_HOST, settled),
			provenance: new FactQueue('provenance', PROVENANCE_PER_HOST, settled),
			publishers: new FactQueue('publishers', PUBLISHERS_PER_HOST, settled),
			// One task per root that waits for its audit sources: they land through `land`, and count as work in progress.
			audits: new FactQueue('audit sources', Number.POSITIVE_INFINITY, settled),
		};
		this.revalidateTimer = options.timers.setInterval(() => {
			for (const { analysis, priority } of [...this.lastWant.values()]) this.want(analysis, priority);
		}, options.revalidateEveryMs);
	}

	onFactsLanded(listener: (roots: ReadonlySet<string>) => void): { dispose(): void } {
		return this.landing.listen(listener);
	}

	onProgress(listener: (state: FactsProgress) => void): { dispose(): void } {
		this.progressListeners.add(listener);
		return { dispose: () => void this.progressListeners.delete(listener) };
	}

	/** Tells the listeners (at the next flush) that `root`'s facts changed outside the queues. */
	land(root: string): void {
		this.landing.land(root);
	}

	/**
	 * Whether work is queued or running, or landed facts wait to be announced, for `root` (any root when absent):
	 * the server's status is quiescent only when this is false everywhere.
	 */
	busy(root?: string): boolean {
		const queued = Object.values(this.queues).some((queue) => (root === undefined ? queue.size : queue.pending(root)) > 0);
		return queued || this.landing.pending(root);
	}

	/** Queues every fact the analysis lacks, best priority first; never waits. */
	want(analysis: WorkspaceAnalysis, priority: WantPriority = {}): void {
		const { root } = analysis;
		this.lastWant.set(root, { analysis, priority });
		const sources = this.options.sourcesFor(root);
		// Provenance turned off for the root: what was queued for it (and the git it runs) stops.
		if (!sources.provenance) this.queues.provenance.cancelRoot(root, 'provenance was turned off');
		const levels = priorities(analysis, priority);
		const audits = analysis.audits.data.status === 'known' ? analysis.audits.data.store : undefined;
		const withEntries = audits ? cratesWithPublisherEntries(audits) : undefined;
		for (const [index, trust] of analysis.packages.entries()) {
			if (this.cancelled.has(`${root}\0${pkgKey(trust.pkg)}`)) continue;
			const level = levels[index]!;
			// Direct dependencies for the change-of-publisher check; any package a wildcard or trusted entry could vet, for the audit graph.
			const publisher = level <= Priority.direct || (audits !== undefined && needsApiPublisher(audits, trust.pkg, withEntries));
			if (sources.release.needsFetch(trust.pkg)) this.wantRelease(root, sources, trust.pkg, level, publisher);
			else this.afterRelease(root, sources, trust.pkg, level, publisher);
		}
		const background = sources.backgroundFetches?.();
		if (background) void this.queues.audits.enqueue(`${root}\0audits`, root, 'audits', Priority.direct, () => background);
		this.reportProgress();
	}

	/** Resolves when no work is queued or running for `root` (or when `signal` aborts). */
	idle(root: string, signal?: AbortSignal): Promise<void> {
		if (this.pending(root) === 0 || signal?.aborted) return Promise.resolve();
		return new Promise((resolve) => {
			let waiters = this.idleWaiters.get(root);
			if (!waiters) this.idleWaiters.set(root, (waiters = new Set()));
			const done = (): void => {
				waiters.delete(done);
				signal?.removeEventListener('abort', done);
				resolve();
			};
			waiters.add(done);
			signal?.addEventListener('abort', done, { once: true });
		});
	}

	/**
	 * Drops every root's queued fetches; running ones finish, and nothing is queued after them for their packages.
	 * Those packages are not wanted again until `resumeCancelled`; their roots are to be analysed again to show it.
	 * Audit sources are not cancelled here: they are fetched outside the queues, which only wait for them.
	 */
	cancelQueued(): void {
		const { release, unsafe, provenance, publishers } = this.queues;
		for (const root of this.lastWant.keys()) {
			for (const queue of [release, unsafe, provenance, publishers]) for (const key of queue.cancelRoot(root)) this.cancelled.add(key);
			this.land(root);
		}
		this.reportProgress();
	}

	/** "Fetching cancelled" as an unknown fact for a package whose fetching was cancelled and that has none. */
	cancelledFact<T>(root: string, pkg: LockedPackage): Fact<T> | undefined {
		return this.cancelled.has(`${root}\0${pkgKey(pkg)}`) ? unknown(FETCH_CANCELLED) : undefined;
	}

	/** Packages whose fetching was cancelled are wanted again ("Refresh Data"). */
	resumeCancelled(): void {
		this.cancelled.clear();
	}

	/** Cancels the root's queued and running work and forgets it. */
	closeRoot(root: string): void {
		this.lastWant.delete(root);
		for (const key of [...this.cancelled]) if (key.startsWith(`${root}\0`)) this.cancelled.delete(key);
		this.landing.forget(root);
		const retry = this.retryTimers.get(root);
		if (retry) this.options.timers.clearTimeout(retry.handle);
		this.retryTimers.delete(root);
		for (const queue of Object.values(this.queues)) queue.cancelRoot(root, 'the workspace was closed');
	}

	/** The root's last analysis and priority wanted, to want them again through new sources. */
	lastWanted(root: string): { analysis: WorkspaceAnalysis; priority: WantPriority } | undefined {
		return this.lastWant.get(root);
	}

	/** Every root wanted so far. */
	roots(): string[] {
		return [...this.lastWant.keys()];
	}

	/** Wants every root's last analysis again (after `expireAll`, or new data). */
	wantAgain(): void {
		for (const { analysis, priority } of [...this.lastWant.values()]) this.want(analysis, priority);
	}

	dispose(): void {
		for (const root of [...this.lastWant.keys()]) this.closeRoot(root);
		this.options.timers.clearInterval(this.revalidateTimer);
		if (this.progressTimer !== undefined) this.options.timers.clearTimeout(this.progressTimer);
		this.landing.dispose();
		this.progressListeners.clear();
	}

	private wantRelease(root: string, sources: RootFactSources, pkg: LockedPackage, level: number, publisher: boolean): Promise<void> {
		return this.queues.release.enqueue(`${root}\0${pkgKey(pkg)}`, root, sources.hostOf(pkg), level, async (signal) => {
			await sources.release.fetch([pkg], () => {}, signal);
			if (signal.aborted) return;
			this.land(root);
			this.scheduleRetry(root, sources);
			this.afterRelease(root, sources, pkg, level, publisher);
		});
	}

	/** Once release data is in: the unsafe count (then provenance), and the publisher when wanted. */
	private afterRelease(root: string, sources: RootFactSources, pkg: LockedPackage, level: number, publisher: boolean): void {
		if (this.cancelled.has(`${root}\0${pkgKey(pkg)}`)) return;
		if (sources.unsafe.peek(pkg) === undefined) {
			void this.queues.unsafe.enqueue(`${root}\0${pkgKey(pkg)}`, root, sources.hostOf(pkg), level, async (signal) => {
				await sources.unsafe.fetch([pkg], () => {}, signal);
				if (signal.aborted) return;
				this.land(root);
				this.wantProvenance(root, sources, pkg, level);
			});
		} else {
			this.wantProvenance(root, sources, pkg, level);
		}
		if (publisher && sources.release.needsPublisher(pkg)) void this.publisherTask(root, sources, pkg, level);
	}

	private wantProvenance(root: string, sources: RootFactSources, pkg: LockedPackage, level: number): void {
		const { provenance } = sources;
		if (!provenance || provenance.peek(pkg) !== undefined || this.cancelled.has(`${root}\0${pkgKey(pkg)}`)) return;
		void this.queues.provenance.enqueue(`${root}\0${pkgKey(pkg)}`, root, 'repositories', level, async (signal) => {
			await provenance.fetch([pkg], () => {}, signal);
			if (!signal.aborted) this.land(root);
		});
	}

	private publisherTask(root: string, sources: RootFactSources, pkg: LockedPackage, level: number): Promise<void> {
		return this.queues.publishers.enqueue(`${root}\0${pkgKey(pkg)}`, root, sources.hostOf(pkg), level, async (signal) => {
			if (await sources.release.fetchPublishers([pkg], signal)) this.land(root);
		});
	}

	/** A timer at the earliest retry of a transient failure, which wants the root's last analysis again. */
	private scheduleRetry(root: string, sources: RootFactSources): void {
		const at = sources.release.nextRetryAt();
		if (at === undefined) return;
		const existing = this.retryTimers.get(root);
		if (existing && existing.at <= at) return;
		if (existing) this.options.timers.clearTimeout(existing.handle);
		const handle = this.options.timers.setTimeout(
			() => {
				this.retryTimers.delete(root);
				const last = this.lastWant.get(root);
				if (last) this.want(last.analysis, last.priority);
			},
			Math.max(0, at - this.options.now()),
		);
		this.retryTimers.set(root, { at, handle });
	}

	private pending(root: string): number {
		return Object.values(this.queues).reduce((sum, queue) => sum + queue.pending(root), 0);
	}

	private settled(root: string): void {
		if (this.pending(root) === 0) for (const resolve of [...(this.idleWaiters.get(root) ?? [])]) resolve();
		this.reportProgress();
	}

	/** Progress at most every 250 ms while busy; at once when work starts or ends. */
	private reportProgress(): void {
		const active = Object.values(this.queues).some((queue) => queue.size > 0);
		if (active !== this.wasActive) {
			this.wasActive = active;
			if (this.progressTimer !== undefined) this.options.timers.clearTimeout(this.progressTimer);
			this.progressTimer = undefined;
			this.emitProgress();
			return;
		}
		if (!active || this.progressTimer !== undefined) return;
		this.progressTimer = this.options.timers.setTimeout(() => {
			this.progressTimer = undefined;
			this.emitProgress();
		}, 250);
	}

	private emitProgress(): void {
		const parts = Object.values(this.queues).flatMap((queue) => (queue.size > 0 ? [`${queue.name}: ${queue.size} left`] : []));
		const state = { active: parts.length > 0, message: parts.join(', ') };
		for (const listener of this.progressListeners) listener(state);
	}
}

function pkgKey(pkg: LockedPackage): string {
	return `${pkg.source.kind === 'path' ? 'path' : pkg.source.raw}|${pkg.name}|${pkg.version}`;
}

/** Each package's priority: hovered, a direct dependency of an open file, direct, or the rest. */
function priorities(analysis: WorkspaceAnalysis, priority: WantPriority): number[] {
	const levels = analysis.packages.map((trust): number => (trust.direct ? Priority.direct : Priority.rest));
	const open = new Set(priority.open ?? []);
	if (open.size > 0) {
		for (const manifest of analysis.manifests) {
			if (!open.has(manifest.path)) continue;
			for (const dep of manifest.deps) if (dep.lockIndex !== undefined) levels[dep.lockIndex] = Priority.open;
		}
	}
	if (priority.hovered !== undefined && priority.hovered in levels) levels[priority.hovered] = Priority.hovered;
	return levels;
}
