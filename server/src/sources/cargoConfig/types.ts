/**
 * The merged cargo configuration as cargo-trust needs it, every value with where it came from.
 * Types only; reading and merging live in readCargoConfig.ts and configTree.ts.
 */
import type { ConfigTable } from './configTree';

/** Where a value was defined: a config or credentials file, an environment variable, or nowhere (the merge root). */
export type ConfigOrigin = { kind: 'file'; path: string } | { kind: 'env'; variable: string } | { kind: 'builtin' };

export interface Setting<T> {
	value: T;
	origin: ConfigOrigin;
}

export interface ConfigNotice {
	/**
	 * `config-parse`: a file could not be read or parsed and was skipped; `config-untrusted`: a workspace file was
	 * ignored in restricted mode; `config-legacy`: both `config` and `config.toml` exist; `config-value`: a value
	 * has the wrong type or form and was ignored; `config-merge`: two files disagree on a key's type.
	 */
	code: 'config-parse' | 'config-untrusted' | 'config-legacy' | 'config-value' | 'config-merge';
	message: string;
	path?: string;
}

/** A `[source.NAME]` table. Paths are absolute, resolved the way cargo resolves config-relative paths. */
export interface SourceDefinition {
	name: string;
	registry?: Setting<string>;
	localRegistry?: Setting<string>;
	directory?: Setting<string>;
	git?: Setting<string>;
	replaceWith?: Setting<string>;
}

/** A `[registries.NAME]` table, or a registry known only from CARGO_REGISTRIES_<NAME>_INDEX. */
export interface RegistryDefinition {
	name: string;
	index?: Setting<string>;
	token?: Setting<string>;
	minPublishAge?: Setting<string>;
	protocol?: Setting<string>;
}

export interface CargoConfig {
	workspaceDir: string;
	cargoHome: string;
	/** Config files read, highest precedence first (the workspace's own before its ancestors, $CARGO_HOME last). */
	files: string[];
	notices: ConfigNotice[];
	/** Every key of the merged files and credentials (without environment overrides), for keys not typed below. */
	values: ConfigTable;
	net: { offline?: Setting<boolean>; retry?: Setting<number> };
	http: { proxy?: Setting<string>; cainfo?: Setting<string>; timeoutSeconds?: Setting<number> };
	/** The `[registry]` table: crates.io's token and the publish-age settings. */
	registry: { token?: Setting<string>; globalMinPublishAge?: Setting<string>; minPublishAge?: Setting<string> };
	registries: Map<string, RegistryDefinition>;
	sources: Map<string, SourceDefinition>;
	resolver: { incompatiblePublishAge?: Setting<string> };
}

export function describeOrigin(origin: ConfigOrigin): string {
	if (origin.kind === 'file') return origin.path;
	return origin.kind === 'env' ? `environment variable ${origin.variable}` : 'built-in default';
}
