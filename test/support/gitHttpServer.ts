/**
 * A real git server for tests: git's own smart-HTTP CGI (`git http-backend`) behind node:http on 127.0.0.1,
 * serving the bare repositories under a directory. Counts requests so tests can prove offline means no traffic.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync } from 'node:fs';
import { tempDir } from './tempWorkspace';
import { join } from 'node:path';

export interface GitHttpServer {
	url: string;
	requests: number;
	close(): Promise<void>;
}

export async function startGitHttpServer(projectRoot: string): Promise<GitHttpServer> {
	const state = { requests: 0 };
	const server: Server = createServer((request, response) => {
		state.requests++;
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
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
			if (headersDone) return void response.write(chunk);
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
		close: () => new Promise((resolve) => server.close(() => resolve())),
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
