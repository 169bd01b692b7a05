/**
 * UnsafeFactsSource end to end: crates built here, served by a registry server of our own or extracted in a
 * private CARGO_HOME, located, verified, counted and read for capabilities; the disk cache answering a restart
 * without a request or a re-count; cancellation; failures as unknown facts, never as exceptions.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseTOML } from 'toml-eslint-parser';
import type { Fact } from '../../../server/src/engine/facts';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import type { UnsafeFacts } from '../../../server/src/engine/unsafe/types';
import type { Logger } from '../../../server/src/sources/log';
import { cacheKeyOf, COUNTER_VERSION } from '../../../server/src/sources/unsafeScan/unsafeFactsCache';
import { UnsafeFactsSource, type UnsafeFactsSourceOptions } from '../../../server/src/sources/unsafeScan/unsafeFactsSource';
import { checksumOf, type FakeCrate, RegistryServer } from '../../support/registryServer';
import { cleanUpSandboxes, CRATES_IO, crateFile, extractedPackage, lockedPackage, type Sandbox, sandbox, sha256, writeTree } from './crateSourceFixtures';
import { replaceCratesIo } from '../../support/registryApp';

const COUNTED_AT = '2026-01-02T03:04:05.000Z';
const manifest = (name: string, version: string, extra = ''): string => `[package]\nname = "${name}"\nversion = "${version}"\n${extra}`;

const BETA_LIB = `pub unsafe fn a() {}
pub unsafe extern "C" fn b() {}
unsafe impl Send for X {}
pub unsafe trait T {}
unsafe auto trait U {}
unsafe extern "C" { fn c(); }
#[unsafe(no_mangle)] pub fn d() { unsafe { a() } }
// unsafe { in a comment }
const S: &str = "unsafe {";
macro_rules! m { () => { unsafe { } } }
`;

const crates: FakeCrate[] = [
	{ name: 'alpha', versions: [{ vers: '1.0.0', crate: crateFile('alpha', '1.0.0', { 'Cargo.toml': manifest('alpha', '1.0.0'), 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn f() {}\n' }) }] },
	{
		name: 'beta',
		versions: [
			{
				vers: '0.2.0',
				crate: crateFile('beta', '0.2.0', {
					'Cargo.toml': manifest('beta', '0.2.0', 'links = "beta-native"\n'),
					'build.rs': 'fn main() { unsafe {} }\n',
					'src/lib.rs': BETA_LIB,
					'tests/t.rs': 'unsafe {} unsafe fn x() {}',
					'benches/b.rs': 'unsafe {}',
				}),
			},
		],
	},
	{
		name: 'gamma',
		versions: [{ vers: '0.1.0', crate: crateFile('gamma', '0.1.0', { 'Cargo.toml': manifest('gamma', '0.1.0', '\n[lib]\nproc-macro = true\npath = "src/macros.rs"\n'), 'src/macros.rs': '#![forbid(unsafe_code)]\n' }) }],
	},
	{
		name: 'delta',
		versions: [
			{
				vers: '1.0.0',
				crate: crateFile('delta', '1.0.0', { 'Cargo.toml': manifest('delta', '1.0.0', 'build = false\n\n[lib]\nproc_macro = true\n'), 'build.rs': 'fn main() { unsafe {} }', 'src/lib.rs': '' }),
			},
		],
	},
	{ name: 'broken', versions: [{ vers: '1.0.0', crate: crateFile('broken', '1.0.0', { 'Cargo.toml': '[package\nname = ', 'src/lib.rs': 'unsafe {}' }) }] },
];

const zero = { blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 };
const noCapabilities = { buildScript: false, procMacro: false, links: null };

function registryPackage(name: string): LockedPackage {
	const version = crates.find((krate) => krate.name === name)?.versions[0];
	if (!version) throw new Error(`no test crate ${name}`);
	return lockedPackage(name, version.vers, CRATES_IO, checksumOf(name, version));
}

/** The `.crate` the registry server serves for `name`, as cargo would have cached it. */
function crateOf(name: string): Uint8Array {
	const krate = crates.find((candidate) => candidate.name === name)?.versions[0]?.crate;
	if (!krate) throw new Error(`no test crate ${name}`);
	return krate;
}

const downloaded = ['alpha', 'beta', 'gamma', 'delta'].map(registryPackage);

function source(sb: Sandbox, options: Partial<UnsafeFactsSourceOptions> = {}, warnings: string[] = []): UnsafeFactsSource {
	const log: Logger = { info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
	return new UnsafeFactsSource({ cargoHome: sb.cargoHome, cacheDir: sb.cacheDir, registries: sb.registries, http: sb.http, now: () => new Date(COUNTED_AT), log, ...options });
}

function fetchAll(facts: UnsafeFactsSource, pkgs: LockedPackage[], progress: [number, number][] = []): Promise<void> {
	return facts.fetch(pkgs, (done, total) => progress.push([done, total]), new AbortController().signal);
}

function knownValue(fact: Fact<UnsafeFacts> | undefined): UnsafeFacts {
	assert.equal(fact?.status, 'known', JSON.stringify(fact));
	if (fact?.status !== 'known') throw new Error('unreachable');
	return fact.value;
}

let server: RegistryServer;
before(async () => {
	server = await RegistryServer.start({ crates });
});
after(async () => {
	await server.close();
	await cleanUpSandboxes();
});

describe('UnsafeFactsSource', () => {
	test('counts and capabilities of downloaded and extracted crates', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const extracted = extractedPackage(sb.cargoHome, 'local-1.0.0', { 'Cargo.toml': manifest('local', '1.0.0'), 'src/main.rs': 'fn main() { unsafe {} }' }, 'local crate');
		const local = lockedPackage('local', '1.0.0', CRATES_IO, sha256('local crate'));
		const facts = source(sb);
		const progress: [number, number][] = [];
		await fetchAll(facts, [...downloaded, local], progress);
		assert.deepEqual(progress.at(-1), [5, 5]);
		assert.equal(progress.length, 5);
		const dl = (name: string, version: string): string => `download ${server.url}/api/v1/crates/${name}/${version}/download (sha256 matches Cargo.lock and the index)`;
		assert.deepEqual(facts.peek(downloaded[0]!), {
			status: 'known',
			value: { counts: zero, files: 1, forbidsUnsafe: true, capabilities: noCapabilities, anomalies: [], origin: dl('alpha', '1.0.0') },
			origin: dl('alpha', '1.0.0'),
			fetchedAt: COUNTED_AT,
			stale: false,
		});
		assert.deepEqual(knownValue(facts.peek(downloaded[1]!)), {
			// build.rs and src/lib.rs; tests/ and benches/ are not counted. The comment and the string are not code.
			counts: { blocks: 3, functions: 2, impls: 1, traits: 2, externBlocks: 1, attributes: 1 },
			files: 2,
			forbidsUnsafe: false,
			capabilities: { buildScript: true, procMacro: false, links: 'beta-native' },
			anomalies: [],
			origin: dl('beta', '0.2.0'),
		});
		const gamma = knownValue(facts.peek(downloaded[2]!));
		assert.deepEqual([gamma.forbidsUnsafe, gamma.capabilities], [true, { buildScript: false, procMacro: true, links: null }]);
		// `build = false` turns the build script off even though build.rs is there; it is still source, and counted.
		const delta = knownValue(facts.peek(downloaded[3]!));
		assert.deepEqual([delta.counts.blocks, delta.files, delta.capabilities], [1, 2, { buildScript: false, procMacro: true, links: null }]);
		// A binary-only package has no library root to forbid unsafe code in.
		assert.deepEqual(knownValue(facts.peek(local)), { counts: { ...zero, blocks: 1 }, files: 1, forbidsUnsafe: false, capabilities: noCapabilities, anomalies: [], origin: `registry source ${extracted}` });
	});

	test('a restart answers from the disk cache: no request, no re-count', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const extracted = extractedPackage(sb.cargoHome, 'local-1.0.0', { 'Cargo.toml': manifest('local', '1.0.0'), 'src/lib.rs': 'unsafe fn f() {}' }, 'local crate');
		const pkgs = [...downloaded, lockedPackage('local', '1.0.0', CRATES_IO, sha256('local crate'))];
		const first = source(sb);
		await fetchAll(first, pkgs);
		const requests = server.count();
		// Neither the registry nor the extracted copy can answer any more: only the cache can.
		rmSync(extracted, { recursive: true });
		const restarted = source(sb, { now: () => new Date('2030-01-01T00:00:00Z') });
		assert.equal(restarted.peek(pkgs[0]!), undefined);
		await fetchAll(restarted, pkgs);
		assert.equal(server.count(), requests);
		for (const pkg of pkgs) assert.deepEqual(restarted.peek(pkg), first.peek(pkg), pkg.name);
		assert.equal(readdirSync(join(sb.cacheDir, 'unsafe', `v${COUNTER_VERSION}`)).length, pkgs.length);
		// Known facts are final: fetching again reads nothing, not even the cache.
		rmSync(join(sb.cacheDir, 'unsafe'), { recursive: true });
		await fetchAll(restarted, pkgs);
		assert.equal(server.count(), requests);
		assert.deepEqual(restarted.peek(pkgs[1]!), first.peek(pkgs[1]!));
	});

	test('a damaged cache file is discarded, the package counted again, and the log says so', async () => {
		const sb = sandbox('', { offline: true });
		const lib = 'unsafe fn f() {}';
		const cases: [string, string][] = [
			['not JSON', '{"facts": {"counts"'],
			// JSON of the right outline with impossible values: a negative count and a time that is not one.
			['a negative count', JSON.stringify({ countedAt: COUNTED_AT, facts: { counts: { ...zero, blocks: -1 }, files: 1, forbidsUnsafe: false, capabilities: noCapabilities, anomalies: [], origin: 'x' } })],
			['countedAt not a time', JSON.stringify({ countedAt: 'yesterday', facts: { counts: zero, files: 1, forbidsUnsafe: false, capabilities: noCapabilities, anomalies: [], origin: 'x' } })],
			['an anomaly of the wrong shape', JSON.stringify({ countedAt: COUNTED_AT, facts: { counts: zero, files: 1, forbidsUnsafe: false, capabilities: noCapabilities, anomalies: [null], origin: 'x' } })],
		];
		for (const [index, [what, damaged]] of cases.entries()) {
			const name = `damaged${index}`;
			const dir = extractedPackage(sb.cargoHome, `${name}-1.0.0`, { 'Cargo.toml': manifest(name, '1.0.0'), 'src/lib.rs': lib }, name);
			const pkg = lockedPackage(name, '1.0.0', CRATES_IO, sha256(name));
			const file = join(sb.cacheDir, 'unsafe', `v${COUNTER_VERSION}`, cacheKeyOf(pkg).disk ?? '');
			writeTree(join(sb.cacheDir, 'unsafe', `v${COUNTER_VERSION}`), { [cacheKeyOf(pkg).disk ?? '']: damaged });
			const warnings: string[] = [];
			const facts = source(sb, {}, warnings);
			await fetchAll(facts, [pkg]);
			assert.deepEqual(knownValue(facts.peek(pkg)), { counts: { ...zero, functions: 1 }, files: 1, forbidsUnsafe: false, capabilities: noCapabilities, anomalies: [], origin: `registry source ${dir}` }, what);
			assert.equal(warnings.length, 1, `${what}: ${JSON.stringify(warnings)}`);
			assert.match(warnings[0] ?? '', new RegExp(`^unsafe: the cache file .*${name}@1\\.0\\.0.*\\.json is damaged \\(.+\\); discarded, counting again$`), what);
			// Counted again and written again, whole: a restart reads it without a word.
			const restarted: string[] = [];
			const again = source(sb, {}, restarted);
			await fetchAll(again, [pkg]);
			assert.deepEqual(again.peek(pkg), facts.peek(pkg), what);
			assert.deepEqual(restarted, [], what);
			assert.ok(readFileSync(file, 'utf8').includes('"countedAt"'), what);
		}
	});

	test('cancelling stops the loop after the package in hand; a later fetch finishes the rest', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const facts = source(sb, { concurrency: 1 });
		const controller = new AbortController();
		const progress: [number, number][] = [];
		await facts.fetch(downloaded, (done, total) => {
			progress.push([done, total]);
			controller.abort();
		}, controller.signal);
		assert.deepEqual(progress, [[1, 4]]);
		assert.deepEqual(downloaded.map((pkg) => facts.peek(pkg)?.status), ['known', undefined, undefined, undefined]);
		const resumed: [number, number][] = [];
		await fetchAll(facts, downloaded, resumed);
		assert.deepEqual(resumed.at(-1), [3, 3]);
		assert.deepEqual(downloaded.map((pkg) => facts.peek(pkg)?.status), ['known', 'known', 'known', 'known']);
	});

	test('failures are unknown facts with their reason, and the others are still counted', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const warnings: string[] = [];
		const path = lockedPackage('member', '0.1.0', undefined);
		const facts = source(sb, { pathFor: () => { throw new Error('the workspace reader broke'); } }, warnings);
		const wrong = { ...registryPackage('alpha'), checksum: 'f'.repeat(64) };
		await fetchAll(facts, [registryPackage('broken'), wrong, path, registryPackage('beta')]);
		assert.deepEqual(facts.peek(registryPackage('broken')), { status: 'unknown', reason: `download ${server.url}/api/v1/crates/broken/1.0.0/download (sha256 matches Cargo.lock and the index): Cargo.toml cannot be parsed: ${parseError()}` });
		assert.deepEqual(facts.peek(wrong), { status: 'unknown', reason: `the index ${server.indexUrl} says alpha-1.0.0.crate has sha256 ${registryPackage('alpha').checksum} but Cargo.lock says ${'f'.repeat(64)}; not downloaded` });
		assert.deepEqual(facts.peek(path), { status: 'unknown', reason: 'internal error while counting member 0.1.0: Error: the workspace reader broke' });
		assert.equal(facts.peek(registryPackage('beta'))?.status, 'known');
		// Packages are read concurrently, so the log's order is not fixed.
		assert.deepEqual(warnings.sort(), [
			`unsafe: alpha 1.0.0: ${(facts.peek(wrong) as { reason: string }).reason}`,
			'unsafe: internal error while counting member 0.1.0: Error: the workspace reader broke',
		]);
	});

	test('a path package is read again on every fetch and never cached on disk', async () => {
		const sb = sandbox('');
		const dir = join(sb.root, 'member');
		writeTree(dir, { 'Cargo.toml': manifest('member', '0.1.0'), 'src/lib.rs': 'unsafe {}' });
		const pkg = lockedPackage('member', '0.1.0', undefined);
		const facts = source(sb, { pathFor: () => dir });
		await fetchAll(facts, [pkg]);
		assert.equal(knownValue(facts.peek(pkg)).counts.blocks, 1);
		writeFileSync(join(dir, 'src/lib.rs'), 'unsafe {} unsafe {}');
		await fetchAll(facts, [pkg]);
		assert.equal(knownValue(facts.peek(pkg)).counts.blocks, 2);
		assert.deepEqual(readdirSync(sb.root).includes('cache'), false);
	});

	test('a package larger than one counting slice sums every slice and reads forbid in its library root', async () => {
		const sb = sandbox('');
		const dir = join(sb.root, 'big');
		// 300 kB files: the library root (in [lib] path) falls in the second slice of 512 kB, a missing one in none.
		const filler = `// ${'x'.repeat(300_000)}\nunsafe fn f() {}\n`;
		writeTree(dir, { 'Cargo.toml': manifest('big', '1.0.0', '\n[lib]\npath = "src/c.rs"\n'), 'src/a.rs': filler, 'src/b.rs': filler, 'src/c.rs': `#![forbid(unsafe_code)]\n${filler}`, 'src/d.rs': filler });
		const pkg = lockedPackage('big', '1.0.0', undefined);
		const facts = source(sb, { pathFor: () => dir });
		await fetchAll(facts, [pkg]);
		assert.deepEqual(knownValue(facts.peek(pkg)), { counts: { ...zero, functions: 4 }, files: 4, forbidsUnsafe: true, capabilities: noCapabilities, anomalies: [], origin: `path ${dir}` });
		writeTree(dir, { 'Cargo.toml': manifest('big', '1.0.0', '\n[lib]\npath = "src/gone.rs"\n') });
		await fetchAll(facts, [pkg]);
		const missing = knownValue(facts.peek(pkg));
		assert.deepEqual([missing.counts.functions, missing.forbidsUnsafe, missing.anomalies], [4, false, [{ path: 'src/gone.rs', reason: 'library root not in the package; forbidsUnsafe is false' }]]);
	});

	test('offline: downloads are unknown (and tried again on a later fetch), local sources still count', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl), { offline: true });
		extractedPackage(sb.cargoHome, 'alpha-1.0.0', { 'Cargo.toml': manifest('alpha', '1.0.0'), 'src/lib.rs': '' }, crateOf('alpha'));
		const requests = server.count();
		const facts = source(sb);
		await fetchAll(facts, downloaded.slice(0, 2));
		assert.equal(facts.peek(downloaded[0]!)?.status, 'known');
		assert.deepEqual(facts.peek(downloaded[1]!), { status: 'unknown', reason: `offline: beta-0.2.0 is not in ${sb.cargoHome}/registry/src and downloads are off` });
		extractedPackage(sb.cargoHome, 'beta-0.2.0', { 'Cargo.toml': manifest('beta', '0.2.0'), 'src/lib.rs': '' }, crateOf('beta'));
		const progress: [number, number][] = [];
		await fetchAll(facts, downloaded.slice(0, 2), progress);
		assert.deepEqual(progress, [[1, 1]]);
		assert.equal(facts.peek(downloaded[1]!)?.status, 'known');
		assert.equal(server.count(), requests);
	});
});

/** toml-eslint-parser's own message for the broken manifest, so the test does not restate the parser's wording. */
function parseError(): string {
	try {
		parseTOML('[package\nname = ');
	} catch (error) {
		return (error as Error).message;
	}
	return 'parsed';
}
