/**
 * Keeps the language server's memory near its live data, whoever starts it (VS Code, another editor, a test).
 * The server lives as long as the window and re-analyses the workspace whenever facts land: a steady stream of
 * short-lived garbage. With V8's defaults the young generation grows to 32 MB and the old one to about four times
 * what survived the last full collection before collecting again (wasmtime with every signal: 30 MB live, 240 MB
 * peak RSS; docs/performance.md). A young generation that stays at its initial 2 MB and an old one allowed 1.5
 * times the live data cost a few percent of CPU in the first analysis.
 * Set at run time, before the work starts, rather than on the command line: both flags are read when the heap
 * grows, and a V8 that does not know one only warns on stderr, where an unknown command-line flag stops the process.
 */
import { setFlagsFromString } from 'node:v8';

export function limitHeapGrowth(): void {
	setFlagsFromString('--semi-space-growth-factor=1');
	setFlagsFromString('--heap-growing-percent=50');
}
