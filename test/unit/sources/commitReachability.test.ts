/**
 * Imposter commits: whether a recorded commit is on a branch or tag of its repository, against a real repository
 * with history served over smart HTTP on 127.0.0.1. A commit pushed only to `refs/pull/1/head` (as a fork's pull
 * request is on GitHub) or left behind by a deleted branch is fetchable by id but on no branch or tag.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommitTrees } from '../../../server/src/sources/git/commitTrees';
import { type GitHttpServer, startGitHttpServer, testGitEnv } from '../../support/gitHttpServer';
import { tempDir } from '../../support/tempWorkspace';

const identity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Commits of `<root>/o/history.git`: on main, ancestors of main's head, on a tag only, on a pull request ref only, on a deleted branch. */
function buildHistory(root: string): Record<'early' | 'head' | 'tagged' | 'pull' | 'deleted', string> {
	const env = { ...process.env, ...identity };
	const work = tempDir('cargo-trust-git-work-');
	const bare = join(root, 'o', 'history.git');
	mkdirSync(bare, { recursive: true });
	const git = (args: string[], cwd = work): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
	const commit = (text: string): string => {
		writeFileSync(join(work, 'lib.rs'), text);
		git(['add', '-A']);
		git(['commit', '-q', '-m', text]);
		return git(['rev-parse', 'HEAD']);
	};
	git(['init', '-q', '--bare'], bare);
	git(['init', '-q', '-b', 'main']);
	const early = commit('// 1\n');
	commit('// 2\n');
	const head = commit('// 3\n');
	git(['checkout', '-q', '-b', 'release', early]);
	const tagged = commit('// release fix\n');
	git(['tag', '-a', '-m', 'v1.0.0', 'v1.0.0']);
	git(['checkout', '-q', '-b', 'fork', head]);
	const pull = commit('// from a fork\n');
	git(['checkout', '-q', '-b', 'gone', head]);
	const deleted = commit('// pushed, then its branch deleted\n');
	git(['push', '-q', bare, 'main', 'refs/tags/v1.0.0', 'gone', `${pull}:refs/pull/1/head`]);
	git(['branch', '-D', 'gone'], bare);
	git(['config', 'uploadpack.allowFilter', 'true'], bare);
	git(['config', 'uploadpack.allowAnySHA1InWant', 'true'], bare);
	return { early, head, tagged, pull, deleted };
}

void describe('commit reachability from branches and tags', () => {
	let server: GitHttpServer;
	let base: string;
	let commits: ReturnType<typeof buildHistory>;
	let trees: CommitTrees;
	const url = 'https://github.com/o/history';
	const signal = new AbortController().signal;

	before(async () => {
		base = tempDir();
		commits = buildHistory(join(base, 'served'));
		server = await startGitHttpServer(join(base, 'served'));
		mkdirSync(join(base, 'home'));
		trees = new CommitTrees({ cacheDir: join(base, 'cache'), env: testGitEnv(join(base, 'home'), server.url), offline: false });
		// As after the default check: each commit fetched alone with --depth=1, so the clone is shallow.
		for (const commit of Object.values(commits)) assert.equal((await trees.list(url, commit, '', () => true, signal)).status, 'found');
	});

	after(() => server.close());

	void it('finds a commit on a branch, even below a commit that was fetched shallow', async () => {
		assert.deepEqual(await trees.reachability(url, commits.head, signal), { reachable: true, via: 'refs/heads/main', reason: null });
		assert.deepEqual(await trees.reachability(url, commits.early, signal), { reachable: true, via: 'refs/heads/main', reason: null });
	});

	void it('finds a commit that only an annotated tag holds', async () => {
		assert.deepEqual(await trees.reachability(url, commits.tagged, signal), { reachable: true, via: 'refs/tags/v1.0.0', reason: null });
	});

	void it('reports a commit only on refs/pull/1/head, or on a deleted branch, as on no branch or tag', async () => {
		assert.deepEqual(await trees.reachability(url, commits.pull, signal), { reachable: false, via: null, reason: null });
		assert.deepEqual(await trees.reachability(url, commits.deleted, signal), { reachable: false, via: null, reason: null });
	});

	void it('says why when it cannot tell: offline, or a server that is not there', async () => {
		const offline = new CommitTrees({ cacheDir: join(base, 'cache'), env: testGitEnv(join(base, 'home'), server.url), offline: true });
		const answer = await offline.reachability(url, commits.head, signal);
		assert.equal(answer.reachable, null);
		assert.match(answer.reason ?? '', /offline/);
		const missing = await trees.reachability('https://github.com/o/nothing-here', commits.head, signal);
		assert.equal(missing.reachable, null);
		assert.match(missing.reason ?? '', /fetching the branches and tags of https:\/\/github\.com\/o\/nothing-here/);
	});
});
