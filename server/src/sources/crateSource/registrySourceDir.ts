/**
 * Finds a registry package already extracted by cargo: `$CARGO_HOME/registry/src/<registry>/NAME-VERSION/`, in
 * any registry directory (sorted, so the answer does not depend on the file system). Only a directory cargo
 * finished extracting counts: cargo writes `.cargo-ok` last and re-extracts a directory without it, so a
 * half-extracted copy is never read (and never cached as the package). Reads directory listings only.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function findRegistrySourceDir(cargoHome: string, dirName: string): string | undefined {
	const src = join(cargoHome, 'registry', 'src');
	let registries: string[];
	try {
		registries = readdirSync(src).sort();
	} catch {
		return undefined;
	}
	for (const registry of registries) {
		const dir = join(src, registry, dirName);
		if (existsSync(join(dir, '.cargo-ok'))) return dir;
	}
	return undefined;
}
