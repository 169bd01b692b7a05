/**
 * Cargo's mapping from a config key to its environment variable: `CARGO_` then the key uppercased with `.`
 * and `-` turned into `_` (`registries.my-reg.index` → CARGO_REGISTRIES_MY_REG_INDEX). Pure: the environment
 * is passed in, never read from `process.env`.
 */

export function envVariable(key: readonly string[]): string {
	return `CARGO_${key.map((part) => part.toUpperCase().replace(/[-.]/g, '_')).join('_')}`;
}

/**
 * Registry names that exist only as CARGO_REGISTRIES_<NAME>_INDEX. The original spelling is lost (`-` and `_`
 * both became `_`), so, like cargo, the name is the lowercased middle part.
 */
export function envOnlyRegistryNames(env: Readonly<Record<string, string | undefined>>, known: Iterable<string>): string[] {
	const knownPrefixes = new Set([...known].map((name) => envVariable(['registries', name])));
	const names: string[] = [];
	for (const [variable, value] of Object.entries(env)) {
		const match = /^CARGO_REGISTRIES_(.+)_INDEX$/.exec(variable);
		if (!match?.[1] || value === undefined) continue;
		if (knownPrefixes.has(`CARGO_REGISTRIES_${match[1]}`)) continue;
		names.push(match[1].toLowerCase());
	}
	return names.sort();
}
