/** Paths tests need: the repository root (tests run from it) and the optional shared data beside it. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = process.cwd();

/** `../shared/data`, or undefined when this checkout has no shared data beside it. */
export function sharedDataDir(): string | undefined {
	const dir = resolve(repoRoot, '..', 'shared', 'data');
	return existsSync(dir) ? dir : undefined;
}

export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** The advisory database most tests read: a few real advisories, copied into the repository. */
export const exampleAdvisoryDb = join(repoRoot, 'examples', 'advisory-db');
