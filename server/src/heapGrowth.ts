/**
 * Keeps the language server's heap near its live data: V8 lets the old generation grow to up to four times what
 * survived the last full collection before collecting again, which for a long-lived server that re-analyses on every
 * landing fact is mostly garbage held (see `serverProcess` in protocol.ts for the measurement). 1.5 times is enough
 * headroom for the bursts of the first analysis. Set at run time rather than on the command line: a V8 that does
 * not know the flag only prints a warning to stderr, where a command-line flag would stop the process starting.
 */
import { setFlagsFromString } from 'node:v8';

export function limitHeapGrowth(): void {
	setFlagsFromString('--heap-growing-percent=50');
}
