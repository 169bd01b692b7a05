/**
 * A real git server for tests: git's own smart-HTTP CGI (`git http-backend`) behind node:http on 127.0.0.1,
 * serving the bare repositories under a directory. Counts requests so tests can prove offline means no traffic,
 * and the response bytes it sent, so benchmarks can weigh a fetch as the network would.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tempDir } from './tempWorkspace';
import { dirname, join } from 'node:path';

export interface GitHttpServer {
	url: string;
	requests: number;
	/** Bytes of response bodies sent so far (refs advertisements and packs), as they went over the wire. */
	bytesSent: number;
	close(): Promise<void>;
}

/** Requests under `/hang/` are accepted and never answered: a server that hangs, for time limits. */
export async function startGitHttpServer(projectRoot: string): Promise<GitHttpServer> {
	const state = { requests: 0, bytesSent: 0 };
	const hanging = new Set<import('node:http').ServerResponse>();
	const server: Server = createServer((request, response) => {
		state.requests++;
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (url.pathname.startsWith('/hang/')) {
			hanging.add(response);
			return;
		}
		const cgi = spawn('git', ['http-backend'], {
			env: {
				PATH: process.env.PATH ?? '',
				GIT_PROJECT_ROOT: projectRoot,
				GIT_HTTP_EXPORT_ALL: '1',
				PATH_INFO: decodeURIComponent(url.pathname),
				QUERY_STRING: url.search.slice(1),
				REQUEST_METHOD: request.method ?? 'GET',
				CONTENT_TYPE: request.headers['content-type'] ?? '',
				REMOTE_ADDR: '127.0.0.1',
				...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
			},
		});
		request.pipe(cgi.stdin);
		let head = Buffer.alloc(0);
		let headersDone = false;
		cgi.stdout.on('data', (chunk: Buffer) => {
			if (headersDone) {
				state.bytesSent += chunk.length;
				return void response.write(chunk);
			}
			head = Buffer.concat([head, chunk]);
			const end = head.indexOf('\r\n\r\n');
			if (end === -1) return;
			headersDone = true;
			let status = 200;
			for (const line of head.subarray(0, end).toString().split('\r\n')) {
				const [name, ...rest] = line.split(':');
				const value = rest.join(':').trim();
				if (name!.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
				else response.setHeader(name!, value);
			}
			response.writeHead(status);
			state.bytesSent += head.length - (end + 4);
			response.write(head.subarray(end + 4));
		});
		cgi.on('close', () => response.end());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		get requests() {
			return state.requests;
		},
		get bytesSent() {
			return state.bytesSent;
		},
		close: () => {
			for (const response of hanging) response.destroy();
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

/** Makes `<root>/<name>.git`, a bare repository whose single commit holds a copy of `sourceDir`. */
export function createBareRepository(root: string, name: string, sourceDir: string, commitDate = '2026-11-20T12:00:00Z'): string {
	const work = tempDir('cargo-trust-git-work-');
	cpSync(sourceDir, work, { recursive: true });
	const env = { ...process.env, GIT_AUTHOR_DATE: commitDate, GIT_COMMITTER_DATE: commitDate, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
	const git = (args: string[], cwd: string): void => void execFileSync('git', args, { cwd, env, stdio: 'ignore' });
	git(['init', '-q', '-b', 'main'], work);
	git(['add', '-A'], work);
	git(['commit', '-q', '-m', 'advisories'], work);
	const bare = join(root, `${name}.git`);
	git(['clone', '-q', '--bare', work, bare], root);
	return bare;
}

/** A file's content, or a symbolic link to a path (git stores the target path as the link's blob). */
export type RepoFile = string | Uint8Array | { symlink: string };

const fixedIdentity = (date: string): NodeJS.ProcessEnv => ({
	...process.env,
	GIT_AUTHOR_DATE: date,
	GIT_COMMITTER_DATE: date,
	GIT_AUTHOR_NAME: 't',
	GIT_AUTHOR_EMAIL: 't@example.com',
	GIT_COMMITTER_NAME: 't',
	GIT_COMMITTER_EMAIL: 't@example.com',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_CONFIG_NOSYSTEM: '1',
});

/**
 * Makes `<root>/<name>.git` whose one commit holds `files` (an empty map: a repository with no commit at all),
 * served as GitHub serves: commits fetchable by id, partial clone filters honoured (unless `allowFilter` is
 * false, as an old or hostile server would). Returns the bare repository and the commit id ('' when empty).
 */
export function buildRepository(root: string, name: string, files: Record<string, RepoFile>, options: { allowFilter?: boolean } = {}): { bare: string; commit: string } {
	const env = fixedIdentity('2026-11-20T12:00:00Z');
	const git = (args: string[], cwd: string): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
	const bare = join(root, `${name}.git`);
	mkdirSync(dirname(bare), { recursive: true });
	let commit = '';
	if (Object.keys(files).length === 0) git(['init', '-q', '--bare', bare], root);
	else {
		const work = tempDir('cargo-trust-git-work-');
		for (const [path, content] of Object.entries(files)) {
			mkdirSync(dirname(join(work, path)), { recursive: true });
			if (typeof content === 'object' && 'symlink' in content) symlinkSync(content.symlink, join(work, path));
			else writeFileSync(join(work, path), content);
		}
		git(['init', '-q', '-b', 'main'], work);
		git(['add', '-A'], work);
		git(['commit', '-q', '-m', 'release'], work);
		commit = git(['rev-parse', 'HEAD'], work);
		git(['clone', '-q', '--bare', work, bare], root);
	}
	git(['config', 'uploadpack.allowFilter', options.allowFilter === false ? 'false' : 'true'], bare);
	git(['config', 'uploadpack.allowAnySHA1InWant', 'true'], bare);
	return { bare, commit };
}

/**
 * A repository whose one commit has `count` files (in folders of 1000), all with the same content, built with
 * fast-import so that even 100,000 entries take a second.
 */
export function buildWideRepository(root: string, name: string, count: number, extra: Record<string, string>): { bare: string; commit: string } {
	const bare = join(root, `${name}.git`);
	const env = fixedIdentity('2026-11-20T12:00:00Z');
	execFileSync('git', ['init', '-q', '--bare', bare], { env });
	const lines = ['blob', 'mark :1', 'data 5', 'same', ''];
	let mark = 2;
	const marks: [string, number][] = [];
	for (const [path, text] of Object.entries(extra)) {
		const bytes = Buffer.byteLength(text);
		lines.push('blob', `mark :${mark}`, `data ${bytes}`, text);
		marks.push([path, mark++]);
	}
	lines.push('commit refs/heads/main', 'committer t <t@example.com> 1700000000 +0000', 'data 4', 'wide');
	for (let i = 0; i < count; i++) lines.push(`M 100644 :1 d${Math.floor(i / 1000)}/f${i}.txt`);
	for (const [path, m] of marks) lines.push(`M 100644 :${m} ${path}`);
	lines.push('');
	execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, env, input: lines.join('\n') });
	execFileSync('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: bare, env });
	execFileSync('git', ['config', 'uploadpack.allowAnySHA1InWant', 'true'], { cwd: bare, env });
	return { bare, commit: execFileSync('git', ['rev-parse', 'main'], { cwd: bare, env, encoding: 'utf8' }).trim() };
}

/**
 * A git configuration, as a user's own: `https://github.com/` is rewritten to this server (plain http on
 * loopback). Returns the environment that points git at it and nothing else of the machine's configuration.
 */
export function testGitEnv(dir: string, serverUrl: string, path = process.env.PATH ?? ''): Record<string, string> {
	const file = join(dir, 'gitconfig');
	writeFileSync(file, `[url "${serverUrl}/"]\n\tinsteadOf = https://github.com/\n`);
	return { PATH: path, HOME: dir, GIT_CONFIG_GLOBAL: file };
}
