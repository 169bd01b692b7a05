/** Copies a fixture workspace into a fresh temporary directory, so a test can edit it freely. */
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
// Every test file runs in its own process: removing its directories on exit cleans up after passing and failing tests
// alike, including directories a server child process was still using when its test ended.
process.on('exit', () => {
	for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, removed when the test process exits. */
export function tempDir(prefix = 'cargo-trust-test-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	created.push(dir);
	return dir;
}

export interface TempWorkspace {
	dir: string;
	/** An empty CARGO_HOME, so the user's own ~/.cargo never leaks into a test. */
	cargoHome: string;
	cacheDir: string;
}

export function copyWorkspace(source: string): TempWorkspace {
	const base = tempDir();
	const dir = join(base, 'workspace');
	cpSync(source, dir, { recursive: true });
	const cargoHome = join(base, 'cargo-home');
	const cacheDir = join(base, 'cache');
	mkdirSync(cargoHome);
	return { dir, cargoHome, cacheDir };
}
