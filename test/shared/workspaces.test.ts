/**
 * The real workspaces of the shared data (wasmtime, an older wasmtime, rust-analyzer): every manifest and lockfile
 * parses cleanly, both lockfile readers agree, members are found the way cargo finds them, and every direct
 * dependency of every member resolves to a locked package (a real workspace's lockfile is never out of date).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { parseLockfile, parseLockfileWithToml } from '../../server/src/engine/lockfile/parseLockfile';
import { scanCanonicalLockfile } from '../../server/src/engine/lockfile/scanCanonicalLockfile';
import { parseManifest, type ManifestOptions } from '../../server/src/engine/manifest/parseManifest';
import type { Manifest } from '../../server/src/engine/manifest/types';
import { isExcludedFromWorkspace, isWorkspaceMember } from '../../server/src/engine/manifest/workspaceMembers';
import { resolveWorkspace } from '../../server/src/engine/resolve';
import { sharedDataDir } from '../support/paths';

const dataDir = sharedDataDir();
const skip = dataDir ? false : '../shared/data is absent';
const workspacesDir = join(dataDir ?? '', 'workspaces');

/** Directories under `root` (relative, POSIX), skipping build output and VCS metadata. */
function directories(root: string, dir = ''): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
		if (!entry.isDirectory() || entry.name === 'target' || entry.name === '.git') continue;
		const child = dir ? `${dir}/${entry.name}` : entry.name;
		found.push(child, ...directories(root, child));
	}
	return found;
}

function filesNamed(root: string, name: string): string[] {
	return ['', ...directories(root)].map((dir) => join(root, dir, name)).filter((path) => existsSync(path));
}

const roots = new Map<string, Manifest | undefined>();

/** The nearest manifest at or above `dir` with a `[workspace]` table: what `workspace = true` inherits from. */
function inheritanceFor(dir: string): ManifestOptions {
	for (let current = dir; current.startsWith(workspacesDir); current = dirname(current)) {
		const path = join(current, 'Cargo.toml');
		if (!roots.has(path)) roots.set(path, existsSync(path) ? parseManifest(readFileSync(path, 'utf8')).value : undefined);
		const manifest = roots.get(path);
		if (manifest?.workspace) return { workspaceDependencies: manifest.workspace.dependencies, workspacePackage: manifest.workspacePackage ?? {} };
	}
	return {};
}

test('every Cargo.toml parses without problems', { skip }, (t) => {
	const failures: string[] = [];
	const files = filesNamed(workspacesDir, 'Cargo.toml');
	let dependencies = 0;
	for (const file of files) {
		const { value, problems } = parseManifest(readFileSync(file, 'utf8'), inheritanceFor(dirname(file)));
		dependencies += value.dependencies.length;
		for (const problem of problems) failures.push(`${relative(workspacesDir, file)}: ${problem.message}`);
	}
	t.diagnostic(`${files.length} manifests, ${dependencies} dependencies`);
	assert.deepEqual(failures, []);
});

test('every Cargo.lock takes the fast path, without problems, and the parser path reads the same model', { skip }, (t) => {
	for (const file of filesNamed(workspacesDir, 'Cargo.lock')) {
		const text = readFileSync(file, 'utf8');
		const fast = scanCanonicalLockfile(text);
		assert.ok(fast, `${file} is in cargo's layout`);
		assert.deepEqual(fast.problems, [], file);
		assert.deepEqual(fast, parseLockfileWithToml(text), file);
	}
	const text = readFileSync(join(workspacesDir, 'wasmtime', 'Cargo.lock'), 'utf8');
	const time = (parse: (text: string) => unknown): number => {
		const started = performance.now();
		parse(text);
		return performance.now() - started;
	};
	// The best of a few runs: the first ones pay for compiling the code.
	const best = (parse: (text: string) => unknown): number => Math.min(...[1, 2, 3, 4, 5].map(() => time(parse)));
	t.diagnostic(`wasmtime Cargo.lock (${text.length} characters): fast path ${best(parseLockfile).toFixed(1)} ms, parser path ${best(parseLockfileWithToml).toFixed(1)} ms`);
});

/**
 * Members as cargo finds them: the root, the directories `workspace.members` matches (unless excluded), and,
 * transitively, path dependencies inside the root that are not excluded.
 */
function findMembers(root: string): { manifestPath: string; manifest: Manifest }[] {
	const rootManifest = parseManifest(readFileSync(join(root, 'Cargo.toml'), 'utf8')).value;
	const { members = [], exclude = [] } = rootManifest.workspace ?? {};
	const options = inheritanceFor(root);
	const found = new Map<string, Manifest>([[join(root, 'Cargo.toml'), rootManifest]]);
	const queue = [root];
	const add = (dir: string): void => {
		const path = join(dir, 'Cargo.toml');
		if (found.has(path) || !existsSync(path)) return;
		found.set(path, parseManifest(readFileSync(path, 'utf8'), options).value);
		queue.push(dir);
	};
	for (const dir of directories(root)) if (isWorkspaceMember(dir, members, exclude)) add(join(root, dir));
	for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
		for (const dep of found.get(join(dir, 'Cargo.toml'))!.dependencies) {
			if (dep.source.kind !== 'path') continue;
			// An inherited path is written in the root's `[workspace.dependencies]`, relative to the root.
			const target = resolve(dep.inheritsFromWorkspace ? root : dir, dep.source.path);
			const rel = relative(root, target);
			if (!rel.startsWith('..') && !isExcludedFromWorkspace(rel, members, exclude)) add(target);
		}
	}
	return [...found].map(([manifestPath, manifest]) => ({ manifestPath, manifest }));
}

for (const name of ['wasmtime', 'wasmtime-2024-01', 'rust-analyzer']) {
	test(`${name}: every direct dependency of every member resolves to a locked package`, { skip }, (t) => {
		const root = join(workspacesDir, name);
		const members = findMembers(root);
		const lockfile = parseLockfile(readFileSync(join(root, 'Cargo.lock'), 'utf8')).value;
		const { value, problems } = resolveWorkspace(members, lockfile);
		// The best of a few runs: the first ones pay for compiling the code.
		let elapsed = Infinity;
		for (let run = 0; run < 5; run++) {
			const started = performance.now();
			resolveWorkspace(members, lockfile);
			elapsed = Math.min(elapsed, performance.now() - started);
		}
		const unresolved = value.members.flatMap((member) =>
			member.dependencies.flatMap(({ spec, unresolved }) => (unresolved ? [`${relative(root, member.manifestPath)}: ${spec.key}: ${unresolved.message}`] : [])),
		);
		assert.deepEqual(unresolved, []);
		assert.deepEqual(problems, []);
		// Every member with a [package] found its own locked package.
		assert.deepEqual(
			value.members.filter((member, i) => member.packageIndex === undefined && members[i]!.manifest.packageName !== undefined).map((member) => member.manifestPath),
			[],
		);
		const memberPackages = new Set(value.members.map((member) => member.packageIndex));
		// Path packages that are not members: path dependencies in an excluded directory (wasmtime-2024-01's `witx`).
		const otherPathPackages = lockfile.packages.filter((pkg) => pkg.source.kind === 'path' && !memberPackages.has(pkg.index)).map((pkg) => pkg.name);
		const dependencies = value.members.reduce((count, member) => count + member.dependencies.length, 0);
		const reached = lockfile.packages.filter((pkg) => value.paths.directsReaching(pkg.index).length > 0).length;
		t.diagnostic(
			`${members.length} members, ${dependencies} dependencies, ${lockfile.packages.length} locked packages (${value.direct.filter(Boolean).length} direct, ${reached} reached from a direct one, non-member path packages: ${otherPathPackages.join(', ') || 'none'}); resolved in ${elapsed.toFixed(1)} ms`,
		);
	});
}
