/**
 * Provenance (issue 14): what the tree-only fetch costs against a full clone, and how fast a warm re-check is.
 *
 * Three repositories with history are generated here (seeded, so every run builds the same bytes): Cargo
 * workspaces of Rust-like code in files of 2–40 KB, a few hundred commits each editing a few files and now and
 * then adding one, releases that bump the members' versions. They are served over smart HTTP by
 * `git http-backend` on 127.0.0.1 and reached as `https://github.com/o/<name>` through a user git configuration.
 *
 * 1. Per repository: CommitTrees' own fetch of the newest release (`--depth=1 --filter=blob:none`, then ls-tree)
 *    against `git clone --bare`, both weighed by the response bytes the server sent.
 * 2. A workspace of 30 packages published from those releases, served by our test registry: a cold pass of
 *    ProvenanceSource (as TrustSession builds it: RegistryClients, one CommitTrees), then warm passes of a
 *    restarted source answered from the verdict cache on disk, which must make no git request at all.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LockedPackage } from '../../server/src/engine/lockfile/types';
import type { ProvenanceFacts } from '../../server/src/engine/provenance/types';
import { nodeEnvironment } from '../../server/src/sources/environment';
import { CommitTrees } from '../../server/src/sources/git/commitTrees';
import { silentLogger } from '../../server/src/sources/log';
import { ProvenanceSource } from '../../server/src/sources/provenance/provenanceSource';
import { RegistryClients } from '../../server/src/sources/registry/registryClients';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { type GitHttpServer, startGitHttpServer, testGitEnv } from '../support/gitHttpServer';
import { type FakeCrate, RegistryServer } from '../support/registryServer';
import { CRATES_IO, lockedPackage } from '../unit/sources/crateSourceFixtures';
import type { BenchResult } from './runBench';
import { seededRandom } from '../support/seededRandom';

/** A repository to generate: its workspace members ('' is a single crate at the root), commits, and releases. */
interface RepoSpec {
	name: string;
	members: string[];
	commits: number;
	releases: number;
	seed: number;
}

const REPOS: RepoSpec[] = [
	{ name: 'netkit', members: ['netkit', 'netkit-codec', 'netkit-macros', 'netkit-util'], commits: 400, releases: 3, seed: 1 },
	{ name: 'tabular', members: ['tabular', 'tabular-derive'], commits: 300, releases: 5, seed: 2 },
	{ name: 'quickhash', members: [''], commits: 250, releases: 8, seed: 3 },
];

const WARM_ROUNDS = 5;

const WORDS = ['buffer', 'frame', 'len', 'offset', 'header', 'value', 'state', 'config', 'reader', 'writer', 'slot', 'index', 'count', 'limit', 'token', 'entry', 'key', 'node', 'chunk', 'cursor', 'error', 'result', 'input', 'output', 'window', 'span', 'field', 'codec', 'stream', 'handle'];
const TYPES = ['u8', 'u16', 'u32', 'u64', 'usize', 'i64', 'bool', '&[u8]', 'String', 'Vec<u8>', 'Option<usize>', 'Bytes'];

/** Rust-looking text: documented functions, structs and impls made of a small vocabulary, as real code repeats itself. */
class CodeWriter {
	constructor(private readonly random: () => number) {}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.random() * items.length)]!;
	}

	ident(): string {
		return `${this.pick(WORDS)}_${this.pick(WORDS)}`;
	}

	item(): string {
		const name = this.ident();
		if (this.random() < 0.3) {
			const fields = Array.from({ length: 2 + Math.floor(this.random() * 5) }, () => `    pub ${this.ident()}: ${this.pick(TYPES)},`);
			return `/// The ${this.pick(WORDS)} of a ${this.pick(WORDS)}, kept while the ${this.pick(WORDS)} is read.\n#[derive(Debug, Clone, Default)]\npub struct ${name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())} {\n${fields.join('\n')}\n}\n`;
		}
		const body = Array.from({ length: 3 + Math.floor(this.random() * 12) }, () => {
			const roll = this.random();
			if (roll < 0.3) return `    let ${this.ident()} = ${this.ident()}.${this.pick(WORDS)}(${Math.floor(this.random() * 4096)});`;
			if (roll < 0.5) return `    if ${this.ident()} > ${this.ident()} {\n        return Err(Error::${this.pick(WORDS)}(${this.ident()}));\n    }`;
			if (roll < 0.7) return `    for ${this.pick(WORDS)} in ${this.ident()}.iter() {\n        ${this.ident()} += ${this.pick(WORDS)}.len();\n    }`;
			return `    // The ${this.pick(WORDS)} may be shorter than the ${this.pick(WORDS)}: check before ${this.pick(WORDS)}.\n    ${this.ident()}.push(${this.ident()});`;
		});
		return `/// Returns the ${this.pick(WORDS)} of \`${this.pick(WORDS)}\` after ${this.pick(WORDS)}.\npub fn ${name}(${this.ident()}: ${this.pick(TYPES)}, ${this.ident()}: ${this.pick(TYPES)}) -> Result<${this.pick(TYPES)}, Error> {\n${body.join('\n')}\n    Ok(Default::default())\n}\n`;
	}

	/** A file of about `bytes` bytes. */
	file(bytes: number): string {
		let text = 'use crate::error::Error;\n\n';
		while (text.length < bytes) text += `${this.item()}\n`;
		return text;
	}

	/** 2–40 KB, most files small, a few large (log-uniform). */
	size(): number {
		return Math.round(2048 * Math.pow(20, this.random()));
	}

	/** The file with a few items replaced or inserted: one commit's edit. */
	edit(text: string): string {
		const items = text.split('\n\n');
		for (let n = 1 + Math.floor(this.random() * 3); n > 0; n--) {
			const at = 1 + Math.floor(this.random() * (items.length - 1));
			if (this.random() < 0.6) items[at] = this.item().trimEnd();
			else items.splice(at, 0, this.item().trimEnd());
		}
		return items.join('\n\n');
	}
}

const memberCargoToml = (name: string, version: string, repo: string): string =>
	`[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\nlicense = "MIT OR Apache-2.0"\ndescription = "The ${name} crate."\nrepository = "https://github.com/o/${repo}"\n\n[dependencies]\n`;

interface Release {
	version: string;
	commit: string;
	/** Per member: its files at the release commit, relative to the member's directory. */
	members: Map<string, Record<string, string>>;
}

interface GeneratedRepo {
	spec: RepoSpec;
	releases: Release[];
}

/**
 * Writes `<root>/o/<name>.git` by fast-import (one process, a few seconds for hundreds of commits), then repacks it
 * with deltas as a forge's repository is, and lets it serve commits by id and partial clone filters as GitHub does.
 */
function generateRepository(root: string, spec: RepoSpec): GeneratedRepo {
	const random = seededRandom(spec.seed);
	const code = new CodeWriter(random);
	const dirOf = (member: string): string => (spec.members.length === 1 ? '' : `${member}/`);
	const memberNames = spec.members.map((member) => (member === '' ? spec.name : member));
	const files = new Map<string, string>();
	const put = (path: string, text: string): void => void files.set(path, text);
	if (spec.members.length > 1) put('Cargo.toml', `[workspace]\nmembers = [${memberNames.map((m) => `"${m}"`).join(', ')}]\nresolver = "2"\n`);
	put('README.md', `# ${spec.name}\n\n${Array.from({ length: 40 }, () => `The ${code.pick(WORDS)} keeps the ${code.pick(WORDS)} of each ${code.pick(WORDS)}.`).join(' ')}\n`);
	put('LICENSE-MIT', `MIT License\n\nCopyright (c) 2026 The ${spec.name} authors\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n`);
	put('.gitignore', '/target\n');
	for (const member of memberNames) {
		const dir = dirOf(member);
		put(`${dir}Cargo.toml`, memberCargoToml(member, '0.1.0', spec.name));
		put(`${dir}src/lib.rs`, `//! ${member}.\n\npub mod error;\n${code.file(code.size())}`);
		put(`${dir}src/error.rs`, code.file(2048));
		const modules = 6 + Math.floor(random() * 10);
		for (let i = 0; i < modules; i++) put(`${dir}src/${code.pick(WORDS)}_${i}.rs`, code.file(code.size()));
		for (let i = 0; i < 3; i++) put(`${dir}tests/${code.pick(WORDS)}_${i}.rs`, code.file(code.size()));
		put(`${dir}examples/basic.rs`, code.file(2048));
	}
	const lines: string[] = [];
	const data = (text: string): void => void lines.push(`data ${Buffer.byteLength(text)}`, text);
	const commitTo = (mark: number, time: number, message: string, changed: Iterable<string>): void => {
		lines.push('commit refs/heads/main', `mark :${mark}`, `committer t <t@example.com> ${time} +0000`);
		data(message);
		for (const path of changed) {
			lines.push(`M 100644 inline ${path}`);
			data(files.get(path)!);
		}
	};
	const start = 1_700_000_000;
	commitTo(1, start, 'Initial commit', files.keys());
	const releaseAt = new Map<number, string>();
	for (let r = 0; r < spec.releases; r++) releaseAt.set(Math.round(((r + 1) * spec.commits) / spec.releases), `0.${r + 1}.0`);
	const snapshots: { version: string; mark: number; files: Map<string, string> }[] = [];
	const sources = (): string[] => [...files.keys()].filter((path) => path.endsWith('.rs'));
	for (let n = 2; n <= spec.commits; n++) {
		const changed = new Set<string>();
		const version = releaseAt.get(n);
		if (version !== undefined) {
			for (const member of memberNames) {
				put(`${dirOf(member)}Cargo.toml`, memberCargoToml(member, version, spec.name));
				changed.add(`${dirOf(member)}Cargo.toml`);
			}
		} else if (n % 15 === 0) {
			const path = `${dirOf(code.pick(memberNames))}src/${code.pick(WORDS)}_${n}.rs`;
			put(path, code.file(code.size()));
			changed.add(path);
		} else {
			for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
				const path = code.pick(sources());
				put(path, code.edit(files.get(path)!));
				changed.add(path);
			}
		}
		commitTo(n, start + n * 3600, version ? `Release ${version}` : `Change ${[...changed].join(', ')}`, changed);
		if (version !== undefined) snapshots.push({ version, mark: n, files: new Map(files) });
	}
	lines.push('');
	const bare = join(root, 'o', `${spec.name}.git`);
	const marksFile = join(root, `${spec.name}.marks`);
	const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
	execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env });
	execFileSync('git', ['fast-import', '--quiet', `--export-marks=${marksFile}`], { cwd: bare, env, input: lines.join('\n'), maxBuffer: 64 * 1024 * 1024 });
	execFileSync('git', ['repack', '-a', '-d', '-q'], { cwd: bare, env });
	execFileSync('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: bare, env });
	execFileSync('git', ['config', 'uploadpack.allowAnySHA1InWant', 'true'], { cwd: bare, env });
	const marks = new Map(readFileSync(marksFile, 'utf8').trim().split('\n').map((line) => {
		const [mark, id] = line.split(' ');
		return [Number(mark!.slice(1)), id!] as const;
	}));
	const releases = snapshots.map(({ version, mark, files: at }): Release => {
		const members = new Map<string, Record<string, string>>();
		for (const member of memberNames) {
			const dir = dirOf(member);
			const own: Record<string, string> = {};
			for (const [path, text] of at) if (path.startsWith(dir)) own[path.slice(dir.length)] = text;
			members.set(member, own);
		}
		return { version, commit: marks.get(mark)!, members };
	});
	return { spec, releases };
}

/** What `cargo package` would publish of a member at a release: its files, Cargo.toml rewritten, the original kept. */
function publish(repo: GeneratedRepo, release: Release, member: string): { name: string; crate: Uint8Array } {
	const own = release.members.get(member)!;
	const pathInVcs = repo.spec.members.length === 1 ? '' : member;
	const files: Record<string, string> = {};
	for (const [path, text] of Object.entries(own)) if (path !== 'Cargo.toml') files[path] = text;
	const crate = buildCrate(member, release.version, {
		...files,
		'Cargo.toml': `# THIS FILE IS AUTOMATICALLY GENERATED BY CARGO\n${own['Cargo.toml']}`,
		'Cargo.toml.orig': own['Cargo.toml']!,
		'.cargo_vcs_info.json': JSON.stringify({ git: { sha1: release.commit }, path_in_vcs: pathInVcs }),
	});
	return { name: member, crate };
}

function dirBytes(dir: string): number {
	let total = 0;
	for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
	return total;
}

/** Runs `run` and returns its milliseconds and the bytes the git server sent meanwhile. */
async function weigh(git: GitHttpServer, run: () => Promise<void> | void): Promise<{ ms: number; bytes: number }> {
	const before = git.bytesSent;
	const started = performance.now();
	await run();
	return { ms: performance.now() - started, bytes: git.bytesSent - before };
}

export async function benchProvenance(): Promise<BenchResult[]> {
	const base = mkdtempSync(join(tmpdir(), 'cargo-trust-provenance-bench-'));
	const closers: (() => Promise<void>)[] = [];
	try {
		const served = join(base, 'served');
		mkdirSync(join(served, 'o'), { recursive: true });
		const buildStarted = performance.now();
		const repos = REPOS.map((spec) => generateRepository(served, spec));
		const buildMs = performance.now() - buildStarted;
		for (const spec of REPOS) rmSync(join(served, `${spec.name}.marks`));
		const git = await startGitHttpServer(served);
		closers.push(() => git.close());
		const home = join(base, 'git-home');
		mkdirSync(home);
		const gitEnv = testGitEnv(home, git.url);
		const signal = new AbortController().signal;
		const results: BenchResult[] = [{ name: 'provenance: generating the 3 repositories (fast-import, repack)', value: buildMs / 1000, unit: 's' }];

		// 1. Tree-only fetch against a full clone, per repository.
		let treeTotal = 0;
		let cloneTotal = 0;
		for (const repo of repos) {
			const url = `https://github.com/o/${repo.spec.name}`;
			const newest = repo.releases.at(-1)!;
			const trees = new CommitTrees({ cacheDir: join(base, `trees-${repo.spec.name}`), env: gitEnv, offline: false });
			let entries = 0;
			const tree = await weigh(git, async () => {
				const listing = await trees.list(url, newest.commit, '', () => true, signal);
				if (listing.status !== 'found') throw new Error(`tree-only fetch of ${url}: ${listing.reason}`);
				entries = listing.entries.size;
			});
			const treePack = dirBytes(join(trees.repoDir(url), 'objects', 'pack'));
			const cloneDir = join(base, `clone-${repo.spec.name}.git`);
			// Asynchronously: the git server answers from this very process.
			const clone = await weigh(git, async () => void (await promisify(execFile)('git', ['clone', '--quiet', '--bare', '--', url, cloneDir], { env: gitEnv })));
			const clonePack = dirBytes(join(cloneDir, 'objects', 'pack'));
			const commits = execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: cloneDir, env: gitEnv, encoding: 'utf8' }).trim();
			treeTotal += tree.bytes;
			cloneTotal += clone.bytes;
			const label = `provenance: ${repo.spec.name} (${commits} commits, ${entries} files at the release)`;
			results.push(
				{ name: `${label}: tree-only fetch, bytes sent (pack on disk ${treePack} B)`, value: tree.bytes / 1024, unit: 'KiB' },
				{ name: `${label}: tree-only fetch + ls-tree, time`, value: tree.ms, unit: 'ms' },
				{ name: `${label}: full clone --bare, bytes sent (pack on disk ${clonePack} B)`, value: clone.bytes / 1024, unit: 'KiB' },
				{ name: `${label}: full clone --bare, time`, value: clone.ms, unit: 'ms' },
				{ name: `${label}: tree-only / full clone, bytes`, value: (100 * tree.bytes) / clone.bytes, unit: '%' },
			);
		}
		results.push({ name: 'provenance: all 3 repositories, tree-only / full clone, bytes (target < 5 %)', value: (100 * treeTotal) / cloneTotal, unit: '%' });

		// 2. A workspace of packages published from every release, checked cold, then warm from the verdict cache.
		const published = repos.flatMap((repo) => repo.releases.flatMap((release) => [...release.members.keys()].map((member) => ({ ...publish(repo, release, member), version: release.version }))));
		const byName = new Map<string, FakeCrate>();
		for (const { name, version, crate } of published) {
			const entry = byName.get(name) ?? { name, versions: [] };
			entry.versions.push({ vers: version, pubtime: '2026-11-01T00:00:00Z', publishedBy: 'bench', crate });
			byName.set(name, entry);
		}
		const registry = await RegistryServer.start({ crates: [...byName.values()] });
		closers.push(() => registry.close());
		const workspace = join(base, 'workspace');
		mkdirSync(join(workspace, '.cargo'), { recursive: true });
		writeFileSync(join(workspace, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "bench"\n\n[source.bench]\nregistry = "sparse+${registry.indexUrl}"\n`);
		const pkgs: LockedPackage[] = published.map(({ name, version, crate }) => lockedPackage(name, version, CRATES_IO, sha256(crate)));
		const cacheDir = join(base, 'cache');
		const environment = { ...nodeEnvironment(), env: { ...gitEnv, CARGO_HOME: join(base, 'cargo-home') } };

		/** One pass as a fresh TrustSession would make it: its own RegistryClients, CommitTrees and ProvenanceSource. */
		const pass = async (): Promise<{ ms: number; bytes: number; gitRequests: number; registryRequests: number; statuses: Map<string, number>; fromCache: number }> => {
			const clients = new RegistryClients({ root: workspace, environment, cacheDir, trusted: true, offline: false, log: silentLogger });
			const trees = new CommitTrees({ cacheDir, env: environment.env, offline: false });
			const source = new ProvenanceSource({ cargoHome: clients.config.cargoHome, cacheDir, registries: clients, http: clients.http, trees, now: () => new Date(), log: silentLogger });
			const gitBefore = git.requests;
			const registryBefore = registry.requests.length;
			try {
				const { ms, bytes } = await weigh(git, () => source.fetch(pkgs, () => undefined, signal));
				const statuses = new Map<string, number>();
				let fromCache = 0;
				for (const pkg of pkgs) {
					const fact = source.peek(pkg);
					const status = fact?.status === 'known' ? (fact.value as ProvenanceFacts).status : `unknown: ${fact?.status === 'unknown' ? fact.reason : 'not checked'}`;
					statuses.set(status, (statuses.get(status) ?? 0) + 1);
					if (fact?.status === 'known' && fact.origin === 'cache') fromCache++;
				}
				return { ms, bytes, gitRequests: git.requests - gitBefore, registryRequests: registry.requests.length - registryBefore, statuses, fromCache };
			} finally {
				await clients.close();
			}
		};
		const cold = await pass();
		if (cold.statuses.get('verified') !== pkgs.length) throw new Error(`cold pass: expected ${pkgs.length} verified, got ${JSON.stringify([...cold.statuses])}`);
		const commits = new Set(repos.flatMap((repo) => repo.releases.map((release) => release.commit))).size;
		const warm: number[] = [];
		for (let round = 0; round < WARM_ROUNDS; round++) {
			const run = await pass();
			if (run.gitRequests !== 0) throw new Error(`warm pass made ${run.gitRequests} git requests`);
			if (run.fromCache !== pkgs.length || run.statuses.get('verified') !== pkgs.length) throw new Error(`warm pass: ${run.fromCache} of ${pkgs.length} from the cache, ${JSON.stringify([...run.statuses])}`);
			warm.push(run.ms);
		}
		warm.sort((a, b) => a - b);
		results.push(
			{ name: `provenance workspace: ${pkgs.length} packages from ${commits} release commits, cold (crates downloaded, ${cold.gitRequests} git requests)`, value: cold.ms / 1000, unit: 's' },
			{ name: 'provenance workspace: cold, per package', value: cold.ms / pkgs.length, unit: 'ms' },
			{ name: 'provenance workspace: cold, git bytes sent in all', value: cold.bytes / 1024, unit: 'KiB' },
			{ name: `provenance workspace: warm restart from the verdict cache, median of ${WARM_ROUNDS} (0 git requests; target < 100 ms)`, value: warm[Math.floor(warm.length / 2)]!, unit: 'ms' },
			{ name: `provenance workspace: warm restart, slowest of ${WARM_ROUNDS}`, value: warm.at(-1)!, unit: 'ms' },
		);
		return results;
	} finally {
		for (const close of closers.reverse()) await close();
		rmSync(base, { recursive: true, force: true });
	}
}
