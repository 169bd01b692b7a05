/** Copies a fixture workspace into a fresh temporary directory, so a test can edit it freely. */
import { cpSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'cargo-trust-test-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
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
