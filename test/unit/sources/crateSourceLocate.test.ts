/**
 * Finding a locked package's source, place by place in cargo's order: `$CARGO_HOME/registry/src`, a vendored
 * directory or local registry named by source replacement, a verified download from a registry server of our
 * own, a git checkout, a path. Hostile and broken downloads are refused for that crate only; offline sends nothing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import type { LocatedSource, SourceFiles } from '../../../server/src/sources/crateSource/crateSourceTypes';
import { locateCrateSource, type LocateOptions } from '../../../server/src/sources/crateSource/locateCrateSource';
import { checksumOf, type FakeCrate, RegistryServer } from '../../support/registryServer';
import { cleanUpSandboxes, CRATES_IO, crateFile, extractedPackage, lockedPackage, type Sandbox, sandbox, sha256, writeTree } from './crateSourceFixtures';
import { replaceCratesIo } from '../../support/registryApp';

const LIB = 'pub fn f() { unsafe {} }\n';
const MANIFEST = '[package]\nname = "x"\nversion = "1.0.0"\n';
const okCrate = crateFile('dl-ok', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': LIB, 'README.md': 'hello' });
const hostileCrate = crateFile('hostile', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': LIB }, [
	{ name: '../evil.rs', data: 'unsafe {}' },
	{ name: '/abs.rs', data: 'unsafe {}' },
	{ name: 'hostile-1.0.0/src/link.rs', type: '2', linkname: '/etc/passwd' },
	{ name: 'hostile-1.0.0/src/hard.rs', type: '1', linkname: 'hostile-1.0.0/src/lib.rs' },
	{ name: 'other-1.0.0/src/lib.rs', data: 'unsafe {}' },
]);
const fullTruncated = crateFile('truncated', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': LIB.repeat(200) });
const truncatedCrate = fullTruncated.subarray(0, Math.floor(fullTruncated.length / 2));

const crates: FakeCrate[] = [
	{ name: 'dl-ok', versions: [{ vers: '1.0.0', crate: okCrate }] },
	{ name: 'hostile', versions: [{ vers: '1.0.0', crate: hostileCrate }] },
	{ name: 'truncated', versions: [{ vers: '1.0.0', crate: truncatedCrate }] },
	{ name: 'swapped', versions: [{ vers: '1.0.0', crate: crateFile('swapped', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '' }) }] },
];

function registryPackage(name: string, checksum?: string): LockedPackage {
	const krate = crates.find((candidate) => candidate.name === name);
	const version = krate?.versions[0];
	return lockedPackage(name, version?.vers ?? '1.0.0', CRATES_IO, checksum ?? (version ? checksumOf(name, version) : undefined));
}

function locate(sb: Sandbox, pkg: LockedPackage, extra: Partial<LocateOptions> = {}): Promise<LocatedSource> {
	return locateCrateSource(pkg, { cargoHome: sb.cargoHome, registries: sb.registries, http: sb.http, signal: new AbortController().signal, ...extra });
}

function found(located: LocatedSource): SourceFiles {
	assert.equal(located.status, 'found', located.status === 'unknown' ? located.reason : '');
	if (located.status !== 'found') throw new Error('unreachable');
	return located;
}

function reason(located: LocatedSource): string {
	assert.equal(located.status, 'unknown');
	return located.status === 'unknown' ? located.reason : '';
}

/** Every file read, path → text. */
function texts(source: SourceFiles): Record<string, string> {
	return Object.fromEntries(source.files.map((file) => [file.path, new TextDecoder().decode(file.bytes)]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let server: RegistryServer;
before(async () => {
	server = await RegistryServer.start({ crates });
});
after(async () => {
	await server.close();
	await cleanUpSandboxes();
});

describe('registry packages', () => {
	test('$CARGO_HOME/registry/src comes first and costs no request', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const dir = extractedPackage(sb.cargoHome, 'dl-ok-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// extracted\n', 'tests/t.rs': 'unsafe {}', 'target/debug/x.rs': '' }, okCrate);
		const before = server.count();
		const source = found(await locate(sb, registryPackage('dl-ok')));
		assert.equal(server.count(), before);
		assert.equal(source.origin, `registry source ${dir}`);
		// tests/ is never counted, so it is not even read; the rest is read as published, target/ included.
		assert.deepEqual(texts(source), { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// extracted\n', 'target/debug/x.rs': '' });
	});

	test('any registry directory whose .crate is the locked one will do, but only one cargo finished extracting (.cargo-ok)', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		writeTree(join(sb.cargoHome, 'registry/src/a-registry-0000000000000000/dl-ok-1.0.0'), { 'src/lib.rs': '// half extracted' });
		writeTree(join(sb.cargoHome, 'registry/cache/a-registry-0000000000000000'), { 'dl-ok-1.0.0.crate': '' });
		const dir = extractedPackage(sb.cargoHome, 'dl-ok-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '' }, okCrate, 'github.com-1ecc6299db9ec823');
		assert.equal(found(await locate(sb, registryPackage('dl-ok'))).origin, `registry source ${dir}`);
	});

	test('the same NAME-VERSION from another registry is never read: only the directory whose .crate is the locked one', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl), { offline: true });
		const mine = crateFile('twin', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// registry A\n' });
		const theirs = crateFile('twin', '1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': 'unsafe {} // registry B\n' });
		// Registry B sorts first, so a search by name alone would take its copy.
		const other = extractedPackage(sb.cargoHome, 'twin-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': 'unsafe {} // registry B\n' }, theirs, 'a.example-0000000000000000');
		const dir = extractedPackage(sb.cargoHome, 'twin-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// registry A\n' }, mine, 'z.example-1111111111111111');
		const source = found(await locate(sb, lockedPackage('twin', '1.0.0', CRATES_IO, sha256(mine))));
		assert.equal(source.origin, `registry source ${dir}`);
		assert.deepEqual(texts(source), { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// registry A\n' });
		// Locked to neither: both are passed over, and the reason names them.
		const cache = join(sb.cargoHome, 'registry', 'cache');
		const none = reason(await locate(sb, lockedPackage('twin', '1.0.0', CRATES_IO, '5'.repeat(64))));
		assert.equal(
			none,
			`offline: twin-1.0.0 is not in ${sb.cargoHome}/registry/src (${other} not used: ${join(cache, 'a.example-0000000000000000', 'twin-1.0.0.crate')} has sha256 ${sha256(theirs)} but Cargo.lock says ${'5'.repeat(64)}; ${dir} not used: ${join(cache, 'z.example-1111111111111111', 'twin-1.0.0.crate')} has sha256 ${sha256(mine)} but Cargo.lock says ${'5'.repeat(64)}) and downloads are off`,
		);
	});

	test('an extracted directory without its .crate in registry/cache cannot be proved, and is not read', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl), { offline: true });
		const dir = extractedPackage(sb.cargoHome, 'dl-ok-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': '' }, okCrate);
		rmSync(join(sb.cargoHome, 'registry', 'cache'), { recursive: true });
		assert.match(reason(await locate(sb, registryPackage('dl-ok'))), new RegExp(`\\(${escapeRegExp(dir)} not used: no .*dl-ok-1\\.0\\.0\\.crate to check it against Cargo\\.lock\\)`));
	});

	test('a download is verified against Cargo.lock and the index, then read in memory', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const downloads = server.count('/api/v1/crates/dl-ok/');
		const source = found(await locate(sb, registryPackage('dl-ok')));
		assert.equal(server.count('/api/v1/crates/dl-ok/'), downloads + 1);
		assert.equal(source.origin, `download ${server.url}/api/v1/crates/dl-ok/1.0.0/download (sha256 matches Cargo.lock and the index)`);
		assert.deepEqual(texts(source), { 'Cargo.toml': MANIFEST, 'README.md': 'hello', 'src/lib.rs': LIB });
		assert.deepEqual(source.anomalies, []);
	});

	test('an index cksum other than the lockfile checksum is refused before anything is downloaded', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const downloads = server.count('/api/v1/crates/');
		const wrong = 'f'.repeat(64);
		const why = reason(await locate(sb, registryPackage('dl-ok', wrong)));
		assert.equal(why, `the index ${server.indexUrl} says dl-ok-1.0.0.crate has sha256 ${checksumOf('dl-ok', crates[0]!.versions[0]!)} but Cargo.lock says ${wrong}; not downloaded`);
		assert.equal(server.count('/api/v1/crates/'), downloads);
	});

	test('downloaded bytes whose sha256 is not the lockfile checksum are refused', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		// The registry answers with another crate's file: the index and Cargo.lock agree, the bytes do not.
		server.fault({ kind: 'redirect', path: '/api/v1/crates/swapped/', location: '/api/v1/crates/dl-ok/1.0.0/download', times: 1 });
		const pkg = registryPackage('swapped');
		const why = reason(await locate(sb, pkg));
		assert.equal(why, `downloaded swapped-1.0.0.crate has sha256 ${sha256(okCrate)} but Cargo.lock says ${pkg.checksum}`);
	});

	test('traversal, absolute paths, links and entries of another package are skipped and reported', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const source = found(await locate(sb, registryPackage('hostile')));
		assert.deepEqual(texts(source), { 'Cargo.toml': MANIFEST, 'src/lib.rs': LIB });
		assert.deepEqual(source.anomalies, [
			{ path: '../evil.rs', reason: 'parent directory (..) in path' },
			{ path: '/abs.rs', reason: 'absolute path' },
			{ path: 'hostile-1.0.0/src/link.rs', reason: 'symbolic link' },
			{ path: 'hostile-1.0.0/src/hard.rs', reason: 'hard link' },
			{ path: 'other-1.0.0/src/lib.rs', reason: 'outside hostile-1.0.0/' },
		]);
	});

	test('a truncated archive is unknown for that crate only; the others are read', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const [truncated, ok, hostile] = await Promise.all([locate(sb, registryPackage('truncated')), locate(sb, registryPackage('dl-ok')), locate(sb, registryPackage('hostile'))]);
		assert.match(reason(truncated!), /^downloaded truncated-1\.0\.0\.crate is not a readable archive: /);
		assert.equal(truncated?.status === 'unknown' && truncated.transient, false);
		found(ok!);
		found(hostile!);
	});

	test('a body cut off in transit is unknown, and worth trying again later', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		server.fault({ kind: 'truncate', path: '/api/v1/crates/dl-ok/', times: 1 });
		const located = await locate(sb, registryPackage('dl-ok'));
		assert.match(reason(located), /^cannot download http:\/\/127\.0\.0\.1:\d+\/api\/v1\/crates\/dl-ok\/1\.0\.0\/download: /);
		assert.equal(located.status === 'unknown' && located.transient, true);
	});

	test('offline: local sources only, and not one request', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl), { offline: true });
		extractedPackage(sb.cargoHome, 'hostile-1.0.0', { 'Cargo.toml': MANIFEST, 'src/lib.rs': LIB }, hostileCrate);
		const before = server.count();
		found(await locate(sb, registryPackage('hostile')));
		const located = await locate(sb, registryPackage('dl-ok'));
		assert.equal(reason(located), `offline: dl-ok-1.0.0 is not in ${sb.cargoHome}/registry/src and downloads are off`);
		assert.equal(located.status === 'unknown' && located.transient, true);
		assert.equal(server.count(), before);
	});

	test('a git-protocol index is unsupported, and says so', async () => {
		const sb = sandbox('[registries.crates-io]\nprotocol = "git"\n');
		assert.match(reason(await locate(sb, registryPackage('dl-ok'))), /is not in .*registry\/src and cannot be downloaded: registries\.crates-io\.protocol is `git`; cargo-trust reads only sparse indexes$/);
	});

	test('without a lockfile checksum nothing can be verified, so nothing is fetched', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		const pkg = lockedPackage('dl-ok', '1.0.0', CRATES_IO, undefined);
		assert.equal(reason(await locate(sb, pkg)), 'Cargo.lock has no checksum for dl-ok 1.0.0, so a copy of it cannot be verified');
	});

	test('a name or version that could climb out of a directory is refused before any path is built', async () => {
		const sb = sandbox(replaceCratesIo(server.indexUrl));
		assert.match(reason(await locate(sb, lockedPackage('..', '1.0.0', CRATES_IO, 'a'.repeat(64)))), /is not a valid package name and version/);
		assert.match(reason(await locate(sb, lockedPackage('x', '1.0.0/../../y', CRATES_IO, 'a'.repeat(64)))), /is not a valid package name and version/);
	});
});

describe('source replacement on disk', () => {
	const vendoring = '[source.crates-io]\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "vendor"\n';
	const checksumFile = (checksum: string): string => JSON.stringify({ files: {}, package: checksum });

	test('cargo vendor layout: NAME-VERSION/ or NAME/, with .cargo-checksum.json matching Cargo.lock', async () => {
		const sb = sandbox(vendoring, {
			files: {
				'vendor/serde/.cargo-checksum.json': checksumFile('1'.repeat(64)),
				'vendor/serde/Cargo.toml': MANIFEST,
				'vendor/serde/src/lib.rs': '// serde 1.0.0',
				'vendor/serde-0.9.0/.cargo-checksum.json': checksumFile('2'.repeat(64)),
				'vendor/serde-0.9.0/src/lib.rs': '// serde 0.9.0',
			},
		});
		const latest = found(await locate(sb, lockedPackage('serde', '1.0.0', CRATES_IO, '1'.repeat(64))));
		assert.equal(latest.origin, `vendored directory ${join(sb.workspace, 'vendor/serde')} (.cargo-checksum.json matches Cargo.lock)`);
		assert.deepEqual(texts(latest), { 'Cargo.toml': MANIFEST, 'src/lib.rs': '// serde 1.0.0' });
		assert.deepEqual(texts(found(await locate(sb, lockedPackage('serde', '0.9.0', CRATES_IO, '2'.repeat(64))))), { 'src/lib.rs': '// serde 0.9.0' });
	});

	test('a vendored copy whose checksum is not the lockfile one is refused', async () => {
		const sb = sandbox(vendoring, { files: { 'vendor/serde/.cargo-checksum.json': checksumFile('1'.repeat(64)), 'vendor/serde/src/lib.rs': '' } });
		assert.equal(
			reason(await locate(sb, lockedPackage('serde', '1.0.1', CRATES_IO, '3'.repeat(64)))),
			`${join(sb.workspace, 'vendor/serde')} has .cargo-checksum.json package ${'1'.repeat(64)}, but Cargo.lock says ${'3'.repeat(64)} for serde 1.0.1`,
		);
		assert.equal(reason(await locate(sb, lockedPackage('rand', '0.8.5', CRATES_IO, '3'.repeat(64)))), `rand 0.8.5 is not in the vendored directory ${join(sb.workspace, 'vendor')}`);
	});

	test('registry/src still comes before the vendored directory', async () => {
		const sb = sandbox(vendoring, { files: { 'vendor/serde/.cargo-checksum.json': checksumFile('1'.repeat(64)), 'vendor/serde/src/lib.rs': '' } });
		const dir = extractedPackage(sb.cargoHome, 'serde-1.0.0', { 'src/lib.rs': '' }, 'serde crate');
		assert.equal(found(await locate(sb, lockedPackage('serde', '1.0.0', CRATES_IO, sha256('serde crate')))).origin, `registry source ${dir}`);
	});

	test('a local registry: NAME-VERSION.crate verified by sha256 and read in memory', async () => {
		const bytes = crateFile('serde', '1.0.0', { 'src/lib.rs': LIB });
		const sb = sandbox('[source.crates-io]\nreplace-with = "local"\n\n[source.local]\nlocal-registry = "registry"\n');
		mkdirSync(join(sb.workspace, 'registry'));
		writeFileSync(join(sb.workspace, 'registry/serde-1.0.0.crate'), bytes);
		const source = found(await locate(sb, lockedPackage('serde', '1.0.0', CRATES_IO, sha256(bytes))));
		assert.equal(source.origin, `local registry ${join(sb.workspace, 'registry/serde-1.0.0.crate')} (sha256 verified)`);
		assert.deepEqual(texts(source), { 'src/lib.rs': LIB });
		assert.match(reason(await locate(sb, lockedPackage('serde', '1.0.0', CRATES_IO, '4'.repeat(64)))), /serde-1\.0\.0\.crate has sha256 [0-9a-f]{64} but Cargo\.lock says 4{64}$/);
	});
});

describe('git and path packages', () => {
	const commit = 'abc1234' + '5'.repeat(33);
	const gitSource = `git+https://github.com/Owner/MyRepo.git?branch=main#${commit}`;

	test('the checkout at the locked commit, and the package in it by its Cargo.toml name', async () => {
		const sb = sandbox('');
		const checkout = join(sb.cargoHome, 'git/checkouts/myrepo-0123456789abcdef/abc1234');
		writeTree(checkout, {
			'.cargo-ok': '',
			'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
			'crates/alpha/Cargo.toml': '[package]\nname = "alpha"\nversion.workspace = true\n',
			'crates/alpha/src/lib.rs': '// alpha',
			'crates/alpha/nested/Cargo.toml': '[package]\nname = "alpha-nested"\n',
			'crates/alpha/nested/src/lib.rs': '// another package',
			'crates/beta/Cargo.toml': '[package]\nname = "beta"\n',
			'crates/beta/src/lib.rs': '// beta',
			'.git/hooks/x.rs': '',
		});
		// Another commit of the same repository, and a checkout cargo did not finish, are not read.
		writeTree(join(sb.cargoHome, 'git/checkouts/myrepo-0123456789abcdef/fff0000'), { '.cargo-ok': '', 'Cargo.toml': '[package]\nname = "alpha"\n' });
		const source = found(await locate(sb, lockedPackage('alpha', '0.1.0', gitSource)));
		assert.equal(source.origin, `git checkout ${join(checkout, 'crates/alpha')}`);
		assert.deepEqual(texts(source), { 'Cargo.toml': '[package]\nname = "alpha"\nversion.workspace = true\n', 'src/lib.rs': '// alpha' });
		assert.match(reason(await locate(sb, lockedPackage('gamma', '0.1.0', gitSource))), /^no package named gamma in the checkout /);
		assert.match(reason(await locate(sb, lockedPackage('alpha', '0.1.0', `git+https://github.com/owner/myrepo#${'9'.repeat(40)}`))), /^no checkout of https:\/\/github\.com\/owner\/myrepo at 9999999 in .* \(run cargo fetch\)$/);
	});

	test('a path package: its directory, without target/, hidden folders, other packages or links leaving it', async () => {
		const sb = sandbox('');
		const dir = join(sb.root, 'member');
		writeTree(dir, {
			'Cargo.toml': MANIFEST,
			'build.rs': 'fn main() {}',
			'src/lib.rs': LIB,
			'src/target/mod.rs': '// a module named target is source',
			'target/debug/build/out.rs': 'unsafe {}',
			'.hidden/x.rs': '',
			'sub/Cargo.toml': '[package]\nname = "sub"\n',
			'sub/src/lib.rs': 'unsafe {}',
		});
		writeTree(join(sb.root, 'outside'), { 'secret.rs': 'unsafe {}' });
		symlinkSync(join(sb.root, 'outside'), join(dir, 'src/escape'));
		symlinkSync(join(dir, 'src/lib.rs'), join(dir, 'src/alias.rs'));
		symlinkSync(join(sb.root, 'outside/secret.rs'), join(dir, 'src/secret.rs'));
		symlinkSync(join(sb.root, 'README.md'), join(dir, 'README.md'));
		const pkg = lockedPackage('member', '1.0.0', undefined);
		const source = found(await locate(sb, pkg, { pathFor: (asked) => (asked === pkg ? dir : undefined) }));
		assert.equal(source.origin, `path ${dir}`);
		assert.deepEqual(texts(source), { 'Cargo.toml': MANIFEST, 'build.rs': 'fn main() {}', 'src/alias.rs': LIB, 'src/lib.rs': LIB, 'src/target/mod.rs': '// a module named target is source' });
		// The dangling README link is not worth a word; a directory or a .rs file leaving the package is.
		assert.deepEqual(source.anomalies, [
			{ path: 'src/escape', reason: 'symbolic link to outside the package; not followed' },
			{ path: 'src/secret.rs', reason: 'symbolic link to outside the package; not followed' },
		]);
		assert.equal(reason(await locate(sb, lockedPackage('other', '1.0.0', undefined), { pathFor: () => undefined })), 'the directory of the path package other is not known');
	});

	test('a directory is read within the same limits as an archive', async () => {
		const sb = sandbox('');
		const dir = join(sb.root, 'big');
		writeTree(dir, { 'Cargo.toml': MANIFEST, 'src/a.rs': 'x'.repeat(100), 'src/b.rs': 'y'.repeat(100), 'src/huge.rs': 'z'.repeat(1000) });
		const pkg = lockedPackage('big', '1.0.0', undefined);
		const pathFor = (): string => dir;
		assert.equal(reason(await locate(sb, pkg, { pathFor, limits: { maxEntries: 3 } })), `${dir}: more than 3 entries`);
		assert.equal(reason(await locate(sb, pkg, { pathFor, limits: { maxUncompressedBytes: 150 } })), `${dir}: files larger than 150 bytes in total`);
		const skipped = found(await locate(sb, pkg, { pathFor, limits: { maxEntryBytes: 500 } }));
		assert.deepEqual(skipped.anomalies, [{ path: 'src/huge.rs', reason: 'larger than 500 bytes' }]);
	});
});
