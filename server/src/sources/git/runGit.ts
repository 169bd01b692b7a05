/**
 * Runs the git CLI with arguments (never a shell) and an environment that cannot prompt, cannot run
 * helper programs named by a URL, and ignores repository hooks and fsmonitor: git is only ever pointed at data.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface GitResult {
	ok: boolean;
	stdout: string;
	stderr: string;
}

export function runGit(args: string[], options: { cwd?: string; env: Readonly<Record<string, string | undefined>>; timeoutMs?: number }): Promise<GitResult> {
	return new Promise((resolve) => {
		execFile('git', [...SAFETY, ...args], { cwd: options.cwd, env: gitEnv(options.env), timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			resolve({ ok: !error, stdout: String(stdout), stderr: error && !stderr ? error.message : String(stderr) });
		});
	});
}

const SAFETY = ['-c', 'protocol.ext.allow=never', '-c', 'protocol.file.allow=never', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

function gitEnv(from: Readonly<Record<string, string | undefined>>): Record<string, string> {
	const env: Record<string, string> = {};
	// Keep what git needs to find the user's own configuration (insteadOf rewrites, proxies, CA bundles).
	for (const name of ['HOME', 'PATH', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'GIT_SSL_CAINFO', 'SSL_CERT_FILE', 'LANG']) {
		const value = from[name];
		if (value !== undefined) env[name] = value;
	}
	env.GIT_TERMINAL_PROMPT = '0';
	env.GIT_ASKPASS = 'echo';
	env.GCM_INTERACTIVE = 'never';
	// Overrides every protocol.*.allow: only https, and http (which a URL of ours reaches only through the user's
	// own insteadOf rewrites, or on loopback in tests); never ext::, file://, ssh:// or git://.
	env.GIT_ALLOW_PROTOCOL = 'https:http';
	// Our clones are partial: without this, reading a missing object (`cat-file -e` of a commit not fetched yet)
	// makes git fetch it from the promisor remote with its whole history, past our depth, size limit and offline
	// setting. Every fetch we make is explicit.
	env.GIT_NO_LAZY_FETCH = '1';
	return env;
}

export interface StreamGitOptions {
	cwd?: string;
	env: Readonly<Record<string, string | undefined>>;
	/** git and every helper it started are killed after this long. */
	timeoutMs: number;
	/** Receives stdout as it comes, which is then not buffered: a listing of any size costs only what the caller keeps. */
	onStdout?: (chunk: Buffer) => void;
	/**
	 * Kills git once the files in `dir` have grown by more than `maxBytes` (a fetch's pack lands there); checked on
	 * every change git makes there and once more at the end, so a pack that outgrew it always fails.
	 */
	sizeLimit?: { dir: string; maxBytes: number };
	signal?: AbortSignal;
}

export type StreamGitResult = { ok: true; stdout: string; stderr: string } | { ok: false; stderr: string; stopped?: 'timeout' | 'size' | 'cancelled' };

/** What is kept of stderr (for the message); the rest is dropped. */
const MAX_STDERR = 64 * 1024;

/** Like runGit, for long or large runs: streamed output, a hard time limit, an optional size limit, cancellation. */
export function streamGit(args: string[], options: StreamGitOptions): Promise<StreamGitResult> {
	return new Promise((resolve) => {
		// Its own process group, so a kill reaches git-remote-https and index-pack as well.
		const child = spawn('git', [...SAFETY, ...args], { cwd: options.cwd, env: gitEnv(options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let stopped: 'timeout' | 'size' | 'cancelled' | undefined;
		const stop = (why: 'timeout' | 'size' | 'cancelled'): void => {
			stopped ??= why;
			try {
				if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		};
		const stdout: Buffer[] = [];
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : stdout.push(chunk)));
		child.stderr.on('data', (chunk: Buffer) => {
			if (stderr.length < MAX_STDERR) stderr += chunk.toString();
		});
		const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
		const onAbort = (): void => stop('cancelled');
		options.signal?.addEventListener('abort', onAbort, { once: true });
		if (options.signal?.aborted) stop('cancelled');
		const { sizeLimit } = options;
		const baseline = sizeLimit ? dirBytes(sizeLimit.dir) : 0;
		const overSize = (): boolean => sizeLimit !== undefined && dirBytes(sizeLimit.dir) - baseline > sizeLimit.maxBytes;
		let watcher: FSWatcher | undefined;
		if (sizeLimit) {
			try {
				watcher = watch(sizeLimit.dir, () => {
					if (overSize()) stop('size');
				});
			} catch {
				// The directory vanished; the check at the end still applies.
			}
		}
		const finish = (code: number | null, error?: Error): void => {
			clearTimeout(timer);
			watcher?.close();
			options.signal?.removeEventListener('abort', onAbort);
			if (stopped === undefined && overSize()) stopped = 'size';
			if (error) resolve({ ok: false, stderr: `cannot run git: ${error.message}` });
			else if (stopped !== undefined) resolve({ ok: false, stderr: stopMessage(stopped, options), stopped });
			else if (code === 0) resolve({ ok: true, stdout: Buffer.concat(stdout).toString(), stderr });
			else resolve({ ok: false, stderr: stderr.trim() || `git exited with status ${code}` });
		};
		child.on('error', (error) => finish(null, error));
		child.on('close', (code) => finish(code));
	});
}

function stopMessage(why: 'timeout' | 'size' | 'cancelled', options: StreamGitOptions): string {
	if (why === 'timeout') return `git was stopped after the time limit of ${options.timeoutMs / 1000} s`;
	if (why === 'size') return `git was stopped: it received more than the size limit of ${options.sizeLimit?.maxBytes ?? 0} bytes`;
	return 'cancelled';
}

/** The bytes of the files directly in `dir` (a pack directory is flat); 0 when it cannot be read. */
function dirBytes(dir: string): number {
	let total = 0;
	try {
		for (const name of readdirSync(dir)) {
			try {
				total += statSync(join(dir, name)).size;
			} catch {
				// Renamed or removed while we looked (git renames tmp_pack_* when done).
			}
		}
	} catch {
		return 0;
	}
	return total;
}

/**
 * Only URLs that name a server: https anywhere, http only on loopback (our tests).
 * Everything else (`ext::sh -c ...`, `file://`, `ssh://`, option-looking strings) is refused before git sees it.
 */
export function checkGitUrl(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a URL`;
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return undefined;
	return `"${url}" is not an https:// URL; only https (and http on loopback) are allowed`;
}
