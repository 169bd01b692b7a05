/**
 * Cargo.lock (versions 1 to 4) → `Lockfile`. Lockfiles cargo wrote take the fast line reader; anything else
 * (hand edits, other formatting, syntax errors) takes the TOML parser with error recovery. Both give the same model.
 */
import type { Parsed } from '../text';
import { readLockfileToml } from './readLockfileToml';
import { scanCanonicalLockfile } from './scanCanonicalLockfile';
import type { Lockfile } from './types';

export function parseLockfile(text: string): Parsed<Lockfile> {
	return scanCanonicalLockfile(text) ?? readLockfileToml(text);
}

/** The general path alone: `parseLockfile` takes it when the fast reader gives up, and tests compare the two. */
export { readLockfileToml as parseLockfileWithToml };
