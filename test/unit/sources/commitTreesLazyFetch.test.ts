/**
 * CommitTrees never lets git fetch on its own. Once a commit was fetched into a bare partial clone, git treats
 * the repository as a promisor remote, and any read of a missing object (`cat-file -e <commit>`, as the check
 * whether a commit is already there) would silently fetch it with its whole history, outside our depth, size
 * limit and offline setting. Every fetch must be the explicit, bounded one.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommitTrees } from '../../../server/src/sources/git/commitTrees';
import { type GitHttpServer, startGitHttpServer, testGitEnv } from '../../support/gitHttpServer';
import { tempDir } from '../../support/tempWorkspace';

const identity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** `<served>/o/history.git` with three commits in a line, each changing src/lib.rs; returns them oldest first. */
function buildHistory(served: string): string[] {
	const env = { ...process.env, ...identity };
	const work = tempDir('cargo-trust-git-work-');
	const git = (args: string[], cwd = work): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
	git(['init', '-q', '-b', 'main']);
	mkdirSync(join(work, 'src'));
	const commits: string[] = [];
	for (const n of [1, 2, 3]) {
		writeFileSync(join(work, 'src', 'lib.rs'), `pub fn version() -> u32 { ${n} }\n`);
		git(['add', '-A']);
		git(['commit', '-q', '-m', `v${n}`]);
		commits.push(git(['rev-parse', 'HEAD']));
	}
	const bare = join(served, 'o', 'history.git');
	mkdirSync(join(served, 'o'), { recursive: true });
	git(['clone', '-q', '--bare', work, bare], served);
	git(['config', 'uploadpack.allowFilter', 'true'], bare);
	git(['config', 'uploadpack.allowAnySHA1InWant', 'true'], bare);
	return commits;
}

void describe('CommitTrees: no fetch behind our back', () => {
	let server: GitHttpServer;
	let base: string;
	let env: Record<string, string>;
	let commits: string[];
	const url = 'https://github.com/o/history';
	const signal = new AbortController().signal;
	const all = (): boolean => true;

	before(async () => {
		base = tempDir();
		commits = buildHistory(join(base, 'served'));
		server = await startGitHttpServer(join(base, 'served'));
		env = testGitEnv(base, server.url);
	});
	after(() => server.close());

	void it('fetches a second commit of a repository alone (depth 1), not with its history', async () => {
		const cacheDir = join(base, 'cache-online');
		const trees = new CommitTrees({ cacheDir, env, offline: false });
		assert.equal((await trees.list(url, commits[2]!, '', all, signal)).status, 'found');
		assert.equal((await trees.list(url, commits[1]!, '', all, signal)).status, 'found');
		const objects = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)'], { cwd: trees.repoDir(url), env: { ...env, GIT_NO_LAZY_FETCH: '1' }, encoding: 'utf8' });
		// The two commits asked for; the oldest, never asked for, is not there.
		assert.equal(objects.split('\n').filter((type) => type === 'commit').length, 2);
	});

	void it('offline, makes no request for a commit not fetched before, even in a repository fetched before', async () => {
		const cacheDir = join(base, 'cache-offline');
		assert.equal((await new CommitTrees({ cacheDir, env, offline: false }).list(url, commits[2]!, '', all, signal)).status, 'found');
		const requests = server.requests;
		const offline = await new CommitTrees({ cacheDir, env, offline: true }).list(url, commits[1]!, '', all, signal);
		assert.equal(offline.status, 'unreachable');
		assert.match(offline.status === 'unreachable' ? offline.reason : '', /offline/);
		assert.equal(server.requests, requests);
	});
});
