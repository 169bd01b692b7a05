/**
 * Runs the git CLI with arguments (never a shell) and an environment that cannot prompt, cannot run
 * helper programs named by a URL, and ignores repository hooks and fsmonitor: git is only ever pointed at data.
 */
import { execFile } from 'node:child_process';

export interface GitResult {
	ok: boolean;
	stdout: string;
	stderr: string;
}

export function runGit(args: string[], options: { cwd?: string; env: Readonly<Record<string, string | undefined>>; timeoutMs?: number }): Promise<GitResult> {
	const env: Record<string, string> = {};
	// Keep what git needs to find the user's own configuration (insteadOf rewrites, proxies, CA bundles).
	for (const name of ['HOME', 'PATH', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'GIT_SSL_CAINFO', 'SSL_CERT_FILE', 'LANG']) {
		const value = options.env[name];
		if (value !== undefined) env[name] = value;
	}
	env.GIT_TERMINAL_PROMPT = '0';
	env.GIT_ASKPASS = 'echo';
	env.GCM_INTERACTIVE = 'never';
	const safety = ['-c', 'protocol.ext.allow=never', '-c', 'protocol.file.allow=never', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];
	return new Promise((resolve) => {
		execFile('git', [...safety, ...args], { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			resolve({ ok: !error, stdout: String(stdout), stderr: error && !stderr ? error.message : String(stderr) });
		});
	});
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
