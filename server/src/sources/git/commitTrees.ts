/**
 * The trees of commits of other people's repositories, for provenance: one bare partial clone per repository
 * URL under our cache, into which `git fetch --depth=1 --filter=blob:none -- <url> <sha1>` brings one commit and
 * its trees (no file content), then `git ls-tree -r -z --full-tree <sha1>` lists it, stream-parsed so that only
 * the entries asked for are kept. A commit already in the bare repository is not fetched again; two requests for
 * the same commit share one fetch; fetches into one repository run one at a time (git locks `shallow`), and at
 * most `concurrency` run at once in all. The caller has checked the URL (an https URL from crate metadata).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommitReachability } from '../../engine/provenance/types';
import { Semaphore } from '../http/semaphore';
import { streamGit } from './runGit';
import { InFlight } from '../inFlight';

export interface TreeEntry {
	/** `100644`, `100755`, `120000` (a symbolic link: the id is that of its target path), `160000` (a submodule). */
	mode: string;
	type: string;
	id: string;
}

export type TreeListing =
	| { status: 'found'; /** Paths relative to `prefix`. */ entries: Map<string, TreeEntry> }
	| { status: 'commit-not-found' | 'unreachable' | 'error'; reason: string };

export interface CommitTreesOptions {
	/** Our cache directory; repositories go to `<cacheDir>/provenance/repos/`. */
	cacheDir: string;
	env: Readonly<Record<string, string | undefined>>;
	/** No fetch at all; commits already fetched are still listed. */
	offline: boolean;
	/** Per git run. Default 120 s. */
	timeoutMs?: number;
	/** What one fetch may bring; a bigger pack is cut off. Default 256 MiB (trees of the largest monorepos are far less). */
	maxFetchBytes?: number;
	/** Fetches at once. Default 4. */
	concurrency?: number;
}

const MiB = 1024 * 1024;

/** Where the repository's branches and tags are kept in our partial clone (only reachability reads them). */
const REFS = 'refs/cargo-trust/';


/** A file bigger than this is not shown in a diff view. */
const MAX_SHOWN_BYTES = 16 * MiB;

/** What git says when the server does not have the commit (or will not give it), as opposed to a network failure. */
const NOT_FOUND = /not our ref|couldn't find remote ref|no such remote ref|unadvertised object|remote error: .*(?:want|object)|bad object|did not send all necessary objects/i;

export class CommitTrees {
	private readonly fetches = new Semaphore(4);
	/** `url sha1` → the fetch in flight. */
	private readonly inFlight = new InFlight<TreeListing | undefined>();
	/** Repository directory → the tail of its queue of git runs that write to it. */
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(private readonly options: CommitTreesOptions) {
		this.fetches = new Semaphore(options.concurrency ?? 4);
	}

	/** The entries of `commit` below `prefix` ('' for the root) whose relative path `keep` accepts. */
	async list(url: string, commit: string, prefix: string, keep: (path: string) => boolean, signal: AbortSignal): Promise<TreeListing> {
		const repo = this.repoDir(url);
		const key = `${url} ${commit}`;
		const failed = await this.inFlight.run(key, () => this.inRepo(repo, () => this.ensureCommit(repo, url, commit, signal)));
		if (failed) return failed;
		return this.listTree(repo, commit, prefix, keep, signal);
	}

	/**
	 * The content of `path` below `prefix` at `commit`, for the diff view: the commit's trees as for `list`, then the
	 * one blob, fetched on demand by id into the partial clone (as git's own promisor fetch does), under the same
	 * safety flags, time limit and size limit. `absent` when the commit has no such file.
	 */
	async readFile(url: string, commit: string, prefix: string, path: string, signal: AbortSignal): Promise<{ bytes: Buffer; symlink: boolean } | { absent: true } | { error: string }> {
		const listing = await this.list(url, commit, prefix, (candidate) => candidate === path, signal);
		if (listing.status !== 'found') return { error: listing.reason };
		const entry = listing.entries.get(path);
		if (entry === undefined) return { absent: true };
		if (entry.type !== 'blob') return { error: `${path} is a ${entry.type} in the repository, not a file` };
		const repo = this.repoDir(url);
		const { env } = this.options;
		const timeoutMs = this.options.timeoutMs ?? 120_000;
		const maxBytes = this.options.maxFetchBytes ?? 256 * MiB;
		const present = await streamGit(['cat-file', '-e', entry.id], { cwd: repo, env, timeoutMs, signal });
		if (!present.ok) {
			if (this.options.offline) return { error: `offline: the repository's ${path} was not fetched before` };
			const packDir = join(repo, 'objects', 'pack');
			const fetched = await this.inRepo(repo, () =>
				streamGit(['-c', 'fetch.unpackLimit=1', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--', url, entry.id], { cwd: repo, env, timeoutMs, signal, sizeLimit: { dir: packDir, maxBytes } }),
			);
			if (!fetched.ok) {
				if (fetched.stopped) removeTemporaryPacks(packDir);
				return { error: `fetching ${path} from ${url}: ${lastLine(fetched.stderr)}` };
			}
		}
		const size = await streamGit(['cat-file', '-s', entry.id], { cwd: repo, env, timeoutMs, signal });
		if (!size.ok) return { error: `cannot read ${path}: ${lastLine(size.stderr)}` };
		if (Number(size.stdout.trim()) > MAX_SHOWN_BYTES) return { error: `${path} is larger than ${MAX_SHOWN_BYTES} bytes in the repository` };
		const chunks: Buffer[] = [];
		const read = await streamGit(['cat-file', 'blob', entry.id], { cwd: repo, env, timeoutMs, signal, onStdout: (chunk) => chunks.push(chunk) });
		if (!read.ok) return { error: `cannot read ${path}: ${lastLine(read.stderr)}` };
		return { bytes: Buffer.concat(chunks), symlink: entry.mode === '120000' };
	}

	/**
	 * Whether `commit` is on a branch or tag of `url` (not only on a fork's ref, as an imposter commit is): the
	 * history of every branch and tag, commits and trees only, is fetched into the same partial clone under
	 * `refs/cargo-trust/` (pruned, so a deleted branch no longer counts; unshallowed, so an earlier `--depth=1`
	 * fetch does not cut the history short), then `git for-each-ref --contains` names the refs that hold it.
	 * Branches are preferred to tags. Costs far more than `list` (a third of a full clone), so it runs on demand.
	 */
	async reachability(url: string, commit: string, signal: AbortSignal): Promise<CommitReachability> {
		if (this.options.offline) return { reachable: null, via: null, reason: 'offline: the branches and tags of the repository were not fetched' };
		const repo = this.repoDir(url);
		const { env } = this.options;
		const timeoutMs = this.options.timeoutMs ?? 120_000;
		return this.inRepo(repo, async (): Promise<CommitReachability> => {
			if (!existsSync(join(repo, 'HEAD'))) {
				mkdirSync(repo, { recursive: true });
				const init = await streamGit(['init', '--quiet', '--bare', repo], { env, timeoutMs, signal });
				if (!init.ok) return { reachable: null, via: null, reason: `cannot create a repository in our cache: ${init.stderr}` };
			}
			let release: () => void;
			try {
				release = await this.fetches.acquire(signal);
			} catch {
				return { reachable: null, via: null, reason: 'cancelled' };
			}
			try {
				const packDir = join(repo, 'objects', 'pack');
				mkdirSync(packDir, { recursive: true });
				const unshallow = existsSync(join(repo, 'shallow')) ? ['--unshallow'] : [];
				const fetched = await streamGit(
					['-c', 'fetch.unpackLimit=1', 'fetch', '--quiet', '--prune', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', ...unshallow, '--', url, `+refs/heads/*:${REFS}heads/*`, `+refs/tags/*:${REFS}tags/*`],
					{ cwd: repo, env, timeoutMs, signal, sizeLimit: { dir: packDir, maxBytes: this.options.maxFetchBytes ?? 256 * MiB } },
				);
				if (!fetched.ok) {
					if (fetched.stopped) removeTemporaryPacks(packDir);
					return { reachable: null, via: null, reason: `fetching the branches and tags of ${url}: ${lastLine(fetched.stderr)}` };
				}
			} finally {
				release();
			}
			// Every commit of every branch and tag is here now: a commit that is not was never on one.
			const present = await streamGit(['cat-file', '-e', `${commit}^{commit}`], { cwd: repo, env, timeoutMs, signal });
			if (!present.ok) return { reachable: false, via: null, reason: null };
			const refs = await streamGit(['for-each-ref', '--contains', commit, '--format=%(refname)', REFS], { cwd: repo, env, timeoutMs, signal });
			if (!refs.ok) return { reachable: null, via: null, reason: `cannot list the refs holding ${commit}: ${lastLine(refs.stderr)}` };
			const names = refs.stdout.split('\n').filter((line) => line.startsWith(REFS)).map((line) => `refs/${line.slice(REFS.length)}`);
			const via = names.find((name) => name.startsWith('refs/heads/')) ?? names[0];
			return via === undefined ? { reachable: false, via: null, reason: null } : { reachable: true, via, reason: null };
		});
	}

	/** Where the bare repository of `url` lives in our cache. */
	repoDir(url: string): string {
		return join(this.options.cacheDir, 'provenance', 'repos', `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.git`);
	}

	private inRepo<T>(repo: string, run: () => Promise<T>): Promise<T> {
		const previous = this.queues.get(repo) ?? Promise.resolve();
		const next = previous.then(run, run);
		const tail = next.catch(() => undefined);
		this.queues.set(repo, tail);
		void tail.then(() => {
			if (this.queues.get(repo) === tail) this.queues.delete(repo);
		});
		return next;
	}

	/** Undefined when the commit is in the bare repository (already, or fetched now); else why not. */
	private async ensureCommit(repo: string, url: string, commit: string, signal: AbortSignal): Promise<TreeListing | undefined> {
		const { env } = this.options;
		const timeoutMs = this.options.timeoutMs ?? 120_000;
		if (!existsSync(join(repo, 'HEAD'))) {
			mkdirSync(repo, { recursive: true });
			const init = await streamGit(['init', '--quiet', '--bare', repo], { env, timeoutMs, signal });
			if (!init.ok) return { status: 'error', reason: `cannot create a repository in our cache: ${init.stderr}` };
		}
		const present = await streamGit(['cat-file', '-e', `${commit}^{commit}`], { cwd: repo, env, timeoutMs, signal });
		if (present.ok) return undefined;
		if (this.options.offline) return { status: 'unreachable', reason: `offline: commit ${commit} of ${url} was not fetched before` };
		let release: () => void;
		try {
			release = await this.fetches.acquire(signal);
		} catch {
			return { status: 'unreachable', reason: 'cancelled' };
		}
		try {
			const packDir = join(repo, 'objects', 'pack');
			mkdirSync(packDir, { recursive: true });
			const fetched = await streamGit(
				// unpackLimit=1: the pack is always written whole into objects/pack, where the size limit watches it.
				['-c', 'fetch.unpackLimit=1', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth=1', '--filter=blob:none', '--', url, commit],
				{ cwd: repo, env, timeoutMs, signal, sizeLimit: { dir: packDir, maxBytes: this.options.maxFetchBytes ?? 256 * MiB } },
			);
			if (fetched.ok) return undefined;
			if (fetched.stopped) {
				removeTemporaryPacks(packDir);
				return { status: 'unreachable', reason: `fetching ${url}: ${fetched.stderr}` };
			}
			if (NOT_FOUND.test(fetched.stderr)) return { status: 'commit-not-found', reason: `${url} has no commit ${commit}: ${lastLine(fetched.stderr)}` };
			return { status: 'unreachable', reason: `fetching ${url}: ${lastLine(fetched.stderr)}` };
		} finally {
			release();
		}
	}

	private async listTree(repo: string, commit: string, prefix: string, keep: (path: string) => boolean, signal: AbortSignal): Promise<TreeListing> {
		const entries = new Map<string, TreeEntry>();
		const below = prefix === '' ? '' : `${prefix}/`;
		const parser = new LsTreeParser((mode, type, id, path) => {
			if (!path.startsWith(below)) return;
			const relative = path.slice(below.length);
			if (keep(relative)) entries.set(relative, { mode, type, id });
		});
		const listed = await streamGit(['ls-tree', '-r', '-z', '--full-tree', commit], { cwd: repo, env: this.options.env, timeoutMs: this.options.timeoutMs ?? 120_000, signal, onStdout: (chunk) => parser.push(chunk) });
		if (!listed.ok) return { status: 'error', reason: `cannot list commit ${commit}: ${lastLine(listed.stderr)}` };
		if (parser.problem) return { status: 'error', reason: `cannot list commit ${commit}: ${parser.problem}` };
		return { status: 'found', entries };
	}
}

/**
 * `git ls-tree -z` output, chunk by chunk: records `<mode> SP <type> SP <id> TAB <path>` ended by NUL. Only the
 * unfinished record is held between chunks, so memory does not grow with the tree.
 */
export class LsTreeParser {
	private rest: Buffer = Buffer.alloc(0);
	problem: string | undefined;

	constructor(private readonly onEntry: (mode: string, type: string, id: string, path: string) => void) {}

	push(chunk: Buffer): void {
		let data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
		for (let end = data.indexOf(0); end !== -1; end = data.indexOf(0)) {
			this.record(data.subarray(0, end).toString('utf8'));
			data = data.subarray(end + 1);
		}
		this.rest = Buffer.from(data);
	}

	private record(text: string): void {
		const match = /^([0-7]{6}) (\w+) ([0-9a-f]{40,64})\t(.+)$/s.exec(text);
		if (!match) {
			this.problem ??= `unexpected ls-tree output ${JSON.stringify(text.slice(0, 100))}`;
			return;
		}
		this.onEntry(match[1]!, match[2]!, match[3]!, match[4]!);
	}
}

function lastLine(text: string): string {
	return text.trim().split('\n').filter((line) => line.trim() !== '').at(-1)?.trim() ?? 'git failed';
}

/** A fetch that was cut off leaves its partial pack behind; it is of no use and would count against the next one. */
function removeTemporaryPacks(packDir: string): void {
	try {
		for (const name of readdirSync(packDir)) if (name.startsWith('tmp_')) rmSync(join(packDir, name), { force: true });
	} catch {
		// Nothing to clean.
	}
}
