/**
 * Paths are computed on demand, and must be exactly the ones the former eager computation stored: for every package,
 * every non-member direct dependency it is reached from, in ascending order, with the first shortest path a
 * breadth-first search finds. The reference below is that former code, kept here as the oracle.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAdvisoryIndex } from '../../../server/src/engine/advisory/advisoryIndex';
import type { Advisory } from '../../../server/src/engine/advisory/types';
import { analyzeWorkspace } from '../../../server/src/engine/analyze';
import { known } from '../../../server/src/engine/facts';
import { compareFindings, type Finding } from '../../../server/src/engine/findings';
import { parseLockfile } from '../../../server/src/engine/lockfile/parseLockfile';
import { parseManifest } from '../../../server/src/engine/manifest/parseManifest';
import { buildPolicy } from '../../../server/src/engine/policy';
import { resolveWorkspace, type TransitivePath } from '../../../server/src/engine/resolve';
import { advisoryMessage } from '../../../server/src/engine/rules/advisories';
import { syntheticName, syntheticWorkspace } from '../../support/syntheticWorkspace';

/** The former eager computation: breadth-first from each direct package, recording every package's path. */
function eagerShortestPaths(directs: readonly number[], isMember: readonly boolean[], lockDependencies: readonly number[][]): TransitivePath[][] {
	const count = lockDependencies.length;
	const paths: TransitivePath[][] = Array.from({ length: count }, () => []);
	const parent = new Int32Array(count);
	const queue = new Int32Array(count);
	for (const direct of directs) {
		parent.fill(-2);
		parent[direct] = -1;
		let head = 0;
		let tail = 0;
		queue[tail++] = direct;
		while (head < tail) {
			const current = queue[head++]!;
			const path: number[] = [];
			for (let index = current; index !== -1; index = parent[index]!) path.push(index);
			paths[current]!.push({ direct, path: path.reverse() });
			for (const next of lockDependencies[current]!) {
				if (parent[next] !== -2 || isMember[next]) continue;
				parent[next] = current;
				queue[tail++] = next;
			}
		}
	}
	return paths;
}

const cases = [
	{ packages: 60, directs: 8, dependenciesEach: 2, seed: 1 },
	{ packages: 300, directs: 40, dependenciesEach: 3, seed: 7 },
	{ packages: 400, directs: 120, dependenciesEach: 4, seed: 42 },
];

function resolved(options: (typeof cases)[number]) {
	const ws = syntheticWorkspace(options);
	const lock = parseLockfile(ws.lockfile).value;
	const manifest = parseManifest(ws.manifest).value;
	const { value } = resolveWorkspace([{ manifestPath: '/ws/Cargo.toml', manifest }], lock);
	const isMember = lock.packages.map((pkg) => pkg.name === 'app');
	const directs = lock.packages.flatMap((pkg) => (value.direct[pkg.index] && !isMember[pkg.index] ? [pkg.index] : []));
	return { ws, lock, value, reference: eagerShortestPaths(directs, isMember, value.lockDependencies) };
}

describe('dependency paths on demand', () => {
	for (const options of cases) {
		test(`the same paths as the eager computation: ${options.packages} packages, ${options.directs} direct`, () => {
			const { lock, value, reference } = resolved(options);
			assert.equal(lock.packages.length, options.packages + 1);
			let pairs = 0;
			for (const pkg of lock.packages) {
				assert.deepEqual(value.reachedFrom(pkg.index), reference[pkg.index], pkg.name);
				pairs += reference[pkg.index]!.length;
			}
			for (const direct of value.paths.directs) {
				const expected = lock.packages.filter((pkg) => reference[pkg.index]!.some((r) => r.direct === direct)).map((pkg) => pkg.index);
				assert.deepEqual(value.paths.reachableFrom(direct), expected);
			}
			assert.ok(pairs > options.packages, 'the graph has many paths (the case is not trivial)');
		});
	}

	test('the member and unknown indexes are reached from nothing', () => {
		const { lock, value } = resolved(cases[0]!);
		const app = lock.packages.find((pkg) => pkg.name === 'app')!.index;
		assert.deepEqual(value.reachedFrom(app), []);
		assert.deepEqual(value.paths.directsReaching(-1), []);
		assert.deepEqual(value.paths.reachableFrom(app), []);
		assert.equal(value.paths.path(app, 0), undefined);
	});

	test('a rolled-up advisory finding sits on the entry with the shortest eager path, the others related', () => {
		const options = cases[1]!;
		const { ws, lock, reference } = resolved(options);
		// Advisories on a spread of transitive packages (none declared in the manifest).
		const targets = [options.directs + 5, options.packages / 2, options.packages - 3].map((n) => lock.packages.find((pkg) => pkg.name === syntheticName(n))!);
		const advisories = targets.map((pkg, i): Advisory => ({
			id: `RUSTSEC-2026-000${i + 1}`,
			package: pkg.name,
			kind: 'vulnerability',
			title: `Problem ${i + 1}`,
			description: '',
			date: '2026-01-01',
			url: undefined,
			aliases: [],
			related: [],
			categories: [],
			cvss: undefined,
			informational: undefined,
			withdrawn: undefined,
			patched: ['>= 2.0.0'],
			unaffected: [],
			affected: [{ introduced: '0.0.0-0', fixed: '2.0.0' }],
			affectedFunctions: {},
			affectedOs: [],
			affectedArch: [],
			source: undefined,
			file: '',
		}));
		const facts = { advisories: known(buildAdvisoryIndex(advisories), 'test', null), release: () => undefined, unsafe: () => undefined };
		const input = { root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text: ws.manifest }], lockfile: { path: '/ws/Cargo.lock', text: ws.lockfile }, problems: [] };
		const analysis = analyzeWorkspace(input, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
		const dependencyKey = new Map(analysis.manifests[0]!.deps.map((dep) => [dep.lockIndex!, dep.spec.keyRange]));

		const expected: Finding[] = [];
		targets.forEach((pkg, i) => {
			// One row per manifest: the shortest path wins, then file order; every other direct dependency is related.
			const [best, ...others] = [...reference[pkg.index]!].sort((a, b) => a.path.length - b.path.length || dependencyKey.get(a.direct)!.start - dependencyKey.get(b.direct)!.start);
			const via = (path: number[]): string[] => path.slice(0, -1).map((index) => lock.packages[index]!.name);
			const related = others
				.map(({ direct, path }) => ({ file: '/ws/Cargo.toml', range: dependencyKey.get(direct)!, message: `${lock.packages[direct]!.name} also brings in ${pkg.name} 1.0.0 via ${via(path).join(' → ')}` }))
				.sort((a, b) => a.range.start - b.range.start);
			expected.push({
				file: '/ws/Cargo.toml',
				range: dependencyKey.get(best!.direct)!,
				severity: 'error',
				code: advisories[i]!.id,
				message: advisoryMessage(pkg, advisories[i]!, via(best!.path)),
				package: `${pkg.name}@1.0.0`,
				href: `https://rustsec.org/advisories/${advisories[i]!.id}.html`,
				...(related.length ? { related } : {}),
				data: { signal: 'advisory', package: `${pkg.name}@1.0.0`, advisory: { id: advisories[i]!.id, kind: advisories[i]!.kind, patched: advisories[i]!.patched, unaffected: advisories[i]!.unaffected } },
			});
		});
		expected.sort(compareFindings);
		const actual = analysis.findings.filter((f) => f.file === '/ws/Cargo.toml' && f.code.startsWith('RUSTSEC-'));
		assert.ok(expected.reduce((n, finding) => n + (finding.related?.length ?? 0), 0) > 1, 'the advisories are reached from several direct dependencies');
		assert.deepEqual(actual, expected);
	});
});
