/**
 * Parses a sparse index file: one JSON object per published version. A line that does not parse, or that lacks
 * what cargo requires, is skipped and reported; the other lines are still used. Pure.
 */

export interface IndexDependency {
	/** The name the dependent uses (the alias when renamed). */
	name: string;
	/** The real crate name when the dependency is renamed. */
	package: string | undefined;
	req: string;
	kind: 'normal' | 'build' | 'dev';
	optional: boolean;
	target: string | undefined;
	/** Another registry's index URL; undefined means the same registry. */
	registry: string | undefined;
}

export interface IndexVersion {
	name: string;
	vers: string;
	/** Hex SHA-256 of the .crate file, the same value as Cargo.lock's `checksum`. */
	cksum: string;
	yanked: boolean;
	/** Publish time (RFC 3339, UTC); undefined when the index has none for this version (older entries). */
	pubtime: string | undefined;
	rust_version: string | undefined;
	features: Record<string, string[]>;
	features2: Record<string, string[]> | undefined;
	links: string | undefined;
	deps: IndexDependency[];
	/** Index schema version; 1 when absent. */
	v: number;
}

export interface SkippedLine {
	/** 1-based line number in the file. */
	line: number;
	reason: string;
}

export interface ParsedIndexFile {
	versions: IndexVersion[];
	skipped: SkippedLine[];
}

/** The newest schema cargo understands; cargo ignores entries with a higher `v`, so do we. */
const MAX_SCHEMA_VERSION = 2;

export function parseIndexFile(text: string): ParsedIndexFile {
	const versions: IndexVersion[] = [];
	const skipped: SkippedLine[] = [];
	const lines = text.split('\n');
	for (const [index, raw] of lines.entries()) {
		const line = raw.trim();
		if (!line) continue;
		const parsed = parseLine(line);
		if (typeof parsed === 'string') skipped.push({ line: index + 1, reason: parsed });
		else versions.push(parsed);
	}
	return { versions, skipped };
}

/** One line, or the reason it is unusable. */
function parseLine(line: string): IndexVersion | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		return `not JSON: ${(error as Error).message}`;
	}
	if (!isRecord(value)) return 'not a JSON object';
	const { name, vers, cksum } = value;
	if (typeof name !== 'string' || !name) return 'missing `name`';
	if (typeof vers !== 'string' || !vers) return 'missing `vers`';
	if (typeof cksum !== 'string' || !/^[0-9a-fA-F]{64}$/.test(cksum)) return `\`cksum\` of ${vers} is not a SHA-256 hex string`;
	const v = value.v === undefined || value.v === null ? 1 : value.v;
	if (typeof v !== 'number' || !Number.isInteger(v)) return `\`v\` of ${vers} is not an integer`;
	if (v > MAX_SCHEMA_VERSION) return `schema version ${v} of ${vers} is newer than this reader understands`;
	const deps = Array.isArray(value.deps) ? value.deps : [];
	const parsedDeps: IndexDependency[] = [];
	for (const dep of deps) {
		const parsed = parseDependency(dep);
		if (typeof parsed === 'string') return `dependency of ${vers}: ${parsed}`;
		parsedDeps.push(parsed);
	}
	return {
		name,
		vers,
		cksum: cksum.toLowerCase(),
		yanked: value.yanked === true,
		pubtime: validPubtime(value.pubtime),
		rust_version: typeof value.rust_version === 'string' ? value.rust_version : undefined,
		features: featureMap(value.features),
		features2: isRecord(value.features2) ? featureMap(value.features2) : undefined,
		links: typeof value.links === 'string' ? value.links : undefined,
		deps: parsedDeps,
		v,
	};
}

function parseDependency(dep: unknown): IndexDependency | string {
	if (!isRecord(dep)) return 'not an object';
	if (typeof dep.name !== 'string' || typeof dep.req !== 'string') return 'missing `name` or `req`';
	const kind = dep.kind === 'build' || dep.kind === 'dev' ? dep.kind : 'normal';
	return {
		name: dep.name,
		package: typeof dep.package === 'string' ? dep.package : undefined,
		req: dep.req,
		kind,
		optional: dep.optional === true,
		target: typeof dep.target === 'string' ? dep.target : undefined,
		registry: typeof dep.registry === 'string' ? dep.registry : undefined,
	};
}

/**
 * Keeps a publish time only when it is a real instant. A malformed one is dropped rather than costing the whole
 * version: a version missing from the index would look far worse than one of unknown age.
 */
function validPubtime(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
	return Number.isNaN(Date.parse(value)) ? undefined : value;
}

function featureMap(value: unknown): Record<string, string[]> {
	const features: Record<string, string[]> = {};
	if (!isRecord(value)) return features;
	for (const [name, list] of Object.entries(value)) {
		// A JSON key named __proto__ would replace the object's prototype instead of adding a feature.
		if (Array.isArray(list) && name !== '__proto__') features[name] = list.filter((item): item is string => typeof item === 'string');
	}
	return features;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
