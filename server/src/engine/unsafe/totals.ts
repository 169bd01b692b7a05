/**
 * Sums and words for unsafe counts.
 */
import type { UnsafeCounts } from './types';

export function totalUnsafe(counts: UnsafeCounts): number {
	return counts.blocks + counts.functions + counts.impls + counts.traits + counts.externBlocks + counts.attributes;
}

/** "28 blocks, 64 functions, 1 impl": only the kinds present, in the contract's order. */
export function describeCounts(counts: UnsafeCounts): string {
	const parts: [number, string, string][] = [
		[counts.blocks, 'block', 'blocks'],
		[counts.functions, 'function', 'functions'],
		[counts.impls, 'impl', 'impls'],
		[counts.traits, 'trait', 'traits'],
		[counts.externBlocks, 'extern block', 'extern blocks'],
		[counts.attributes, 'attribute', 'attributes'],
	];
	const present = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
	return present.length ? present.join(', ') : 'no unsafe code';
}
