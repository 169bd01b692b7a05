/**
 * The model of one Cargo.toml, in editor terms (offsets, not LSP positions).
 */
import type { TextRange } from '../text';

export type DependencyKind = 'normal' | 'dev' | 'build';

/** Which table a dependency was written in. */
export interface DependencyTable {
	kind: DependencyKind;
	/** The `cfg(...)` expression or target triple of a `[target.X.*]` table. */
	target?: string;
}

export type SourceKind =
	| { kind: 'registry'; /** `registry = "name"`; absent means crates.io. */ registry?: string; /** `registry-index = "url"`. */ registryIndex?: string }
	| { kind: 'git'; url: string; branch?: string; tag?: string; rev?: string }
	| { kind: 'path'; path: string };

/** One dependency entry as written in a manifest table. */
export interface DependencySpec {
	/** Key as written (the alias when `package = "..."` renames). */
	key: string;
	/** Crate name on the registry (equals `key` unless renamed). */
	crateName: string;
	table: DependencyTable;
	/** The version requirement after workspace inheritance, if any. */
	versionReq: string | undefined;
	source: SourceKind;
	/** `foo.workspace = true`: the spec was completed from the root's `[workspace.dependencies]`. */
	inheritsFromWorkspace: boolean;
	optional: boolean;
	/** The key as written, for hover and diagnostics. */
	keyRange: TextRange;
	/** The version string as written (only when written in this manifest), for edits. */
	versionRange: TextRange | undefined;
	/** The whole entry: `key = value`, or the `[dependencies.key]` table. */
	entryRange: TextRange;
}

/** `[patch.<source>]` entries and `[replace]` entries: they change what the lockfile holds, so we record them. */
export interface PatchSpec {
	/** `crates-io`, a registry name or a URL for `[patch]`; `replace` for `[replace]`. */
	target: string;
	/** For `[patch]`, the dependency as written; for `[replace]`, keyed by the package id spec (`"foo:0.1.0"`). */
	dependency: DependencySpec;
}

export interface WorkspaceSection {
	members: string[];
	exclude: string[];
	defaultMembers: string[];
	/** `[workspace.dependencies]`, used to resolve `workspace = true`. */
	dependencies: DependencySpec[];
	range: TextRange;
}

export interface Manifest {
	/** `[package] name`, absent in a virtual manifest. */
	packageName: string | undefined;
	packageVersion: string | undefined;
	/** `package.workspace = "../path"`: an explicit workspace root. */
	packageWorkspace: string | undefined;
	/** The `[package] name` value, for problems about the package itself. */
	packageNameRange?: TextRange;
	workspace: WorkspaceSection | undefined;
	/** Every dependency of every kind and target table, in file order. */
	dependencies: DependencySpec[];
	patches: PatchSpec[];
	/** `[workspace.package]` as plain values, so members' `version.workspace = true` (and the like) can be resolved. */
	workspacePackage?: Record<string, unknown>;
	/** cargo-vet's store directory, relative to the manifest: `[workspace.metadata.vet] store.path`, else `[package.metadata.vet]`'s. */
	vetStorePath?: string;
}
