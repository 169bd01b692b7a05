/**
 * The interface every per-package signal source implements, so the session can ask all of them the same way:
 * answer from memory now (`peek`), fetch what is missing in the background (`fetch`), never throw.
 */
import type { Fact } from '../engine/facts';
import type { LockedPackage } from '../engine/lockfile/types';

export interface PackageSignalSource<T> {
	/** What is known now, from memory only; undefined when nothing has been fetched for the package yet. */
	peek(pkg: LockedPackage): Fact<T> | undefined;
	/**
	 * Fetches (or computes) what is missing for these packages, reporting progress; failures become `unknown` facts
	 * with the reason. Resolves when done or cancelled; never rejects.
	 */
	fetch(pkgs: readonly LockedPackage[], progress: (done: number, total: number) => void, signal: AbortSignal): Promise<void>;
}
