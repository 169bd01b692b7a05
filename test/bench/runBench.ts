/**
 * `npm run bench`: runs every benchmark and prints a table to paste into docs/performance.md.
 */
import { benchFoundation } from './foundationBench';
import { benchPaths } from './pathsBench';
import { benchHang } from './hangBench';
import { benchIncremental } from './incrementalBench';
import { benchRegistry } from './registryBench';
import { benchFactLanding } from './factLandingBench';
import { benchUnsafe } from './unsafeBench';
import { benchUnsafeMemory, MEMORY_CHILD, unsafeMemoryChild } from './unsafeMemoryBench';
import { benchUnsafeWorkspace } from './unsafeWorkspaceBench';
import { benchAudits } from './auditBench';
import { benchCodeActions } from './codeActionBench';
import { benchProvenance } from './provenanceBench';
import { benchWasmtimeMemory } from './wasmtimeMemoryBench';

export interface BenchResult {
	name: string;
	value: number;
	unit: string;
}

async function main(): Promise<void> {
	// The memory benchmark measures a fresh process: this one, started again by it.
	const memoryChild = process.env[MEMORY_CHILD];
	if (memoryChild !== undefined) return unsafeMemoryChild(memoryChild);
	const suites: [string, () => Promise<BenchResult[]>][] = [
		['foundation', benchFoundation],
		['dependency paths', benchPaths],
		['language server: incremental analysis and memory', benchIncremental],
		['registry', benchRegistry],
		['fact landing', benchFactLanding],
		['registry that never answers', benchHang],
		['unsafe counting', benchUnsafe],
		['unsafe workspace', benchUnsafeWorkspace],
		['unsafe memory', benchUnsafeMemory],
		['audits', benchAudits],
		['code actions', benchCodeActions],
		['provenance', benchProvenance],
		['wasmtime memory', benchWasmtimeMemory],
	];
	// `npm run bench -- "fact landing"` runs the named suites only.
	const only = process.argv.slice(2);
	console.log(`| benchmark | result |\n| --- | --- |`);
	for (const [suite, run] of suites) {
		if (only.length && !only.includes(suite)) continue;
		console.log(`| **${suite}** | |`);
		for (const result of await run()) console.log(`| ${result.name} | ${Number.isNaN(result.value) ? result.unit : `${result.value.toFixed(result.value < 10 ? 2 : 0)} ${result.unit}`} |`);
	}
}

void main();
