/**
 * Paths and scratch folders the scenarios share: the bundled example workspace and its sample advisory data,
 * and empty folders (an empty CARGO_HOME, so the developer's ~/.cargo never leaks into a run) that are removed
 * when the scenario's process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepRunDirs, repoRoot } from './config';

/** The example workspace (Cargo.toml, Cargo.lock, deny.toml): pass it as `workspace`, the harness opens a copy. */
export const exampleWorkspace = join(repoRoot, 'examples', 'basic');

/** The sample RustSec advisories the example is checked against (`cargoTrust.advisoryDb.path`). */
export const exampleAdvisoryDb = join(repoRoot, 'examples', 'advisory-db');

const scratch: string[] = [];
process.once('exit', () => {
	if (keepRunDirs) return;
	for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system temporary folder, removed when the process exits (unless CARGO_TRUST_E2E_KEEP=1). */
export function scratchDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
	scratch.push(dir);
	return dir;
}

/**
 * Settings for the example offline against its sample advisories: no network at all, data from examples/advisory-db.
 */
export function offlineExampleSettings(): Record<string, unknown> {
	return { 'cargoTrust.network.offline': true, 'cargoTrust.advisoryDb.path': exampleAdvisoryDb };
}
