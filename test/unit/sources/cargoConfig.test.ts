/**
 * Reading cargo's configuration as cargo does (file discovery, precedence, merging, legacy names, relative paths,
 * environment overrides, credentials, restricted mode) and resolving registries through source replacement.
 * Every workspace is built in a fresh temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lookup } from '../../../server/src/sources/cargoConfig/configTree';
import { parseDuration } from '../../../server/src/sources/cargoConfig/duration';
import { effectiveMinPublishAge, incompatiblePublishAge, publishAgeNotices } from '../../../server/src/sources/cargoConfig/minPublishAge';
import { readCargoConfig } from '../../../server/src/sources/cargoConfig/readCargoConfig';
import { canonicalUrl, registryNameFor, resolveRegistry } from '../../../server/src/sources/cargoConfig/resolveRegistry';
import type { CargoConfig } from '../../../server/src/sources/cargoConfig/types';
import type { Environment } from '../../../server/src/sources/environment';
import { httpOptionsFromCargoConfig } from '../../../server/src/sources/http/fromCargoConfig';
import { TEST_CA_PEM } from '../../support/testCertificate';

const roots: string[] = [];
after(() => {
	for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary tree: `files` maps relative paths to contents. Returns its absolute root. */
function tree(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'cargo-trust-config-'));
	roots.push(root);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	return root;
}

function environment(root: string, env: Record<string, string> = {}): Environment {
	return { env: { CARGO_HOME: join(root, 'home/.cargo'), ...env }, homeDir: join(root, 'home'), now: () => new Date('2026-01-01T00:00:00Z') };
}

function read(root: string, workspace: string, env: Record<string, string> = {}, trusted = true): CargoConfig {
	return readCargoConfig(join(root, workspace), environment(root, env), { trusted });
}

/** The files read, relative to the temporary root (ancestors of it are the machine's business). */
function filesOf(config: CargoConfig, root: string): string[] {
	return config.files.filter((file) => file.startsWith(root)).map((file) => file.slice(root.length + 1));
}

describe('readCargoConfig: discovery and precedence', () => {
	test('deeper files win, ancestors and $CARGO_HOME fill the gaps, each value says where it came from', () => {
		const root = tree({
			'ws/proj/.cargo/config.toml': '[http]\ntimeout = 10\n',
			'ws/.cargo/config.toml': '[http]\ntimeout = 20\nproxy = "ws-proxy:3128"\n[net]\nretry = 5\n',
			'home/.cargo/config.toml': '[http]\ntimeout = 30\n[net]\noffline = true\nretry = 7\n',
		});
		const config = read(root, 'ws/proj');
		assert.deepEqual(filesOf(config, root), ['ws/proj/.cargo/config.toml', 'ws/.cargo/config.toml', 'home/.cargo/config.toml']);
		assert.deepEqual(config.http.timeoutSeconds, { value: 10, origin: { kind: 'file', path: join(root, 'ws/proj/.cargo/config.toml') } });
		assert.equal(config.http.proxy?.value, 'ws-proxy:3128');
		assert.equal(config.net.retry?.value, 5);
		assert.deepEqual(config.net.offline, { value: true, origin: { kind: 'file', path: join(root, 'home/.cargo/config.toml') } });
		assert.deepEqual(config.notices, []);
	});

	test('arrays are concatenated, higher precedence last; program paths are replaced whole', () => {
		const root = tree({
			'ws/.cargo/config.toml': '[build]\nrustflags = ["-Cdeep"]\n[target.x]\nrunner = ["deep-runner"]\n',
			'home/.cargo/config.toml': '[build]\nrustflags = ["-Chome"]\n[target.x]\nrunner = ["home-runner", "--flag"]\n',
		});
		const config = read(root, 'ws');
		const flags = lookup(config.values, ['build', 'rustflags']);
		assert.deepEqual(flags?.kind === 'array' && flags.items.map((item) => item.kind === 'scalar' && item.value), ['-Chome', '-Cdeep']);
		const runner = lookup(config.values, ['target', 'x', 'runner']);
		assert.deepEqual(runner?.kind === 'array' && runner.items.map((item) => item.kind === 'scalar' && item.value), ['deep-runner']);
	});

	test('$CARGO_HOME met on the way up is read once, at its place in the walk', () => {
		const root = tree({
			'home/proj/.cargo/config.toml': '[http]\ntimeout = 1\n',
			'home/.cargo/config.toml': '[http]\ntimeout = 2\nproxy = "home:1"\n',
		});
		const config = read(root, 'home/proj');
		assert.deepEqual(filesOf(config, root), ['home/proj/.cargo/config.toml', 'home/.cargo/config.toml']);
		assert.equal(config.http.timeoutSeconds?.value, 1);
	});

	test('legacy `config` is read; when both exist cargo uses `config` and warns', () => {
		const root = tree({
			'a/.cargo/config': '[http]\ntimeout = 3\n',
			'b/.cargo/config': '[http]\ntimeout = 4\n',
			'b/.cargo/config.toml': '[http]\ntimeout = 5\n',
		});
		assert.equal(read(root, 'a').http.timeoutSeconds?.value, 3);
		const both = read(root, 'b');
		assert.equal(both.http.timeoutSeconds?.value, 4);
		assert.deepEqual(both.notices.map((notice) => notice.code), ['config-legacy']);
	});

	test('no warning when `config` is a symlink to `config.toml`', () => {
		const root = tree({ 'c/.cargo/config.toml': '[http]\ntimeout = 6\n' });
		symlinkSync('config.toml', join(root, 'c/.cargo/config'));
		const config = read(root, 'c');
		assert.equal(config.http.timeoutSeconds?.value, 6);
		assert.deepEqual(config.notices, []);
	});

	test('relative paths resolve against the directory that holds `.cargo`; environment paths against the workspace', () => {
		const root = tree({
			'ws/.cargo/config.toml': '[source.vendored-sources]\ndirectory = "vendor"\n[http]\ncainfo = "certs/ca.pem"\n',
			'home/.cargo/config.toml': '[source.local]\nlocal-registry = "registry"\n',
		});
		const config = read(root, 'ws');
		assert.equal(config.sources.get('vendored-sources')?.directory?.value, join(root, 'ws/vendor'));
		assert.equal(config.sources.get('local')?.localRegistry?.value, join(root, 'home/registry'));
		assert.equal(config.http.cainfo?.value, join(root, 'ws/certs/ca.pem'));
		assert.equal(read(root, 'ws', { CARGO_HTTP_CAINFO: 'env/ca.pem' }).http.cainfo?.value, join(root, 'ws/env/ca.pem'));
	});

	test('a malformed file is a notice; the other files still count', () => {
		const root = tree({
			'ws/.cargo/config.toml': '[http\ntimeout = = 1\n',
			'home/.cargo/config.toml': '[http]\ntimeout = 9\nproxy = 12\n',
		});
		const config = read(root, 'ws');
		assert.equal(config.http.timeoutSeconds?.value, 9);
		assert.deepEqual(config.notices.map((notice) => notice.code).sort(), ['config-parse', 'config-value']);
		assert.match(config.notices.find((notice) => notice.code === 'config-parse')?.message ?? '', /config\.toml:\d+:\d+/);
		assert.equal(config.http.proxy, undefined);
	});
});

describe('readCargoConfig: environment, credentials, restricted mode', () => {
	test('CARGO_* variables override every file', () => {
		const root = tree({
			'ws/.cargo/config.toml':
				'[net]\noffline = false\n[http]\nproxy = "file:1"\ntimeout = 5\n[registries.my-reg]\nindex = "sparse+https://file.example/"\nmin-publish-age = "1 day"\n[registry]\nglobal-min-publish-age = "2 days"\n[resolver]\nincompatible-publish-age = "deny"\n',
		});
		const env = {
			CARGO_NET_OFFLINE: 'true',
			CARGO_HTTP_PROXY: 'env:2',
			CARGO_HTTP_TIMEOUT: '60',
			CARGO_REGISTRIES_MY_REG_INDEX: 'sparse+https://env.example/',
			CARGO_REGISTRIES_MY_REG_TOKEN: 'env-token',
			CARGO_REGISTRIES_MY_REG_MIN_PUBLISH_AGE: '3 days',
			CARGO_REGISTRY_TOKEN: 'crates-token',
			CARGO_REGISTRY_GLOBAL_MIN_PUBLISH_AGE: '4 weeks',
			CARGO_RESOLVER_INCOMPATIBLE_PUBLISH_AGE: 'allow',
		};
		const config = read(root, 'ws', env);
		assert.deepEqual(config.net.offline, { value: true, origin: { kind: 'env', variable: 'CARGO_NET_OFFLINE' } });
		assert.equal(config.http.proxy?.value, 'env:2');
		assert.equal(config.http.timeoutSeconds?.value, 60);
		const registry = config.registries.get('my-reg');
		assert.deepEqual([registry?.index?.value, registry?.token?.value, registry?.minPublishAge?.value], ['sparse+https://env.example/', 'env-token', '3 days']);
		assert.deepEqual(registry?.index?.origin, { kind: 'env', variable: 'CARGO_REGISTRIES_MY_REG_INDEX' });
		assert.equal(config.registry.token?.value, 'crates-token');
		assert.equal(config.registry.globalMinPublishAge?.value, '4 weeks');
		assert.deepEqual(incompatiblePublishAge(config), { status: 'ok', value: 'allow' });
	});

	test('a registry defined only by CARGO_REGISTRIES_<NAME>_INDEX exists under the lowercased name', () => {
		const root = tree({});
		const config = read(root, 'ws', { CARGO_REGISTRIES_INTERNAL_MIRROR_INDEX: 'sparse+https://internal.example/', CARGO_REGISTRIES_INTERNAL_MIRROR_TOKEN: 't' });
		assert.deepEqual(
			[config.registries.get('internal_mirror')?.index?.value, config.registries.get('internal_mirror')?.token?.value],
			['sparse+https://internal.example/', 't'],
		);
	});

	test('a bad boolean or integer in the environment is a notice and the file value stands', () => {
		const root = tree({ 'ws/.cargo/config.toml': '[net]\noffline = true\n[http]\ntimeout = 7\n' });
		const config = read(root, 'ws', { CARGO_NET_OFFLINE: 'yes', CARGO_HTTP_TIMEOUT: 'soon' });
		assert.equal(config.net.offline?.value, true);
		assert.equal(config.http.timeoutSeconds?.value, 7);
		assert.equal(config.notices.filter((notice) => notice.code === 'config-value').length, 2);
	});

	test('HTTP_TIMEOUT is the fallback of http.timeout', () => {
		assert.equal(read(tree({}), 'ws', { HTTP_TIMEOUT: '45' }).http.timeoutSeconds?.value, 45);
	});

	test('credentials.toml gives tokens, over config files, under the environment', () => {
		const root = tree({
			'ws/.cargo/config.toml': '[registry]\ntoken = "from-config"\n[registries.my-reg]\nindex = "sparse+https://my.example/"\ntoken = "config-token"\n',
			'home/.cargo/credentials.toml': '[registry]\ntoken = "crates-credential"\n[registries.my-reg]\ntoken = "my-credential"\n',
		});
		const config = read(root, 'ws');
		assert.deepEqual(config.registry.token, { value: 'crates-credential', origin: { kind: 'file', path: join(root, 'home/.cargo/credentials.toml') } });
		assert.equal(config.registries.get('my-reg')?.token?.value, 'my-credential');
		assert.equal(read(root, 'ws', { CARGO_REGISTRIES_MY_REG_TOKEN: 'env' }).registries.get('my-reg')?.token?.value, 'env');
	});

	test('the legacy `credentials` file with a top-level token is crates.io\'s token', () => {
		const root = tree({ 'home/.cargo/credentials': 'token = "old-style"\n' });
		assert.equal(read(root, 'ws').registry.token?.value, 'old-style');
	});

	test('untrusted: the workspace\'s own files are ignored and said to be; $CARGO_HOME is still read', () => {
		const root = tree({
			'ws/proj/.cargo/config.toml': '[source.crates-io]\nreplace-with = "evil"\n[source.evil]\nregistry = "sparse+https://evil.example/"\n',
			'home/.cargo/config.toml': '[http]\ntimeout = 11\n',
		});
		const config = readCargoConfig(join(root, 'ws/proj'), environment(root), { trusted: false, workspaceRoot: join(root, 'ws') });
		assert.equal(config.sources.size, 0);
		assert.equal(config.http.timeoutSeconds?.value, 11);
		assert.deepEqual(filesOf(config, root), ['home/.cargo/config.toml']);
		assert.equal(config.notices[0]?.code, 'config-untrusted');
		assert.match(config.notices[0]?.message ?? '', /not trusted/);
		assert.equal(read(root, 'ws/proj').sources.size, 2);
	});

	test('untrusted: files above the workspace root are the user\'s and still read', () => {
		const root = tree({
			'parent/.cargo/config.toml': '[http]\ntimeout = 12\n',
			'parent/ws/.cargo/config.toml': '[http]\ntimeout = 13\n',
		});
		const config = readCargoConfig(join(root, 'parent/ws'), environment(root), { trusted: false });
		assert.equal(config.http.timeoutSeconds?.value, 12);
	});
});

describe('resolveRegistry', () => {
	const cratesIo = 'registry+https://github.com/rust-lang/crates.io-index';

	function config(toml: string, env: Record<string, string> = {}): CargoConfig {
		return read(tree({ 'ws/.cargo/config.toml': toml }), 'ws', env);
	}

	test('crates.io without replacement is the sparse index, with crates.io\'s token', () => {
		assert.deepEqual(resolveRegistry(config('', { CARGO_REGISTRY_TOKEN: 'cio' }), cratesIo), {
			kind: 'sparse',
			indexUrl: 'https://index.crates.io/',
			name: 'crates-io',
			token: 'cio',
			via: [],
		});
		assert.equal(resolveRegistry(config(''), 'sparse+https://index.crates.io/').kind, 'sparse');
		assert.equal(resolveRegistry(config(''), 'crates-io').kind, 'sparse');
	});

	test('crates.io replaced by a sparse mirror', () => {
		const resolved = resolveRegistry(config('[source.crates-io]\nreplace-with = "mirror"\n[source.mirror]\nregistry = "sparse+http://127.0.0.1:9/index/"\n'), cratesIo);
		assert.deepEqual(resolved, { kind: 'sparse', indexUrl: 'http://127.0.0.1:9/index/', name: undefined, via: ['mirror'] });
	});

	test('a chain of replacements is followed to its end', () => {
		const resolved = resolveRegistry(
			config('[source.crates-io]\nreplace-with = "a"\n[source.a]\nregistry = "https://a.example/index"\nreplace-with = "b"\n[source.b]\nregistry = "sparse+https://b.example/"\n'),
			cratesIo,
		);
		assert.deepEqual(resolved.kind === 'sparse' && [resolved.indexUrl, resolved.via], ['https://b.example/', ['a', 'b']]);
	});

	test('a cycle is an error naming the chain', () => {
		const resolved = resolveRegistry(config('[source.crates-io]\nreplace-with = "a"\n[source.a]\nregistry = "https://a.example/"\nreplace-with = "crates-io"\n'), cratesIo);
		assert.equal(resolved.kind, 'error');
		assert.match(resolved.kind === 'error' ? resolved.detail : '', /cycle.*crates-io → a → crates-io/);
		const selfLoop = resolveRegistry(config('[source.crates-io]\nregistry = "https://x.example/"\nreplace-with = "crates-io"\n'), 'registry+https://x.example/');
		assert.equal(selfLoop.kind, 'error');
	});

	test('vendored sources (directory) and local registries', () => {
		const vendored = config('[source.crates-io]\nreplace-with = "vendored-sources"\n[source.vendored-sources]\ndirectory = "vendor"\n');
		const resolved = resolveRegistry(vendored, cratesIo);
		assert.deepEqual(resolved.kind === 'directory' && [resolved.path.endsWith('/ws/vendor'), resolved.via], [true, ['vendored-sources']]);
		const local = resolveRegistry(config('[source.crates-io]\nreplace-with = "l"\n[source.l]\nlocal-registry = "/srv/registry"\n'), cratesIo);
		assert.deepEqual(local, { kind: 'local-registry', path: '/srv/registry', via: ['l'] });
	});

	test('replace-with may name a [registries] entry', () => {
		const resolved = resolveRegistry(config('[source.crates-io]\nreplace-with = "corp"\n[registries.corp]\nindex = "sparse+https://corp.example/index/"\ntoken = "corp-token"\n'), cratesIo);
		assert.deepEqual(resolved, { kind: 'sparse', indexUrl: 'https://corp.example/index/', name: 'corp', token: 'corp-token', via: ['corp'] });
	});

	test('an alternate registry from the lockfile gets its own token, found by index URL', () => {
		const cfg = config('[registries.corp]\nindex = "sparse+https://corp.example/index/"\ntoken = "corp-token"\n', { CARGO_REGISTRY_TOKEN: 'crates-token' });
		const resolved = resolveRegistry(cfg, 'sparse+https://corp.example/index/');
		assert.deepEqual(resolved.kind === 'sparse' && [resolved.name, resolved.token], ['corp', 'corp-token']);
		assert.equal(registryNameFor(cfg, 'sparse+https://corp.example/index/'), 'corp');
		assert.equal(registryNameFor(cfg, cratesIo), 'crates-io');
		assert.equal(resolveRegistry(cfg, 'corp').kind, 'sparse');
	});

	test('two registries with one index URL are ambiguous: no token is sent', () => {
		const cfg = config('[registries.a]\nindex = "sparse+https://same.example/"\ntoken = "a"\n[registries.b]\nindex = "sparse+https://same.example/"\ntoken = "b"\n');
		const resolved = resolveRegistry(cfg, 'sparse+https://same.example/');
		assert.deepEqual(resolved.kind === 'sparse' && [resolved.name, resolved.token], [undefined, undefined]);
	});

	test('an index from the environment names the registry before one from a file', () => {
		const cfg = config('[registries.file-name]\nindex = "sparse+https://same.example/"\n', { CARGO_REGISTRIES_ENV_NAME_INDEX: 'sparse+https://same.example/', CARGO_REGISTRIES_ENV_NAME_TOKEN: 'e' });
		const resolved = resolveRegistry(cfg, 'sparse+https://same.example/');
		assert.deepEqual(resolved.kind === 'sparse' && [resolved.name, resolved.token], ['env_name', 'e']);
	});

	test('git-protocol registries are reported unsupported, clearly', () => {
		const resolved = resolveRegistry(config('[registries.old]\nindex = "https://git.example/index.git"\n'), 'registry+https://git.example/index.git');
		assert.deepEqual(resolved.kind === 'git-index' && [resolved.name, resolved.reason], ['old', 'unsupported']);
		assert.match(resolved.kind === 'git-index' ? resolved.detail : '', /git-protocol registry/);
		const cratesGit = resolveRegistry(config('[registries.crates-io]\nprotocol = "git"\n'), cratesIo);
		assert.equal(cratesGit.kind, 'git-index');
	});

	test('configuration errors cargo would refuse', () => {
		assert.match(detail(resolveRegistry(config('[source.crates-io]\nreplace-with = "nowhere"\n'), cratesIo)), /could not find a configured source with the name `nowhere`/);
		assert.match(detail(resolveRegistry(config('[source.crates-io]\nreplace-with = "m"\n[source.m]\nregistry = "sparse+https://m.example/index"\n'), cratesIo)), /must end in a slash/);
		assert.match(detail(resolveRegistry(config('[source.m]\nregistry = "https://a/"\ndirectory = "v"\n'), cratesIo)), /more than one source location/);
		assert.match(detail(resolveRegistry(config(''), 'unknown-name')), /registry index was not found/);
		assert.match(detail(resolveRegistry(config('[source.crates-io]\nreplace-with = "g"\n[source.g]\ngit = "https://g.example/repo"\n'), cratesIo)), /git repository/);
	});

	test('canonical URLs compare the way cargo compares them', () => {
		assert.equal(canonicalUrl('https://GitHub.com/Rust-Lang/Crates.io-Index.git/'), canonicalUrl('https://github.com/rust-lang/crates.io-index'));
		assert.notEqual(canonicalUrl('https://example.com/A'), canonicalUrl('https://example.com/a'));
	});

	function detail(resolved: ReturnType<typeof resolveRegistry>): string {
		return resolved.kind === 'error' ? resolved.detail : `not an error: ${resolved.kind}`;
	}
});

describe('publish age settings', () => {
	test('parseDuration: cargo\'s forms', () => {
		assert.deepEqual(parseDuration('0'), { ok: true, ms: 0 });
		assert.deepEqual(parseDuration('7 days'), { ok: true, ms: 7 * 86_400_000 });
		assert.deepEqual(parseDuration('72 hours'), { ok: true, ms: 72 * 3_600_000 });
		assert.deepEqual(parseDuration('1 day'), { ok: true, ms: 86_400_000 });
		assert.deepEqual(parseDuration('2 weeks'), { ok: true, ms: 14 * 86_400_000 });
		assert.deepEqual(parseDuration('1 month'), { ok: true, ms: 2_629_746_000 });
		assert.deepEqual(parseDuration('90minutes'), { ok: true, ms: 90 * 60_000 });
		assert.deepEqual(parseDuration('30 seconds'), { ok: true, ms: 30_000 });
		for (const bad of ['7', '', '7  days', '7 d', 'seven days', '-1 days', '7 days ago', '1.5 days', ' 7 days']) assert.equal(parseDuration(bad).ok, false, bad);
	});

	test('precedence: registries.NAME, then global, then ours', () => {
		const root = tree({ 'ws/.cargo/config.toml': '[registries.crates-io]\nmin-publish-age = "1 day"\n[registry]\nglobal-min-publish-age = "2 days"\nmin-publish-age = "3 days"\n' });
		const full = read(root, 'ws');
		assert.deepEqual(pick(effectiveMinPublishAge(full, 'crates-io', 5)), ['registries.crates-io.min-publish-age', 86_400_000]);
		assert.deepEqual(pick(effectiveMinPublishAge(full, 'other', 5)), ['registry.global-min-publish-age', 2 * 86_400_000]);
	});

	test('registry.min-publish-age, removed from cargo (cargo#17353), applies nowhere and is reported with how to write it', () => {
		const file = read(tree({ 'ws/.cargo/config.toml': '[registry]\nmin-publish-age = "3 days"\n' }), 'ws');
		assert.deepEqual(pick(effectiveMinPublishAge(file, 'crates-io', 5)), ['cargo-trust setting', 5]);
		assert.deepEqual(effectiveMinPublishAge(file, 'crates-io', undefined), { status: 'unset' });
		const [notice, ...rest] = publishAgeNotices(file);
		assert.deepEqual(rest, []);
		assert.deepEqual([notice!.key, notice!.registry, notice!.origin.endsWith('/ws/.cargo/config.toml')], ['registry.min-publish-age', 'crates-io', true]);
		assert.match(notice!.message, /^registry\.min-publish-age = "3 days" \(.*\) has no effect: cargo 1\.100 ignores it \(removed in cargo#17353\).*write registries\.crates-io\.min-publish-age \(crates\.io\) or registry\.global-min-publish-age \(every registry\) instead$/);

		// The environment form is ignored by cargo just the same.
		const env = read(tree({}), 'ws', { CARGO_REGISTRY_MIN_PUBLISH_AGE: '3 days' });
		assert.deepEqual(effectiveMinPublishAge(env, 'crates-io', undefined), { status: 'unset' });
		assert.deepEqual(publishAgeNotices(env).map((n) => [n.key, n.origin]), [['CARGO_REGISTRY_MIN_PUBLISH_AGE', 'environment variable CARGO_REGISTRY_MIN_PUBLISH_AGE']]);
		assert.match(publishAgeNotices(env)[0]!.message, /set CARGO_REGISTRIES_CRATES_IO_MIN_PUBLISH_AGE \(crates\.io\) or CARGO_REGISTRY_GLOBAL_MIN_PUBLISH_AGE \(every registry\) instead$/);
		assert.deepEqual(publishAgeNotices(read(tree({}), 'ws')), []);
	});

	test('resolver.incompatible-publish-age takes deny or allow; anything else, fallback included, is invalid', () => {
		const value = (text: string | undefined) => incompatiblePublishAge(read(tree(text === undefined ? {} : { 'ws/.cargo/config.toml': `[resolver]\nincompatible-publish-age = "${text}"\n` }), 'ws'));
		assert.deepEqual(value(undefined), { status: 'ok', value: 'deny' });
		assert.deepEqual(value('allow'), { status: 'ok', value: 'allow' });
		assert.deepEqual(value('deny'), { status: 'ok', value: 'deny' });
		for (const bad of ['fallback', 'Allow', '']) assert.equal(value(bad).status, 'invalid', bad);
		const notices = publishAgeNotices(read(tree({ 'ws/.cargo/config.toml': '[resolver]\nincompatible-publish-age = "fallback"\n' }), 'ws'));
		assert.deepEqual(notices.map((n) => [n.key, n.registry]), [['resolver.incompatible-publish-age', undefined]]);
		assert.match(notices[0]!.message, /"fallback" .* is invalid: cargo accepts only "deny" \(the default\) or "allow"$/);
	});

	test('"0" is a value that stops the fallthrough; an invalid value is reported', () => {
		const zero = read(tree({ 'ws/.cargo/config.toml': '[registries.corp]\nindex = "sparse+https://c/"\nmin-publish-age = "0"\n[registry]\nglobal-min-publish-age = "14 days"\n' }), 'ws');
		assert.deepEqual(pick(effectiveMinPublishAge(zero, 'corp', undefined)), ['registries.corp.min-publish-age', 0]);
		const bad = read(tree({}), 'ws', { CARGO_REGISTRY_GLOBAL_MIN_PUBLISH_AGE: 'a fortnight' });
		const result = effectiveMinPublishAge(bad, 'crates-io', 5);
		assert.deepEqual(result.status === 'invalid' && [result.key, result.origin], ['registry.global-min-publish-age', { kind: 'env', variable: 'CARGO_REGISTRY_GLOBAL_MIN_PUBLISH_AGE' }]);
		assert.deepEqual(incompatiblePublishAge(bad), { status: 'ok', value: 'deny' });
	});

	function pick(result: ReturnType<typeof effectiveMinPublishAge>): unknown {
		return result.status === 'ok' ? [result.key, result.ms] : result;
	}
});

describe('HTTP settings from the config', () => {
	test('offline, timeout, retry, proxy and the extra CA file', () => {
		const root = tree({
			'ws/.cargo/config.toml': '[net]\noffline = true\nretry = 1\n[http]\ntimeout = 9\nproxy = "cargo-proxy:8080"\ncainfo = "ca.pem"\n',
			'ws/ca.pem': TEST_CA_PEM,
		});
		const { options, notices } = httpOptionsFromCargoConfig(read(root, 'ws'), environment(root, { NO_PROXY: 'internal.example' }), 'ua');
		assert.deepEqual([options.offline, options.timeoutMs, options.retries, options.proxy], [true, 9000, 1, { cargoProxy: 'cargo-proxy:8080', noProxy: 'internal.example' }]);
		assert.equal(options.extraCaPem, TEST_CA_PEM);
		assert.deepEqual(notices, []);
	});

	test('an unreadable cainfo is a notice, not a failure', () => {
		const root = tree({ 'ws/.cargo/config.toml': '[http]\ncainfo = "missing.pem"\n' });
		const { options, notices } = httpOptionsFromCargoConfig(read(root, 'ws'), environment(root), 'ua');
		assert.equal(options.extraCaPem, undefined);
		assert.match(notices[0] ?? '', /cannot read http\.cainfo/);
	});
});
