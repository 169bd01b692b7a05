/**
 * Where cargo would really fetch a registry's packages from: the lockfile's source (or a registry name) after
 * `[source]` replacement, following `replace-with` chains and refusing cycles as cargo does; then the token that
 * belongs to the resulting registry. Pure: reads only the merged config, touches neither disk nor network.
 */
import { type CargoConfig, describeOrigin, type Setting } from './types';

export const CRATES_IO_GIT_INDEX = 'https://github.com/rust-lang/crates.io-index';
export const CRATES_IO_SPARSE_INDEX = 'https://index.crates.io/';

export type ResolvedRegistry =
	| { kind: 'sparse'; indexUrl: string; name: string | undefined; token?: string; via: string[] }
	| { kind: 'directory'; path: string; via: string[] }
	| { kind: 'local-registry'; path: string; via: string[] }
	| { kind: 'git-index'; url: string; name: string | undefined; reason: 'unsupported'; detail: string; via: string[] }
	| { kind: 'error'; reason: 'unsupported' | 'config'; detail: string };

type SourceId =
	| { kind: 'registry'; url: string }
	| { kind: 'sparse'; url: string }
	| { kind: 'directory'; path: string }
	| { kind: 'local-registry'; path: string }
	| { kind: 'git'; url: string };

interface SourceEntry {
	id: SourceId;
	replaceWith?: Setting<string>;
}

/**
 * `sourceIdOrName`: a Cargo.lock source (`registry+URL`, `sparse+URL`), `crates-io`, or a `[registries]` name.
 * `via` lists the replacement sources followed, in order (empty when nothing is replaced).
 */
export function resolveRegistry(config: CargoConfig, sourceIdOrName: string): ResolvedRegistry {
	const start = parseReference(config, sourceIdOrName);
	if ('error' in start) return { kind: 'error', reason: 'config', detail: start.error };
	const table = sourceTable(config);
	if ('error' in table) return { kind: 'error', reason: 'config', detail: table.error };
	const startName = nameOfSource(table.entries, start.id);
	if (startName === undefined) return describe(config, start.id, []);
	const via: string[] = [];
	const seen = new Set([startName]);
	let name = startName;
	for (;;) {
		const entry = table.entries.get(name);
		if (!entry) {
			// cargo also lets `replace-with` name a `[registries]` entry.
			const index = config.registries.get(name)?.index;
			if (index) return describe(config, registryIndexId(index.value), via);
			return { kind: 'error', reason: 'config', detail: `could not find a configured source with the name \`${name}\` when attempting to lookup \`${startName}\`` };
		}
		if (!entry.replaceWith) return describe(config, entry.id, via);
		name = entry.replaceWith.value;
		via.push(name);
		if (seen.has(name)) {
			return { kind: 'error', reason: 'config', detail: `detected a cycle of \`replace-with\` sources: ${[startName, ...via].join(' → ')} (configuration in ${describeOrigin(entry.replaceWith.origin)})` };
		}
		seen.add(name);
	}
}

/** The registry a lockfile source belongs to before any replacement (`crates-io`, or its `[registries]` name). */
export function registryNameFor(config: CargoConfig, sourceIdOrName: string): string | undefined {
	const start = parseReference(config, sourceIdOrName);
	if ('error' in start) return undefined;
	if (isCratesIo(start.id)) return 'crates-io';
	return start.id.kind === 'registry' || start.id.kind === 'sparse' ? registryNameForUrl(config, start.id) : undefined;
}

/** Cargo's comparison form of a URL: no trailing slash, no `.git`, GitHub paths lowercased over https. */
export function canonicalUrl(raw: string): string {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return raw.replace(/\/+$/, '');
	}
	if (url.hostname === 'github.com') {
		url.protocol = 'https:';
		url.pathname = url.pathname.toLowerCase();
	}
	let path = url.pathname.replace(/\/$/, '');
	if (path.endsWith('.git')) path = path.slice(0, -4);
	url.pathname = path;
	url.username = '';
	url.password = '';
	return url.href.replace(/\/$/, '');
}

function parseReference(config: CargoConfig, reference: string): { id: SourceId } | { error: string } {
	if (reference === 'crates-io') return { id: { kind: 'registry', url: CRATES_IO_GIT_INDEX } };
	if (reference.startsWith('registry+')) return { id: { kind: 'registry', url: reference.slice('registry+'.length) } };
	if (reference.startsWith('sparse+')) return { id: { kind: 'sparse', url: reference.slice('sparse+'.length) } };
	const index = config.registries.get(reference)?.index;
	if (index) return { id: registryIndexId(index.value) };
	return { error: `registry index was not found in any configuration: \`${reference}\`` };
}

function registryIndexId(index: string): SourceId {
	return index.startsWith('sparse+') ? { kind: 'sparse', url: index.slice('sparse+'.length) } : { kind: 'registry', url: index.replace(/^registry\+/, '') };
}

function sourceTable(config: CargoConfig): { entries: Map<string, SourceEntry> } | { error: string } {
	const entries = new Map<string, SourceEntry>([['crates-io', { id: { kind: 'registry', url: CRATES_IO_GIT_INDEX } }]]);
	for (const [name, definition] of config.sources) {
		const locations: SourceId[] = [];
		if (definition.registry) locations.push(registryIndexId(definition.registry.value));
		if (definition.localRegistry) locations.push({ kind: 'local-registry', path: definition.localRegistry.value });
		if (definition.directory) locations.push({ kind: 'directory', path: definition.directory.value });
		if (definition.git) locations.push({ kind: 'git', url: definition.git.value });
		// `[source.crates-io]` may carry only `replace-with`; it still means crates.io.
		if (name === 'crates-io' && locations.length === 0) locations.push({ kind: 'registry', url: CRATES_IO_GIT_INDEX });
		const [id, ...extra] = locations;
		if (!id) return { error: `no source location specified for \`source.${name}\`, need \`registry\`, \`local-registry\`, \`directory\`, or \`git\` defined` };
		if (extra.length > 0) return { error: `more than one source location specified for \`source.${name}\`` };
		entries.set(name, { id, ...(definition.replaceWith ? { replaceWith: definition.replaceWith } : {}) });
	}
	return { entries };
}

function nameOfSource(entries: Map<string, SourceEntry>, id: SourceId): string | undefined {
	if (isCratesIo(id)) return 'crates-io';
	for (const [name, entry] of entries) if (sameSource(entry.id, id)) return name;
	return undefined;
}

function describe(config: CargoConfig, id: SourceId, via: string[]): ResolvedRegistry {
	if (id.kind === 'directory') return { kind: 'directory', path: id.path, via };
	if (id.kind === 'local-registry') return { kind: 'local-registry', path: id.path, via };
	if (id.kind === 'git') {
		return { kind: 'error', reason: 'unsupported', detail: `source replacement by a git repository (${id.url}) is not supported; cargo-trust reads registries only` };
	}
	if (isCratesIo(id)) {
		const protocol = config.registries.get('crates-io')?.protocol?.value ?? 'sparse';
		if (protocol === 'git') {
			return { kind: 'git-index', url: CRATES_IO_GIT_INDEX, name: 'crates-io', reason: 'unsupported', detail: 'registries.crates-io.protocol is `git`; cargo-trust reads only sparse indexes', via };
		}
		const token = config.registry.token?.value;
		return { kind: 'sparse', indexUrl: CRATES_IO_SPARSE_INDEX, name: 'crates-io', ...(token ? { token } : {}), via };
	}
	const name = registryNameForUrl(config, id);
	if (id.kind === 'registry') {
		return { kind: 'git-index', url: id.url, name, reason: 'unsupported', detail: `${id.url} is a git-protocol registry index; cargo-trust reads only sparse (sparse+https://) registries`, via };
	}
	if (!id.url.endsWith('/')) return { kind: 'error', reason: 'config', detail: `sparse registry url must end in a slash \`/\`: sparse+${id.url}` };
	const token = name ? config.registries.get(name)?.token?.value : undefined;
	return { kind: 'sparse', indexUrl: id.url, name, ...(token ? { token } : {}), via };
}

/** As cargo: registries whose index comes from the environment are preferred over those from files; two matches is ambiguous. */
function registryNameForUrl(config: CargoConfig, id: SourceId): string | undefined {
	const matches = [...config.registries.values()].filter((registry) => registry.index && sameSource(registryIndexId(registry.index.value), id));
	const fromEnv = matches.filter((registry) => registry.index?.origin.kind === 'env');
	const chosen = fromEnv.length > 0 ? fromEnv : matches;
	return chosen.length === 1 ? chosen[0]?.name : undefined;
}

function isCratesIo(id: SourceId): boolean {
	if (id.kind === 'registry') return canonicalUrl(id.url) === canonicalUrl(CRATES_IO_GIT_INDEX);
	return id.kind === 'sparse' && canonicalUrl(id.url) === canonicalUrl(CRATES_IO_SPARSE_INDEX);
}

function sameSource(a: SourceId, b: SourceId): boolean {
	if (a.kind !== b.kind) return false;
	if ('path' in a && 'path' in b) return a.path === b.path;
	return 'url' in a && 'url' in b && canonicalUrl(a.url) === canonicalUrl(b.url);
}
