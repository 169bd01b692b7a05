/**
 * `cargo-trust check --format json` on a workspace whose crates come from the test registry and whose
 * repositories are on the test git server (reached as https://github.com/… through the user's git configuration):
 * the `provenance` field, file for file; `--no-provenance` says why it is null; a second run answers from the cache.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildCrate } from '../support/crateBuilder';
import { buildRepository, type GitHttpServer, startGitHttpServer, testGitEnv } from '../support/gitHttpServer';
import { repoRoot } from '../support/paths';
import { publishedOnce, writeRegistryApp } from '../support/registryApp';
import { RegistryServer } from '../support/registryServer';
import { runCliAsync } from '../support/runCli';
import { tempDir } from '../support/tempWorkspace';

const manifest = (name: string): string => `[package]\nname = "${name}"\nversion = "1.0.0"\nrepository = "https://github.com/o/${name}"\n`;
const published = (name: string, sha1: string, files: Record<string, string>): Uint8Array =>
	buildCrate(name, '1.0.0', { 'Cargo.toml': `# generated\n${manifest(name)}`, 'Cargo.toml.orig': manifest(name), '.cargo_vcs_info.json': JSON.stringify({ git: { sha1 }, path_in_vcs: '' }), ...files });

interface Provenance {
	status: string;
	repository: string | null;
	commit: string | null;
	pathInVcs: string | null;
	dirty: boolean | null;
	modified: string[] | null;
	added: string[] | null;
	reason: string | null;
	reachable: boolean | null;
	reachableVia: string | null;
}

void describe('provenance in cargo-trust check', () => {
	let registry: RegistryServer;
	let git: GitHttpServer;
	after(async () => {
		await registry.close();
		await git.close();
	});

	void it('reports each crate against its repository, skips on --no-provenance, and answers from the cache', async () => {
		const base = tempDir();
		const served = join(base, 'served');
		const good = buildRepository(join(served, 'o'), 'good', { 'Cargo.toml': manifest('good'), 'src/lib.rs': 'pub fn a() {}\n' }).commit;
		const bad = buildRepository(join(served, 'o'), 'bad', { 'Cargo.toml': manifest('bad'), 'src/lib.rs': 'pub fn b() {}\n' }).commit;
		git = await startGitHttpServer(served);
		const crates = {
			good: published('good', good, { 'src/lib.rs': 'pub fn a() {}\n' }),
			bad: published('bad', bad, { 'src/lib.rs': 'pub fn b() { std::process::exit(1) }\n', 'build.rs': 'fn main() {}\n' }),
		};
		registry = await RegistryServer.start({ crates: publishedOnce(crates) });
		const dir = join(base, 'ws');
		writeRegistryApp(dir, crates, registry.indexUrl);
		mkdirSync(join(base, 'home'));
		const env = { ...testGitEnv(join(base, 'home'), git.url), CARGO_HOME: join(base, 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(base, 'cache') };
		const args = ['check', dir, '--advisory-db', join(repoRoot, 'examples', 'advisory-db'), '--format', 'json'];
		type Report = { data: { provenance?: { status: string; reason: string | null } }; packages: { name: string; provenance: Provenance | null; provenanceReason: string | null }[] };
		const byName = (report: Report, name: string) => report.packages.find((p) => p.name === name)!;

		const run = await runCliAsync(args, env);
		assert.equal(run.status, 0, run.stderr);
		const report = JSON.parse(run.stdout) as Report;
		assert.deepEqual(report.data.provenance, { status: 'enabled', reason: null });
		const common = { pathInVcs: '', dirty: false, reason: null, repositorySymlinks: [], skipped: [], reachable: null, reachableVia: null, reachableReason: 'not checked (--deep-provenance checks that the commit is on a branch or tag)' };
		assert.deepEqual(byName(report, 'good').provenance, { status: 'verified', repository: 'https://github.com/o/good', commit: good, modified: [], added: [], ...common });
		assert.deepEqual(byName(report, 'bad').provenance, { status: 'modified', repository: 'https://github.com/o/bad', commit: bad, modified: ['src/lib.rs'], added: ['build.rs'], ...common });
		assert.equal(byName(report, 'app').provenance, null);
		assert.match(byName(report, 'app').provenanceReason ?? '', /registry packages only/);

		const skipped = JSON.parse((await runCliAsync([...args, '--no-provenance'], env)).stdout) as Report;
		assert.deepEqual(skipped.data.provenance, { status: 'disabled', reason: 'provenance was not checked (--no-provenance)' });
		assert.deepEqual([byName(skipped, 'good').provenance, byName(skipped, 'good').provenanceReason], [null, null], 'the reason is given once, in data');

		const deep = JSON.parse((await runCliAsync([...args, '--deep-provenance'], env)).stdout) as Report;
		assert.deepEqual(byName(deep, 'good').provenance, { status: 'verified', repository: 'https://github.com/o/good', commit: good, modified: [], added: [], ...common, reachable: true, reachableVia: 'refs/heads/main', reachableReason: null });
		assert.equal(byName(deep, 'bad').provenance?.reachableVia, 'refs/heads/main');

		const requests = git.requests;
		const again = JSON.parse((await runCliAsync([...args, '--offline'], env)).stdout) as Report;
		assert.equal(byName(again, 'bad').provenance?.status, 'modified');
		assert.equal(git.requests, requests, 'answered from the verdict cache');
	});
});
