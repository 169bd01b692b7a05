/**
 * Which criteria each locked package must be vetted for, as cargo-vet propagates them: a first-party (path) package
 * with `[policy.CRATE] criteria` asks that of its normal and build dependencies, a top-level one (nothing depends on
 * it) asks `default-criteria` (else `safe-to-deploy`), other first-party packages inherit from what depends on them;
 * every first-party package asks `dev-criteria` (default `safe-to-run`) of its dev-dependencies, and a third-party
 * package passes what it needs on to its dependencies. A package reached several ways needs the union.
 * A lockfile lists a member's dev-dependencies among its dependencies without saying so, so members' edges come from
 * their manifests; cargo does not lock dev-dependencies of other packages, so their locked dependencies are normal.
 * NOTE: `dependency-criteria` is not applied yet (read, but every dependency inherits the parent's criteria).
 */
import type { DependencyKind } from '../manifest/types';
import type { Lockfile, LockedPackage } from '../lockfile/types';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN } from './criteria';
import type { VetConfig } from './types';

export interface MemberDeps {
	/** The member's own `[[package]]`, when locked. */
	lockIndex: number | undefined;
	deps: readonly { kind: DependencyKind; lockIndex: number | undefined }[];
}

function resolver(lockfile: Lockfile): (ref: { name: string; version: string | undefined }) => LockedPackage | undefined {
	const byName = new Map<string, LockedPackage[]>();
	for (const pkg of lockfile.packages) {
		const list = byName.get(pkg.name);
		if (list) list.push(pkg);
		else byName.set(pkg.name, [pkg]);
	}
	return (ref) => {
		const candidates = byName.get(ref.name) ?? [];
		return ref.version === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((pkg) => pkg.version === ref.version);
	};
}

function policyOf(config: VetConfig, pkg: LockedPackage) {
	return config.policy.get(`${pkg.name}:${pkg.version}`) ?? config.policy.get(pkg.name);
}

export function requiredCriteriaByPackage(config: VetConfig, lockfile: Lockfile, members: readonly MemberDeps[]): Map<number, string[]> {
	const resolve = resolver(lockfile);
	const memberDeps = new Map<number, MemberDeps['deps']>();
	for (const member of members) if (member.lockIndex !== undefined) memberDeps.set(member.lockIndex, member.deps);
	const edges = (pkg: LockedPackage): { index: number; dev: boolean }[] => {
		const deps = memberDeps.get(pkg.index);
		if (deps) return deps.filter((dep) => dep.lockIndex !== undefined).map((dep) => ({ index: dep.lockIndex!, dev: dep.kind === 'dev' }));
		return pkg.dependencies.map((ref) => resolve(ref)?.index).filter((found): found is number => found !== undefined).map((index) => ({ index, dev: false }));
	};
	const required = new Map<number, Set<string>>();
	const queue: number[] = [];
	const add = (index: number, criteria: readonly string[], pinned = false): void => {
		const pkg = lockfile.packages[index];
		// A first-party package with its own `criteria` keeps it, whatever depends on it.
		if (!pkg || (!pinned && pkg.source.kind === 'path' && policyOf(config, pkg)?.criteria)) return;
		let set = required.get(index);
		if (!set) required.set(index, (set = new Set()));
		const before = set.size;
		for (const name of criteria) set.add(name);
		if (set.size > before) queue.push(index);
	};
	const dependedOn = new Set<number>();
	for (const pkg of lockfile.packages) for (const edge of edges(pkg)) if (edge.index !== pkg.index) dependedOn.add(edge.index);
	// Roots: first-party packages with their own criteria, and top-level ones (nothing depends on them) with the default.
	for (const pkg of lockfile.packages) {
		if (pkg.source.kind !== 'path') continue;
		const own = policyOf(config, pkg)?.criteria;
		if (own) add(pkg.index, own, true);
		else if (!dependedOn.has(pkg.index)) add(pkg.index, config.defaultCriteria ?? [SAFE_TO_DEPLOY]);
	}
	// Dependencies of a virtual root or an unlocked member still count, with the default.
	for (const member of members) {
		if (member.lockIndex !== undefined) continue;
		for (const dep of member.deps) if (dep.lockIndex !== undefined) add(dep.lockIndex, dep.kind === 'dev' ? [SAFE_TO_RUN] : config.defaultCriteria ?? [SAFE_TO_DEPLOY]);
	}
	while (queue.length) {
		const pkg = lockfile.packages[queue.pop()!]!;
		const criteria = [...required.get(pkg.index)!];
		const dev = pkg.source.kind === 'path' ? policyOf(config, pkg)?.devCriteria ?? [SAFE_TO_RUN] : criteria;
		for (const edge of edges(pkg)) add(edge.index, edge.dev ? dev : criteria);
	}
	const result = new Map<number, string[]>();
	for (const pkg of lockfile.packages) {
		const own = policyOf(config, pkg)?.criteria;
		const reached = required.get(pkg.index);
		// A third-party package's own `[policy.X] criteria` wins; one nothing reaches (a cycle of first-party packages) needs the default.
		result.set(pkg.index, own ?? (reached ? [...reached].sort() : config.defaultCriteria ?? [SAFE_TO_DEPLOY]));
	}
	return result;
}

/** The members of an analysis, in the shape above: each manifest's package, located in the lockfile. */
export function membersOf(manifests: readonly { manifest: { packageName: string | undefined }; deps: readonly { spec: { table: { kind: DependencyKind } }; lockIndex: number | undefined }[] }[], lockfile: Lockfile): MemberDeps[] {
	// The first path package of each name, as a search from the start would find it, without one per member.
	const pathPackages = new Map<string, number>();
	for (const pkg of lockfile.packages) if (pkg.source.kind === 'path' && !pathPackages.has(pkg.name)) pathPackages.set(pkg.name, pkg.index);
	return manifests.map(({ manifest, deps }) => ({
		lockIndex: manifest.packageName === undefined ? undefined : pathPackages.get(manifest.packageName),
		deps: deps.map((dep) => ({ kind: dep.spec.table.kind, lockIndex: dep.lockIndex })),
	}));
}
