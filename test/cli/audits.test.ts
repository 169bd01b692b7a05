/**
 * `cargo-trust check` with a cargo-vet store, against a real-protocol registry on 127.0.0.1 (cargo's source
 * replacement) whose index carries `pubtime`s: the `audit`, `policy` and `suggestions` fields of the JSON report, the
 * `unaudited` finding, and what `--suggest` prints. foo 1.3.2 (locked) was published 2 days ago and nobody trusted
 * audited it; 1.2.0 is vetted through a chain (full audit of 1.1.0, delta 1.1.0 -> 1.2.0); 1.2.5 is vetted too but
 * matches a violation, so the pin skips it. bar is vetted by an import (imports.lock), baz only by an exemption.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { repoRoot } from '../support/paths';
import { RegistryServer } from '../support/registryServer';
import { runCliAsync } from '../support/runCli';
import { tempDir } from '../support/tempWorkspace';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const OLD = '2024-03-01T10:00:00Z';
const COMMAND = 'cargo update -p foo@1.3.2 --precise 1.2.0';

interface Audit {
	required: string[];
	vetted: string[];
	fullyAudited: string[];
	by: { source: string; kind: string; detail: string }[];
	violations: unknown[];
}
interface Suggestion {
	action: string;
	version: string;
	requirement: string | null;
	leavesRequirement: boolean;
	command: string | null;
	reasons: string[];
}
interface Package {
	name: string;
	version: string;
	audit: Audit | null;
	policy: { passes: boolean; failed: string[] } | null;
	suggestions: Suggestion[];
	suggestion: Suggestion | null;
}
interface Report {
	packages: Package[];
	findings: { file: string; severity: string; code: string; message: string; package: string }[];
}

const STORE = {
	'supply-chain/config.toml': [
		'[cargo-vet]\nversion = "0.10"',
		'[imports.acme]\nurl = "https://audits.example.invalid/audits.toml"',
		'[policy.app]\ncriteria = "safe-to-deploy"\ndev-criteria = "safe-to-run"',
		'[[exemptions.baz]]\nversion = "0.5.0"\ncriteria = "safe-to-deploy"',
	].join('\n\n') + '\n',
	'supply-chain/audits.toml': [
		'[[audits.foo]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "1.1.0"',
		'[[audits.foo]]\nwho = "Bo <bo@example.org>"\ncriteria = "safe-to-deploy"\ndelta = "1.1.0 -> 1.2.0"',
		'[[audits.foo]]\nwho = "Bo <bo@example.org>"\ncriteria = "safe-to-deploy"\ndelta = "1.2.0 -> 1.2.5"',
		'[[audits.foo]]\nwho = "Cy <cy@example.org>"\ncriteria = "safe-to-deploy"\nviolation = "=1.2.5"\nnotes = "ships a telemetry beacon"',
	].join('\n\n') + '\n',
	'supply-chain/imports.lock': '[[audits.acme.audits.bar]]\nwho = "Dee <dee@acme.example>"\ncriteria = "safe-to-deploy"\nversion = "2.0.0"\n',
};

void describe('cargo-vet audits in cargo-trust check', () => {
	let registry: RegistryServer;
	let base: string;
	let check: (...args: string[]) => Promise<{ status: number | null; stdout: string; stderr: string }>;

	before(async () => {
		const young = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const versions: [string, string, string][] = [
			['foo', '1.1.0', OLD], ['foo', '1.2.0', OLD], ['foo', '1.2.5', OLD], ['foo', '1.3.2', young],
			['bar', '2.0.0', OLD],
			['baz', '0.5.0', OLD],
		];
		const bytes = new Map(versions.map(([name, version]) => [`${name}@${version}`, buildCrate(name, version, { 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn f() {}\n' })]));
		registry = await RegistryServer.start({
			crates: ['foo', 'bar', 'baz'].map((name) => ({
				name,
				versions: versions.filter(([crateName]) => crateName === name).map(([, vers, pubtime]) => ({ vers, pubtime, publishedBy: 'maintainer', crate: bytes.get(`${name}@${vers}`)! })),
			})),
		});
		base = tempDir();
		const dir = join(base, 'workspace');
		const lock = (name: string, version: string): string => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"\nchecksum = "${sha256(bytes.get(`${name}@${version}`)!)}"`;
		const files: Record<string, string> = {
			'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfoo = "1.3"\nbar = "2"\nbaz = "0.5"\n',
			'Cargo.lock': ['version = 4', '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["bar", "baz", "foo"]', lock('bar', '2.0.0'), lock('baz', '0.5.0'), lock('foo', '1.3.2')].join('\n\n') + '\n',
			'.cargo/config.toml': `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`,
			...STORE,
		};
		for (const [path, text] of Object.entries(files)) {
			mkdirSync(dirname(join(dir, path)), { recursive: true });
			writeFileSync(join(dir, path), text);
		}
		mkdirSync(join(base, 'cargo-home'));
		const env = { CARGO_HOME: join(base, 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(base, 'cache') };
		check = (...args) => runCliAsync(['check', dir, '--advisory-db', join(repoRoot, 'examples', 'advisory-db'), ...args], env);
	});

	after(async () => {
		await registry.close();
		rmSync(base, { recursive: true, force: true });
	});

	void it('fills audit, policy and suggestions in the JSON report, and reports foo unaudited', async () => {
		const run = await check('--format', 'json', '--suggest');
		assert.ok(run.status === 0 || run.status === 1, run.stderr);
		const report = JSON.parse(run.stdout) as Report;
		const pkg = (name: string): Package => report.packages.find((p) => p.name === name)!;

		const foo = pkg('foo');
		assert.deepEqual(foo.audit, { required: ['safe-to-deploy'], vetted: [], fullyAudited: [], by: [], violations: [] });
		assert.deepEqual(foo.policy, { passes: false, failed: ['young', 'unaudited'] });
		assert.equal(foo.suggestions.length, 1);
		const [pin] = foo.suggestions;
		// 1.2.5 is newer and vetted, but matches the violation: the newest passing older version is 1.2.0.
		assert.deepEqual({ ...pin!, reasons: undefined }, { action: 'pin', version: '1.2.0', requirement: '=1.2.0', leavesRequirement: true, command: COMMAND, reasons: undefined });
		assert.equal(pin!.reasons[0], 'audited safe-to-deploy by Ann, Bo');
		assert.match(pin!.reasons[1]!, /^\d+ days old$/);
		assert.deepEqual(pin!.reasons.slice(2), ['no advisories']);
		assert.deepEqual(foo.suggestion, pin);

		const bar = pkg('bar');
		assert.deepEqual(bar.audit, { required: ['safe-to-deploy'], vetted: ['safe-to-deploy', 'safe-to-run'], fullyAudited: ['safe-to-deploy', 'safe-to-run'], by: [{ source: 'acme', kind: 'full', detail: '2.0.0' }], violations: [] });
		assert.deepEqual([bar.policy, bar.suggestions, bar.suggestion], [{ passes: true, failed: [] }, [], null]);

		// An exemption vets (cargo-vet counts it) but is not an audit.
		const baz = pkg('baz');
		assert.deepEqual(baz.audit, { required: ['safe-to-deploy'], vetted: ['safe-to-deploy', 'safe-to-run'], fullyAudited: [], by: [{ source: 'local', kind: 'exemption', detail: '0.5.0' }], violations: [] });
		assert.deepEqual(baz.policy, { passes: true, failed: [] });

		const unaudited = report.findings.filter((f) => f.code === 'unaudited');
		assert.deepEqual(
			unaudited.map((f) => [f.file, f.severity, f.package, f.message]),
			['Cargo.lock', 'Cargo.toml'].map((file) => [file, 'warning', 'foo@1.3.2', 'foo 1.3.2 is not audited for safe-to-deploy by anyone you trust.']),
		);
		assert.ok(!report.findings.some((f) => f.code === 'audit-violation'), 'the violation matches no locked version');
	});

	void it('--suggest ends the text report with the fix as commands', async () => {
		const run = await check('--format', 'text', '--suggest');
		assert.ok(run.status === 0 || run.status === 1, run.stderr);
		const suggested = run.stdout.slice(run.stdout.indexOf('\nSuggested fixes:\n'));
		assert.match(
			suggested,
			new RegExp(
				[
					'^\\nSuggested fixes:',
					'# foo 1\\.3\\.2 fails the trust policy \\(young, unaudited\\)',
					'#   Pin to 1\\.2\\.0 \\(audited safe-to-deploy by Ann, Bo, \\d+ days old, no advisories, leaves "1\\.3"\\)',
					'#   first set the requirement of foo to "=1\\.2\\.0" in Cargo\\.toml',
					`${COMMAND.replace(/\./g, '\\.')}\\n$`,
				].join('\\n'),
			),
		);
	});
});

void describe('a cargo-vet store where the root manifest says', () => {
	void it('is read from [package.metadata.vet] store.path, not supply-chain/', async () => {
		const dir = join(tempDir(), 'workspace');
		const files: Record<string, string> = {
			'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nbaz = "0.5"\n\n[package.metadata.vet]\nstore = { path = "audits/vet" }\n',
			'Cargo.lock': `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["baz"]\n\n[[package]]\nname = "baz"\nversion = "0.5.0"\nsource = "${CRATES_IO}"\nchecksum = "${'ab'.repeat(32)}"\n`,
			'audits/vet/config.toml': '[cargo-vet]\nversion = "0.10"\n\n[[exemptions.baz]]\nversion = "0.5.0"\ncriteria = "safe-to-deploy"\n',
			'audits/vet/audits.toml': '',
			// A store at the default place that would say otherwise: it must not be the one read.
			'supply-chain/config.toml': '[cargo-vet]\nversion = "0.10"\n',
			'supply-chain/audits.toml': '',
		};
		for (const [path, text] of Object.entries(files)) {
			mkdirSync(dirname(join(dir, path)), { recursive: true });
			writeFileSync(join(dir, path), text);
		}
		const run = await runCliAsync(['check', dir, '--offline', '--allow-unknown', '--format', 'json', '--advisory-db', join(repoRoot, 'examples', 'advisory-db')], { CARGO_HOME: join(dir, '..', 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(dir, '..', 'cache') });
		assert.ok(run.status === 0 || run.status === 1, run.stderr);
		const baz = (JSON.parse(run.stdout) as Report).packages.find((p) => p.name === 'baz')!;
		assert.deepEqual(baz.audit?.by, [{ source: 'local', kind: 'exemption', detail: '0.5.0' }]);
	});
});

void describe('a wildcard audit with publishers from the registry API', () => {
	void it('--suggest pins to an older version that only the wildcard audit vets, through the publisher crates.io reports', async () => {
		const young = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const bytes = (version: string) => buildCrate('qux', version, { 'src/lib.rs': 'pub fn f() {}\n' });
		// 1.0.0 and 1.1.0 are both old; only 1.0.0 was published by user 42 (1.1.0 outside the window), 1.2.0 (locked) by someone else.
		const versions = [
			{ vers: '1.0.0', pubtime: '2024-06-01T10:00:00Z', publishedBy: 'wildcat', publisherId: 42, crate: bytes('1.0.0') },
			{ vers: '1.1.0', pubtime: '2025-02-01T10:00:00Z', publishedBy: 'wildcat', publisherId: 42, crate: bytes('1.1.0') },
			{ vers: '1.2.0', pubtime: young, publishedBy: 'stranger', publisherId: 7, crate: bytes('1.2.0') },
		];
		const registry = await RegistryServer.start({ crates: [{ name: 'qux', versions }] });
		const base = tempDir();
		try {
			const dir = join(base, 'workspace');
			const files: Record<string, string> = {
				'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nqux = "1"\n',
				'Cargo.lock': `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["qux"]\n\n[[package]]\nname = "qux"\nversion = "1.2.0"\nsource = "${CRATES_IO}"\nchecksum = "${sha256(versions[2]!.crate)}"\n`,
				'.cargo/config.toml': `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`,
				'supply-chain/config.toml': '[cargo-vet]\nversion = "0.10"\n\n[policy.app]\ncriteria = "safe-to-deploy"\n',
				'supply-chain/audits.toml': '[[wildcard-audits.qux]]\nwho = "Wes <wes@example.org>"\ncriteria = "safe-to-deploy"\nuser-id = 42\nstart = "2024-01-01"\nend = "2025-01-01"\n',
			};
			for (const [path, text] of Object.entries(files)) {
				mkdirSync(dirname(join(dir, path)), { recursive: true });
				writeFileSync(join(dir, path), text);
			}
			mkdirSync(join(base, 'cargo-home'));
			const env = { CARGO_HOME: join(base, 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(base, 'cache') };
			const run = await runCliAsync(['check', dir, '--advisory-db', join(repoRoot, 'examples', 'advisory-db'), '--format', 'json', '--suggest'], env);
			assert.ok(run.status === 0 || run.status === 1, run.stderr);
			const qux = (JSON.parse(run.stdout) as Report).packages.find((p) => p.name === 'qux')!;
			assert.deepEqual(qux.policy, { passes: false, failed: ['young', 'unaudited'] });
			assert.deepEqual(
				qux.suggestions.map((s) => [s.action, s.version, s.command]),
				[['pin', '1.0.0', 'cargo update -p qux@1.2.0 --precise 1.0.0']],
			);
			assert.equal(qux.suggestions[0]!.reasons[0], 'audited safe-to-deploy by Wes');
			const apiPaths = registry.requests.map((request) => request.path).filter((path) => path.startsWith('/api/') && !path.endsWith('/download'));
			assert.deepEqual(apiPaths, ['/api/v1/crates/qux/versions'], 'one request answers for every version');
		} finally {
			await registry.close();
			rmSync(base, { recursive: true, force: true });
		}
	});
});
