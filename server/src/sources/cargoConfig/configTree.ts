/**
 * Cargo's configuration values with provenance, and cargo's rules for merging two files: tables merge key by
 * key, the higher-precedence scalar wins, arrays are concatenated with higher-precedence items last (except the
 * few program-path arrays cargo replaces whole). Pure: no file access.
 */
import { type ConfigNotice, type ConfigOrigin, describeOrigin } from './types';

export type ConfigValue =
	| { kind: 'table'; entries: Map<string, ConfigValue>; origin: ConfigOrigin }
	| { kind: 'array'; items: ConfigValue[]; origin: ConfigOrigin }
	| { kind: 'scalar'; value: string | number | boolean; origin: ConfigOrigin };

export type ConfigTable = Extract<ConfigValue, { kind: 'table' }>;

/** Arrays cargo does not merge: a program and its arguments only make sense whole. */
const NON_MERGEABLE_ARRAYS = [/^credential-alias\.[^.]+$/, /^doc\.browser$/, /^host\.runner$/, /^registries\.[^.]+\.credential-provider$/, /^registry\.credential-provider$/, /^target\.[^.]+\.runner$/];

export function emptyTable(origin: ConfigOrigin): ConfigTable {
	return { kind: 'table', entries: new Map(), origin };
}

/** Converts a parsed TOML document; values cargo rejects (dates) are reported and left out. */
export function fromToml(value: unknown, origin: ConfigOrigin, key: string, notices: ConfigNotice[]): ConfigValue | undefined {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, origin };
	if (Array.isArray(value)) {
		const items = value.map((item, index) => fromToml(item, origin, `${key}[${index}]`, notices)).filter((item) => item !== undefined);
		return { kind: 'array', items, origin };
	}
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		const table = emptyTable(origin);
		for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
			const converted = fromToml(child, origin, key ? `${key}.${name}` : name, notices);
			if (converted) table.entries.set(name, converted);
		}
		return table;
	}
	notices.push({ code: 'config-value', message: `\`${key}\` has a type cargo does not accept in configuration; ignored`, ...(origin.kind === 'file' ? { path: origin.path } : {}) });
	return undefined;
}

/**
 * Merges `incoming` into `target`. With `incomingWins` false (files, walked from the deepest directory up) the
 * value already there has precedence; with true (the credentials file) the incoming one does.
 */
export function mergeInto(target: ConfigTable, incoming: ConfigTable, incomingWins: boolean, notices: ConfigNotice[], prefix = ''): void {
	for (const [name, value] of incoming.entries) {
		const key = prefix ? `${prefix}.${name}` : name;
		const existing = target.entries.get(name);
		if (!existing) {
			target.entries.set(name, value);
			continue;
		}
		if (existing.kind === 'table' && value.kind === 'table') {
			mergeInto(existing, value, incomingWins, notices, key);
		} else if (existing.kind === 'array' && value.kind === 'array') {
			if (NON_MERGEABLE_ARRAYS.some((pattern) => pattern.test(key))) {
				if (incomingWins) target.entries.set(name, value);
			} else {
				const [lower, higher] = incomingWins ? [existing, value] : [value, existing];
				target.entries.set(name, { kind: 'array', items: [...lower.items, ...higher.items], origin: higher.origin });
			}
		} else if (existing.kind === 'scalar' && value.kind === 'scalar') {
			if (incomingWins) target.entries.set(name, value);
		} else {
			notices.push({
				code: 'config-merge',
				message: `\`${key}\` is a ${describe(existing)} in ${describeOrigin(existing.origin)} but a ${describe(value)} in ${describeOrigin(value.origin)}; the ${incomingWins ? 'latter' : 'former'} is used`,
			});
			if (incomingWins) target.entries.set(name, value);
		}
	}
}

/** The value at a dotted path such as `['registries', 'my-reg', 'index']`. */
export function lookup(root: ConfigTable, path: readonly string[]): ConfigValue | undefined {
	let current: ConfigValue | undefined = root;
	for (const part of path) {
		if (current?.kind !== 'table') return undefined;
		current = current.entries.get(part);
	}
	return current;
}

function describe(value: ConfigValue): string {
	return value.kind === 'scalar' ? typeof value.value : value.kind;
}
