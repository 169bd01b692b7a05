/**
 * The process environment as the sources see it: variables, home directory and clock.
 * Injected everywhere so tests can give a fixed clock and a private CARGO_HOME; nothing in sources/ reads
 * `process.env` or `Date.now()` directly.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Environment {
	/** Environment variables (cargo's names: CARGO_HOME, CARGO_NET_OFFLINE, HTTPS_PROXY, ...). */
	env: Readonly<Record<string, string | undefined>>;
	homeDir: string;
	now(): Date;
}

export function nodeEnvironment(): Environment {
	return { env: process.env, homeDir: homedir(), now: () => new Date() };
}

/** `$CARGO_HOME`, default `~/.cargo`, as cargo resolves it. */
export function cargoHome(environment: Environment): string {
	return environment.env.CARGO_HOME || join(environment.homeDir, '.cargo');
}

/** Our cache: `--cache-dir`, else CARGO_TRUST_CACHE_DIR, else $XDG_CACHE_HOME/cargo-trust, else ~/.cache/cargo-trust. */
export function cacheDir(environment: Environment, explicit?: string): string {
	if (explicit) return explicit;
	if (environment.env.CARGO_TRUST_CACHE_DIR) return environment.env.CARGO_TRUST_CACHE_DIR;
	if (environment.env.XDG_CACHE_HOME) return join(environment.env.XDG_CACHE_HOME, 'cargo-trust');
	return join(environment.homeDir, '.cache', 'cargo-trust');
}
