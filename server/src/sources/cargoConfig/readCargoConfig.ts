/**
 * Reads cargo's configuration the way cargo does: every `.cargo/config[.toml]` from the workspace up to the
 * root, then $CARGO_HOME's, merged with cargo's precedence; the credentials file over them; CARGO_* environment
 * variables over everything. In an untrusted workspace the workspace's own files are skipped and a notice says
 * so. A broken file is a notice, never an exception. Reads files only; no network.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { cargoHome, type Environment } from '../environment';
import { type ConfigTable, type ConfigValue, emptyTable, fromToml, lookup, mergeInto } from './configTree';
import { configFilePath, findConfigFiles } from './configFiles';
import { envOnlyRegistryNames, envVariable } from './envKeys';
import { type CargoConfig, type ConfigNotice, describeOrigin, type RegistryDefinition, type Setting, type SourceDefinition } from './types';

export interface ReadCargoConfigOptions {
	/** False in a VS Code workspace that is not trusted (restricted mode). */
	trusted: boolean;
	/** Files at or below this directory belong to the workspace and are skipped when untrusted; default `workspaceDir`. */
	workspaceRoot?: string;
}

export function readCargoConfig(workspaceDir: string, environment: Environment, options: ReadCargoConfigOptions): CargoConfig {
	const notices: ConfigNotice[] = [];
	const home = resolve(cargoHome(environment));
	const root = emptyTable({ kind: 'builtin' });
	const files: string[] = [];
	const untrustedRoot = resolve(options.workspaceRoot ?? workspaceDir);
	for (const file of findConfigFiles(workspaceDir, home, notices)) {
		if (!options.trusted && !file.isHome && isWithin(dirname(file.dir), untrustedRoot)) {
			notices.push({
				code: 'config-untrusted',
				message: `ignored ${file.path}: the workspace is not trusted (restricted mode), so its cargo configuration is not read`,
				path: file.path,
			});
			continue;
		}
		const table = loadToml(file.path, notices);
		if (!table) continue;
		files.push(file.path);
		mergeInto(root, table, false, notices);
	}
	const credentials = configFilePath(home, 'credentials', notices);
	const credentialsTable = credentials ? loadToml(credentials, notices) : undefined;
	if (credentialsTable) {
		moveLegacyToken(credentialsTable);
		mergeInto(root, credentialsTable, true, notices);
	}
	return new Extractor(root, environment.env, resolve(workspaceDir), notices).config(home, files);
}

function loadToml(path: string, notices: ConfigNotice[]): ConfigTable | undefined {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		notices.push({ code: 'config-parse', message: `cannot read ${path}: ${(error as Error).message}; skipped`, path });
		return undefined;
	}
	let value: unknown;
	try {
		value = getStaticTOMLValue(parseTOML(text));
	} catch (error) {
		const where = error as { lineNumber?: number; column?: number; message?: string };
		const position = where.lineNumber !== undefined ? `:${where.lineNumber}:${where.column ?? 0}` : '';
		notices.push({ code: 'config-parse', message: `cannot parse ${path}${position}: ${where.message ?? String(error)}; skipped`, path });
		return undefined;
	}
	const table = fromToml(value, { kind: 'file', path }, '', notices);
	return table?.kind === 'table' ? table : undefined;
}

/** The old credentials layout had a top-level `token` for crates.io; cargo reads it as `registry.token`. */
function moveLegacyToken(table: ConfigTable): void {
	const token = table.entries.get('token');
	if (!token) return;
	table.entries.delete('token');
	if (!table.entries.has('registry')) table.entries.set('registry', { kind: 'table', entries: new Map([['token', token]]), origin: token.origin });
}

function isWithin(path: string, root: string): boolean {
	const rel = relative(root, path);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Turns the merged tree into typed settings, applying the environment overrides key by key. */
class Extractor {
	constructor(
		private readonly root: ConfigTable,
		private readonly env: Readonly<Record<string, string | undefined>>,
		private readonly workspaceDir: string,
		private readonly notices: ConfigNotice[],
	) {}

	config(home: string, files: string[]): CargoConfig {
		const timeout = this.integer(['http', 'timeout']) ?? this.legacyTimeout();
		return {
			workspaceDir: this.workspaceDir,
			cargoHome: home,
			files,
			notices: this.notices,
			values: this.root,
			net: compact({ offline: this.boolean(['net', 'offline']), retry: this.integer(['net', 'retry']) }),
			http: compact({ proxy: this.string(['http', 'proxy']), cainfo: this.path(['http', 'cainfo']), timeoutSeconds: timeout }),
			registry: compact({
				token: this.string(['registry', 'token']),
				globalMinPublishAge: this.string(['registry', 'global-min-publish-age']),
				minPublishAge: this.string(['registry', 'min-publish-age']),
			}),
			registries: this.registries(),
			sources: this.sources(),
			resolver: compact({ incompatiblePublishAge: this.string(['resolver', 'incompatible-publish-age']) }),
		};
	}

	private registries(): Map<string, RegistryDefinition> {
		const names = new Set(this.tableKeys(['registries']));
		// crates.io takes `registries.crates-io.*` settings (protocol, min-publish-age) without a table of its own.
		names.add('crates-io');
		for (const name of envOnlyRegistryNames(this.env, names)) names.add(name);
		const registries = new Map<string, RegistryDefinition>();
		for (const name of [...names].sort()) {
			const key = (field: string): string[] => ['registries', name, field];
			const definition: RegistryDefinition = {
				name,
				...compact({
					index: this.string(key('index')),
					token: this.string(key('token')),
					minPublishAge: this.string(key('min-publish-age')),
					protocol: this.string(key('protocol')),
				}),
			};
			if (Object.keys(definition).length > 1) registries.set(name, definition);
		}
		return registries;
	}

	private sources(): Map<string, SourceDefinition> {
		const sources = new Map<string, SourceDefinition>();
		for (const name of this.tableKeys(['source'])) {
			const key = (field: string): string[] => ['source', name, field];
			sources.set(name, {
				name,
				...compact({
					registry: this.string(key('registry'), false),
					localRegistry: this.path(key('local-registry'), false),
					directory: this.path(key('directory'), false),
					git: this.string(key('git'), false),
					replaceWith: this.string(key('replace-with'), false),
				}),
			});
		}
		return sources;
	}

	private tableKeys(path: readonly string[]): string[] {
		const table = lookup(this.root, path);
		if (!table) return [];
		if (table.kind !== 'table') {
			this.wrongType(path, table, 'a table');
			return [];
		}
		const names: string[] = [];
		for (const [name, value] of table.entries) {
			if (value.kind === 'table') names.push(name);
			else this.wrongType([...path, name], value, 'a table');
		}
		return names;
	}

	/**
	 * A string setting: the environment variable when set, else the merged file value. `source.*` keys are read from
	 * files only; cargo's environment form of them cannot spell source names with `-` or `_` reliably.
	 */
	private string(path: readonly string[], fromEnv = true): Setting<string> | undefined {
		const variable = envVariable(path);
		const fromEnvironment = fromEnv ? this.env[variable] : undefined;
		if (fromEnvironment !== undefined) return { value: fromEnvironment, origin: { kind: 'env', variable } };
		const value = lookup(this.root, path);
		if (!value) return undefined;
		if (value.kind === 'scalar' && typeof value.value === 'string') return { value: value.value, origin: value.origin };
		return this.wrongType(path, value, 'a string');
	}

	/** A path setting, made absolute against the directory holding the `.cargo` dir (or the workspace, for the environment). */
	private path(path: readonly string[], fromEnv = true): Setting<string> | undefined {
		const setting = this.string(path, fromEnv);
		if (!setting) return undefined;
		const base = setting.origin.kind === 'file' ? dirname(dirname(setting.origin.path)) : this.workspaceDir;
		return { value: resolve(base, setting.value), origin: setting.origin };
	}

	private boolean(path: readonly string[]): Setting<boolean> | undefined {
		const variable = envVariable(path);
		const raw = this.env[variable];
		if (raw !== undefined) {
			if (raw === 'true' || raw === 'false') return { value: raw === 'true', origin: { kind: 'env', variable } };
			this.notices.push({ code: 'config-value', message: `${variable}=${raw} is not \`true\` or \`false\`; ignored` });
		}
		const value = lookup(this.root, path);
		if (!value) return undefined;
		if (value.kind === 'scalar' && typeof value.value === 'boolean') return { value: value.value, origin: value.origin };
		return this.wrongType(path, value, 'a boolean');
	}

	private integer(path: readonly string[]): Setting<number> | undefined {
		const variable = envVariable(path);
		const raw = this.env[variable];
		if (raw !== undefined) {
			if (/^\d+$/.test(raw.trim())) return { value: Number(raw.trim()), origin: { kind: 'env', variable } };
			this.notices.push({ code: 'config-value', message: `${variable}=${raw} is not a non-negative integer; ignored` });
		}
		const value = lookup(this.root, path);
		if (!value) return undefined;
		if (value.kind === 'scalar' && typeof value.value === 'number' && Number.isInteger(value.value) && value.value >= 0) {
			return { value: value.value, origin: value.origin };
		}
		return this.wrongType(path, value, 'a non-negative integer');
	}

	/** Cargo still honours the pre-config HTTP_TIMEOUT variable when `http.timeout` is set nowhere. */
	private legacyTimeout(): Setting<number> | undefined {
		const raw = this.env.HTTP_TIMEOUT?.trim();
		return raw && /^\d+$/.test(raw) ? { value: Number(raw), origin: { kind: 'env', variable: 'HTTP_TIMEOUT' } } : undefined;
	}

	private wrongType(path: readonly string[], value: ConfigValue, expected: string): undefined {
		const origin = value.origin;
		this.notices.push({
			code: 'config-value',
			message: `\`${path.join('.')}\` should be ${expected} (in ${describeOrigin(origin)}); ignored`,
			...(origin.kind === 'file' ? { path: origin.path } : {}),
		});
		return undefined;
	}
}

/** Drops undefined members, so a setting found nowhere is an absent key (tidier when the CLI prints the config). */
function compact<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
	return result as { [K in keyof T]?: Exclude<T[K], undefined> };
}
