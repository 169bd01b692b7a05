/**
 * The audit verdict of every locked package: a pure function of the store and the lockfile (plus the members'
 * manifests, which tell dev-dependencies apart). First-party (path) packages get none unless `audit-as-crates-io`.
 */
import type { Lockfile, LockedPackage } from '../lockfile/types';
import { AuditIndex, type VetResult } from './auditGraph';
import { requiredCriteriaByPackage, type MemberDeps } from './requirements';
import type { AuditStore, VetConfig } from './types';

/** The version cargo-vet names a locked package by, or undefined when it is first-party and not audited as crates.io's. */
export function vetVersionOf(config: VetConfig, pkg: LockedPackage): string | undefined {
	switch (pkg.source.kind) {
		case 'crates-io':
		case 'registry':
		case 'sparse':
			return pkg.version;
		case 'git':
			return pkg.source.commit ? `${pkg.version}@git:${pkg.source.commit}` : pkg.version;
		case 'path':
			return config.policy.get(pkg.name)?.auditAsCratesIo ? pkg.version : undefined;
		default:
			return undefined;
	}
}

export interface AuditStatuses {
	index: AuditIndex;
	/** By `LockedPackage.index`; absent for first-party packages. */
	verdicts: Map<number, VetResult>;
}

/** `members` (from the analysis' manifests) tell dev-dependencies apart; without them every edge counts as normal. */
export function auditStatuses(store: AuditStore, lockfile: Lockfile, members: readonly MemberDeps[] = [], index = new AuditIndex(store)): AuditStatuses {
	const verdicts = new Map<number, VetResult>();
	const required = requiredCriteriaByPackage(store.config, lockfile, members);
	for (const pkg of lockfile.packages) {
		const version = vetVersionOf(store.config, pkg);
		if (version === undefined) continue;
		verdicts.set(pkg.index, index.vet(pkg.name, version, required.get(pkg.index)!));
	}
	return { index, verdicts };
}
