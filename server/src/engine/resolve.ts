/**
 * The workspace model: every member dependency resolved to the locked package it uses, each member's own locked
 * package, which locked packages are direct, and how each package is reached from each direct dependency (on
 * demand, in dependencyPaths.ts). Pure and close to linear: lockfile references are resolved to indexes once, up front.
 */
import { DependencyPaths, type TransitivePath } from './dependencyPaths';
import type { LockDependencyRef, LockedPackage, LockSource, Lockfile } from './lockfile/types';
import type { DependencySpec, Manifest, SourceKind } from './manifest/types';
import { satisfies } from './semver/cargoReq';
import { compareVersions, parseVersion } from './semver/version';
import type { Problem } from './text';

export interface WorkspaceMemberInput {
	/** Absolute, with POSIX separators. */
	manifestPath: string;
	manifest: Manifest;
}

/** Why a dependency has no locked package. */
export interface Unresolved {
	reason: 'no-lockfile' | 'not-locked';
	message: string;
}

export interface ResolvedDependency {
	spec: DependencySpec;
	/** The index of the locked package it resolves to. */
	lockIndex: number | undefined;
	/** Set exactly when `lockIndex` is undefined. */
	unresolved: Unresolved | undefined;
}

export interface ResolvedMember {
	manifestPath: string;
	/** The member's own `[[package]]` (a path package with its name and version); undefined for a virtual manifest. */
	packageIndex: number | undefined;
	/** In the order of `manifest.dependencies`. */
	dependencies: ResolvedDependency[];
}

export type { TransitivePath } from './dependencyPaths';

export interface WorkspaceResolution {
	/** In input order. */
	members: ResolvedMember[];
	/** By package index: the package's `dependencies` (and `replace`) resolved to package indexes. */
	lockDependencies: number[][];
	/** By package index: declared in some member's Cargo.toml and resolved to this package. */
	direct: boolean[];
	/**
	 * How packages are reached from the direct dependencies that are not members, without passing through a member
	 * (a member's dependencies show on its own manifest): shortest paths, on demand.
	 */
	paths: DependencyPaths;
	isDirect(packageIndex: number): boolean;
	/** Every such direct dependency the package is reachable from, with the shortest path; materialised on each call. */
	reachedFrom(packageIndex: number): TransitivePath[];
	/** The resolved dependencies of a member's manifest; empty for a path that is not a member. */
	dependenciesOf(manifestPath: string): ResolvedDependency[];
}

/** A problem in one of the workspace's files. */
export interface FileProblem {
	file: string;
	problem: Problem;
}

export interface ResolvedWorkspace {
	value: WorkspaceResolution;
	problems: FileProblem[];
}

const OUT_OF_DATE = 'Cargo.lock is out of date; run cargo update';

function sourceText(source: LockSource): string | undefined {
	return 'raw' in source ? source.raw : undefined;
}

function groupByName(packages: readonly LockedPackage[]): Map<string, number[]> {
	const byName = new Map<string, number[]>();
	for (const pkg of packages) {
		const indexes = byName.get(pkg.name);
		if (indexes) indexes.push(pkg.index);
		else byName.set(pkg.name, [pkg.index]);
	}
	return byName;
}

/** `"name"`, `"name version"` or `"name version (source)"` → the first package that fits. */
function resolveRef(ref: LockDependencyRef, byName: ReadonlyMap<string, number[]>, packages: readonly LockedPackage[]): number | undefined {
	return byName.get(ref.name)?.find((index) => {
		const pkg = packages[index]!;
		return (ref.version === undefined || pkg.version === ref.version) && (ref.source === undefined || sourceText(pkg.source) === ref.source);
	});
}

/** Like cargo's canonical URLs: no trailing slash or `.git`, and GitHub compared without case. */
function canonicalGitUrl(url: string): string {
	const trimmed = url.replace(/\/+$/, '').replace(/\.git$/, '');
	return /^[a-z+]+:\/\/github\.com\//i.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

function sourceMatches(spec: SourceKind, locked: LockSource): boolean {
	switch (spec.kind) {
		case 'git':
			return locked.kind === 'git' && canonicalGitUrl(locked.url) === canonicalGitUrl(spec.url);
		case 'path':
			return locked.kind === 'path';
		case 'registry':
			return spec.registry === undefined && spec.registryIndex === undefined ? locked.kind === 'crates-io' : locked.kind === 'registry' || locked.kind === 'sparse';
	}
}

/** Whether the spec and the package come from the same kind of place (a `[patch]` or `[replace]` may change that). */
function sameSourceKind(spec: SourceKind, locked: LockSource): boolean {
	switch (spec.kind) {
		case 'git':
			return locked.kind === 'git';
		case 'path':
			return locked.kind === 'path';
		case 'registry':
			return locked.kind === 'crates-io' || locked.kind === 'registry' || locked.kind === 'sparse';
	}
}

/** The newest of the candidates, as cargo would pick. */
function newest(candidates: readonly number[], packages: readonly LockedPackage[]): number | undefined {
	let best: number | undefined;
	for (const index of candidates) {
		if (best === undefined) {
			best = index;
			continue;
		}
		const a = parseVersion(packages[index]!.version);
		const b = parseVersion(packages[best]!.version);
		if (a && b && compareVersions(a, b) > 0) best = index;
	}
	return best;
}

/**
 * The candidate a dependency resolves to: one that satisfies the requirement and comes from the spec's source;
 * else one that satisfies it (a `[patch]` swapped a registry crate for a git or path one); else the only
 * candidate, when it comes from another kind of source (cargo already checked a patch or replace there).
 */
function pickCandidate(spec: DependencySpec, pool: readonly number[], packages: readonly LockedPackage[]): number | undefined {
	const fits = pool.filter((index) => spec.versionReq === undefined || satisfies(spec.versionReq, packages[index]!.version) !== false);
	const fromSource = fits.filter((index) => sourceMatches(spec.source, packages[index]!.source));
	if (fromSource.length > 0) return newest(fromSource, packages);
	if (fits.length > 0) return newest(fits, packages);
	const [only] = pool;
	return pool.length === 1 && !sameSourceKind(spec.source, packages[only!]!.source) ? only : undefined;
}

/** The member's own locked package: a path package with its name, preferably its version (cargo's default is 0.0.0). */
function memberPackage(manifest: Manifest, byName: ReadonlyMap<string, number[]>, packages: readonly LockedPackage[]): number | undefined {
	if (manifest.packageName === undefined) return undefined;
	const version = manifest.packageVersion ?? '0.0.0';
	const local = (byName.get(manifest.packageName) ?? []).filter((index) => packages[index]!.source.kind === 'path');
	return local.find((index) => packages[index]!.version === version) ?? (local.length === 1 ? local[0] : undefined);
}

export function resolveWorkspace(members: readonly WorkspaceMemberInput[], lockfile: Lockfile | undefined): ResolvedWorkspace {
	const problems: FileProblem[] = [];
	const packages = lockfile?.packages ?? [];
	const byName = groupByName(packages);
	const lockDependencies = packages.map((pkg) => {
		const refs = pkg.replace ? [...pkg.dependencies, pkg.replace] : pkg.dependencies;
		const indexes: number[] = [];
		for (const ref of refs) {
			const index = resolveRef(ref, byName, packages);
			if (index !== undefined) indexes.push(index);
		}
		return indexes;
	});
	const isMember = packages.map(() => false);
	const direct = packages.map(() => false);

	const resolvedMembers = members.map(({ manifestPath, manifest }): ResolvedMember => {
		const packageIndex = lockfile && memberPackage(manifest, byName, packages);
		if (packageIndex !== undefined) {
			isMember[packageIndex] = true;
		} else if (lockfile && manifest.packageName !== undefined) {
			const id = manifest.packageVersion === undefined ? manifest.packageName : `${manifest.packageName} ${manifest.packageVersion}`;
			problems.push({
				file: manifestPath,
				problem: { code: 'not-locked', severity: 'warning', message: `${id} is not in Cargo.lock (${OUT_OF_DATE})`, range: manifest.packageNameRange ?? { start: 0, end: 0 } },
			});
		}
		// The member's own dependency list tells apart several locked versions of one crate.
		const ownDependencies = packageIndex === undefined ? undefined : new Set(lockDependencies[packageIndex]);
		const dependencies = manifest.dependencies.map((spec): ResolvedDependency => {
			if (!lockfile) return { spec, lockIndex: undefined, unresolved: { reason: 'no-lockfile', message: 'there is no Cargo.lock' } };
			const named = byName.get(spec.crateName) ?? [];
			const own = ownDependencies ? named.filter((index) => ownDependencies.has(index)) : [];
			const lockIndex = pickCandidate(spec, own.length > 0 ? own : named, packages);
			if (lockIndex !== undefined) {
				direct[lockIndex] = true;
				return { spec, lockIndex, unresolved: undefined };
			}
			const message =
				named.length === 0 || spec.versionReq === undefined
					? `${spec.crateName} is not in Cargo.lock (${OUT_OF_DATE})`
					: `no locked version of ${spec.crateName} satisfies "${spec.versionReq}" (${OUT_OF_DATE})`;
			problems.push({ file: manifestPath, problem: { code: 'not-locked', severity: 'warning', message, range: spec.versionRange ?? spec.keyRange } });
			return { spec, lockIndex: undefined, unresolved: { reason: 'not-locked', message } };
		});
		return { manifestPath, packageIndex, dependencies };
	});

	const directs = packages.flatMap((pkg) => (direct[pkg.index] && !isMember[pkg.index] ? [pkg.index] : []));
	const paths = new DependencyPaths(directs, isMember, lockDependencies);
	const byManifest = new Map(resolvedMembers.map((member) => [member.manifestPath, member]));
	const value: WorkspaceResolution = {
		members: resolvedMembers,
		lockDependencies,
		direct,
		paths,
		isDirect: (packageIndex) => direct[packageIndex] ?? false,
		reachedFrom: (packageIndex) => paths.reachedFrom(packageIndex),
		dependenciesOf: (manifestPath) => byManifest.get(manifestPath)?.dependencies ?? [],
	};
	return { value, problems };
}
