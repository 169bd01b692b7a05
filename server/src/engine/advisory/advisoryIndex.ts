/**
 * Advisories grouped by crate name, with what RustSec's default query leaves out already removed:
 * withdrawn advisories and advisories about packages from another registry than crates.io.
 */
import type { Advisory } from './types';

export type AdvisoryIndex = ReadonlyMap<string, readonly Advisory[]>;

const cratesIoSources = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);

export function buildAdvisoryIndex(advisories: readonly Advisory[]): AdvisoryIndex {
	const index = new Map<string, Advisory[]>();
	for (const advisory of advisories) {
		if (advisory.withdrawn !== undefined) continue;
		if (advisory.source !== undefined && !cratesIoSources.has(advisory.source)) continue;
		const list = index.get(advisory.package);
		if (list) list.push(advisory);
		else index.set(advisory.package, [advisory]);
	}
	return index;
}
