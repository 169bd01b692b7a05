/**
 * Keeps our own shallow clone of the RustSec advisory database in the cache dir, with the git CLI.
 * Never touches cargo-audit's clone in $CARGO_HOME: that one is read-only to us.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkGitUrl, runGit } from '../git/runGit';

export type CloneOutcome = { status: 'ok'; action: 'cloned' | 'fetched' } | { status: 'error'; reason: string };

/** Clones when absent, else fetches the newest commit of the default branch. */
export async function syncAdvisoryClone(url: string, dir: string, env: Readonly<Record<string, string | undefined>>): Promise<CloneOutcome> {
	const refused = checkGitUrl(url);
	if (refused) return { status: 'error', reason: refused };
	const exists = await stat(join(dir, '.git')).then(() => true, () => false);
	return exists ? fetch(url, dir, env) : clone(url, dir, env);
}

async function clone(url: string, dir: string, env: Readonly<Record<string, string | undefined>>): Promise<CloneOutcome> {
	await mkdir(dirname(dir), { recursive: true });
	// Clone beside the target and rename, so a half-finished clone is never read as a database.
	const temp = `${dir}.${process.pid}.partial`;
	await rm(temp, { recursive: true, force: true });
	const result = await runGit(['clone', '--quiet', '--depth', '1', '--', url, temp], { env });
	if (!result.ok) {
		await rm(temp, { recursive: true, force: true });
		return { status: 'error', reason: `git clone ${url} failed: ${firstLine(result.stderr)}` };
	}
	try {
		await rename(temp, dir);
	} catch {
		// Another process finished its clone first; theirs is as good as ours.
		await rm(temp, { recursive: true, force: true });
	}
	await markFetched(dir);
	return { status: 'ok', action: 'cloned' };
}

async function fetch(url: string, dir: string, env: Readonly<Record<string, string | undefined>>): Promise<CloneOutcome> {
	const fetched = await runGit(['fetch', '--quiet', '--depth', '1', '--', url, 'HEAD'], { cwd: dir, env });
	if (!fetched.ok) return { status: 'error', reason: `git fetch ${url} failed: ${firstLine(fetched.stderr)}` };
	const reset = await runGit(['reset', '--quiet', '--hard', 'FETCH_HEAD'], { cwd: dir, env });
	if (!reset.ok) return { status: 'error', reason: `git reset in ${dir} failed: ${firstLine(reset.stderr)}` };
	await markFetched(dir);
	return { status: 'ok', action: 'fetched' };
}

/** When we last synced, so the refresh interval survives restarts. */
export async function lastFetchedAt(dir: string): Promise<Date | undefined> {
	return stat(join(dir, '.git', 'cargo-trust-fetched')).then((s) => s.mtime, () => undefined);
}

async function markFetched(dir: string): Promise<void> {
	await writeFile(join(dir, '.git', 'cargo-trust-fetched'), '');
}

/** The committer time of HEAD, to flag a database that has not moved in 90 days as stale (cargo-audit's rule). */
export async function headCommitTime(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<Date | undefined> {
	const result = await runGit(['log', '-1', '--format=%ct'], { cwd: dir, env });
	const seconds = Number(result.stdout.trim());
	return result.ok && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

function firstLine(text: string): string {
	return text.trim().split('\n')[0] ?? '';
}
