/**
 * `npm run bench`: runs every benchmark and prints a table to paste into docs/performance.md.
 */
import { benchFoundation } from './foundationBench';

export interface BenchResult {
	name: string;
	value: number;
	unit: string;
}

async function main(): Promise<void> {
	const suites: [string, () => Promise<BenchResult[]>][] = [['foundation', benchFoundation]];
	console.log(`| benchmark | result |\n| --- | --- |`);
	for (const [, run] of suites) {
		for (const result of await run()) console.log(`| ${result.name} | ${Number.isNaN(result.value) ? result.unit : `${result.value.toFixed(result.value < 10 ? 2 : 0)} ${result.unit}`} |`);
	}
}

void main();
