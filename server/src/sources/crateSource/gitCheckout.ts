/**
 * Finds a git dependency in cargo's checkouts: `$CARGO_HOME/git/checkouts/<ident>-<hash>/<short-sha>/`, where
 * `<ident>` is the repository's last URL segment (as cargo derives it) and `<short-sha>` a prefix of the locked
 * commit; then the package inside by its Cargo.toml name, since one repository can hold several crates. Only
 * checkouts cargo finished (`.cargo-ok`) are used. Reads directory listings and manifests; never runs git.
 */
import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalUrl } from '../cargoConfig/resolveRegistry';
import { manifestPackageName } from './crateCapabilities';

/** How far below a checkout's root a package is looked for; real repositories nest crates two or three deep. */
const MAX_DEPTH = 6;
/** Directories looked at in one checkout before giving up, so a huge repository costs a bounded walk. */
const MAX_DIRS = 5_000;

export type GitCheckout = { dir: string } | { reason: string };

export function findGitCheckout(cargoHome: string, url: string, commit: string, name: string): GitCheckout {
	const checkouts = join(cargoHome, 'git', 'checkouts');
	const ident = repositoryIdent(url);
	const repositories = list(checkouts).filter((entry) => entry.isDirectory() && new RegExp(`^${escape(ident)}-[0-9a-f]{16}$`).test(entry.name));
	const lower = commit.toLowerCase();
	const candidates: string[] = [];
	for (const repository of repositories) {
		for (const entry of list(join(checkouts, repository.name))) {
			const short = entry.name.toLowerCase();
			if (!entry.isDirectory() || !/^[0-9a-f]{7,40}$/.test(short) || !lower.startsWith(short)) continue;
			const dir = join(checkouts, repository.name, entry.name);
			if (existsSync(join(dir, '.cargo-ok'))) candidates.push(dir);
		}
	}
	if (candidates.length === 0) return { reason: `no checkout of ${url} at ${commit.slice(0, 7)} in ${checkouts} (run cargo fetch)` };
	for (const checkout of candidates) {
		const dir = findPackage(checkout, name);
		if (dir) return { dir };
	}
	return { reason: `no package named ${name} in the checkout ${candidates.join(', ')}` };
}

/** cargo's `ident`: the canonical URL's last path segment (`.git` and a trailing slash removed), or `_empty`. */
function repositoryIdent(url: string): string {
	const segment = canonicalUrl(url).split(/[/:]/).at(-1) ?? '';
	return segment === '' ? '_empty' : segment;
}

/** Breadth first, so the shallowest manifest with the name wins, as the repository root usually is. */
function findPackage(checkout: string, name: string): string | undefined {
	let level = [checkout];
	let seen = 0;
	for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
		const next: string[] = [];
		for (const dir of level) {
			if (++seen > MAX_DIRS) return undefined;
			const entries = list(dir);
			if (entries.some((entry) => entry.name === 'Cargo.toml' && entry.isFile()) && packageName(join(dir, 'Cargo.toml')) === name) return dir;
			for (const entry of entries) {
				// Symbolic links are not followed, hidden folders (.git) and build output are not packages.
				if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'target') next.push(join(dir, entry.name));
			}
		}
		level = next;
	}
	return undefined;
}

function packageName(manifest: string): string | undefined {
	try {
		return manifestPackageName(readFileSync(manifest, 'utf8'));
	} catch {
		return undefined;
	}
}

function list(dir: string): Dirent[] {
	try {
		return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	} catch {
		return [];
	}
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
