/**
 * `cargo-trust check` on the example workspace, in every format, with the exit codes of the contract.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';
import { copyWorkspace, tempDir } from '../support/tempWorkspace';

const example = join(repoRoot, 'examples', 'basic');
const advisoryDb = join(repoRoot, 'examples', 'advisory-db');

function checkExample(args: string[]) {
	const ws = copyWorkspace(example);
	// Offline: these tests are about advisories; registry data has its own tests against a local registry.
	return { ws, run: runCli(['check', ws.dir, '--advisory-db', advisoryDb, '--offline', ...args], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir }) };
}

interface JsonReport {
	schemaVersion: number;
	tool: { name: string; version: string };
	root: string;
	generatedAt: string;
	data: { advisoryDb: { status: string; path: string | null; updatedAt: string | null; reason: string | null }; registries: { name: string; status: string }[] };
	packages: Record<string, unknown>[];
	findings: Record<string, unknown>[];
}

void describe('cargo-trust check', () => {
	void it('prints one line per finding and exits 1 when an error is found', () => {
		const { run } = checkExample([]);
		assert.equal(run.status, 1, run.stderr);
		const lines = run.stdout.split('\n');
		assert.ok(lines.includes('Cargo.toml:8:1: error RUSTSEC-2020-0071 time 0.1.43 vulnerable, fixed in 0.2.23: Potential segfault in the time crate'), run.stdout);
		assert.ok(lines.some((line) => line.startsWith('Cargo.lock:') && line.includes('warning RUSTSEC-2021-0145')), run.stdout);
		assert.match(run.stdout, /19 locked packages checked: 6 errors, 2 warnings, 0 notes\./);
		// eslint-disable-next-line no-control-regex -- an ANSI escape is exactly what must be absent.
		assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
	});

	void it('writes the JSON contract', () => {
		const { ws, run } = checkExample(['--format', 'json']);
		assert.equal(run.status, 1, run.stderr);
		const report = JSON.parse(run.stdout) as JsonReport;
		assert.equal(report.schemaVersion, 1);
		assert.deepEqual(report.tool, { name: 'cargo-trust', version: '0.1.0' });
		assert.equal(report.root, ws.dir);
		assert.match(report.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.deepEqual(report.data.advisoryDb, { status: 'known', path: advisoryDb, updatedAt: null, reason: null });
		assert.deepEqual(report.data.registries.map((r) => [r.name, r.status]), [['crates-io', 'offline']]);
		assert.deepEqual(report.packages.map((p) => `${String(p.name)}@${String(p.version)}`).slice(0, 3), ['ansi_term@0.12.1', 'atty@0.2.14', 'cfg-if@1.0.0']);
		const smallvec = report.packages.find((p) => p.name === 'smallvec')!;
		assert.deepEqual(Object.keys(smallvec), ['name', 'version', 'source', 'checksum', 'direct', 'advisories', 'release', 'releaseReason', 'unsafe', 'unsafeReason', 'provenance', 'provenanceReason', 'audit', 'policy', 'suggestions', 'suggestion']);
		assert.deepEqual(smallvec.advisories, [
			{
				id: 'RUSTSEC-2021-0003',
				kind: 'vulnerability',
				title: 'Buffer overflow in SmallVec::insert_many',
				url: 'https://rustsec.org/advisories/RUSTSEC-2021-0003.html',
				aliases: ['CVE-2021-25900', 'GHSA-43w2-9j62-hq99'],
				patched: ['^0.6.14', '>= 1.6.1'],
				unaffected: ['< 0.6.3'],
				ignored: false,
				ignoreReason: null,
			},
		]);
		// Every null signal says why, in the package when the reason is the package's own.
		assert.equal(smallvec.release, null);
		assert.equal(smallvec.releaseReason, 'offline, and smallvec is not in the index cache');
		assert.equal(smallvec.unsafe, null);
		assert.match(smallvec.unsafeReason as string, /^offline: smallvec-1\.6\.0 is not in .*registry\/src and downloads are off$/);
		assert.equal(smallvec.source, 'crates-io');
		assert.equal(smallvec.direct, true);
		const ansi = report.packages.find((p) => p.name === 'ansi_term')!;
		assert.deepEqual((ansi.advisories as { ignored: boolean; ignoreReason: string }[]).map((a) => [a.ignored, a.ignoreReason]), [[true, 'ansi_term only colours our CLI help output']]);
		const demo = report.packages.find((p) => p.name === 'trust-demo')!;
		assert.equal(demo.source, 'path');
		assert.equal(demo.advisories, null);
		assert.equal(demo.releaseReason, 'not from a registry');
		assert.notEqual(demo.unsafe, null);
		assert.equal(demo.unsafeReason, null);
		assert.equal(report.packages.find((p) => p.name === 'mio')!.direct, false);
		assert.deepEqual(report.findings[0], {
			file: 'Cargo.lock',
			line: 15,
			column: 8,
			endLine: 15,
			endColumn: 14,
			severity: 'warning',
			code: 'RUSTSEC-2021-0145',
			message: 'atty 0.2.14 unsound, no fixed version: Potential unaligned read',
			package: 'atty@0.2.14',
			related: [],
		});
		assert.deepEqual(
			report.findings.filter((f) => f.file === 'Cargo.toml').map((f) => [f.line, f.code]),
			[[8, 'RUSTSEC-2020-0071'], [9, 'RUSTSEC-2021-0003'], [10, 'RUSTSEC-2024-0019'], [12, 'RUSTSEC-2021-0145']],
		);
	});

	void it('writes SARIF 2.1.0 with the same findings', () => {
		const { run } = checkExample(['--format', 'sarif']);
		assert.equal(run.status, 1, run.stderr);
		const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string; helpUri?: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
		assert.equal(sarif.version, '2.1.0');
		const [runResult] = sarif.runs;
		assert.equal(runResult!.tool.driver.name, 'cargo-trust');
		assert.equal(runResult!.results.length, 8);
		const time = runResult!.results.find((r) => r.ruleId === 'RUSTSEC-2020-0071' && r.locations[0]!.physicalLocation.artifactLocation.uri === 'Cargo.toml')!;
		assert.equal(time.level, 'error');
		assert.equal(time.locations[0]!.physicalLocation.region.startLine, 8);
		assert.equal(runResult!.tool.driver.rules.find((r) => r.id === 'RUSTSEC-2021-0145')!.helpUri, 'https://rustsec.org/advisories/RUSTSEC-2021-0145.html');
		assert.ok(runResult!.results.some((r) => r.level === 'warning'));
	});

	void it('honours --fail-on', () => {
		assert.equal(checkExample(['--fail-on', 'never']).run.status, 0);
		assert.equal(checkExample(['--fail-on', 'warning']).run.status, 1);
	});

	void it('checks from a member directory, a Cargo.lock path or a Cargo.toml path alike', () => {
		const ws = copyWorkspace(example);
		const env = { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir };
		for (const target of [join(ws.dir, 'Cargo.lock'), join(ws.dir, 'Cargo.toml'), join(ws.dir, 'src')]) {
			const run = runCli(['check', target, '--advisory-db', advisoryDb, '--offline', '--format', 'json'], env);
			assert.equal((JSON.parse(run.stdout) as JsonReport).root, ws.dir, target);
		}
	});

	void it('shows advisories as unknown, with the reason, and fails when offline with no database', () => {
		const ws = copyWorkspace(example);
		const env = { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir };
		const run = runCli(['check', ws.dir, '--offline', '--format', 'json'], env);
		// A CI gate must not pass because the database could not be read.
		assert.equal(run.status, 1, run.stderr);
		assert.equal(runCli(['check', ws.dir, '--offline', '--allow-unknown'], env).status, 0);
		const report = JSON.parse(run.stdout) as JsonReport;
		assert.equal(report.data.advisoryDb.status, 'unknown');
		assert.match(report.data.advisoryDb.reason!, /offline, and no advisory database is on disk/);
		assert.ok(report.packages.every((p) => p.advisories === null));
		assert.deepEqual(report.findings.map((f) => [f.file, f.severity, f.code]), [['Cargo.toml', 'information', 'advisories-unknown']]);
	});

	void it('checks a lone Cargo.lock on its own, as cargo-audit does', () => {
		const base = tempDir();
		const lockfile = join(base, 'Cargo.lock');
		copyFileSync(join(example, 'Cargo.lock'), lockfile);
		const env = { CARGO_HOME: join(base, 'cargo-home'), CARGO_TRUST_CACHE_DIR: join(base, 'cache') };
		for (const target of [lockfile, base]) {
			const run = runCli(['check', target, '--advisory-db', advisoryDb, '--offline', '--format', 'json'], env);
			assert.equal(run.status, 1, run.stderr);
			const report = JSON.parse(run.stdout) as JsonReport;
			assert.equal(report.root, base);
			assert.equal(report.packages.length, 19);
			assert.ok(report.packages.every((p) => p.direct === null), 'without manifests, direct is unknown');
			assert.ok(report.findings.every((f) => f.file === 'Cargo.lock'));
			// The example's deny.toml (which ignores RUSTSEC-2021-0139) is not beside this copy of its lockfile.
			assert.deepEqual([...new Set(report.findings.map((f) => f.code))].sort(), ['RUSTSEC-2020-0071', 'RUSTSEC-2021-0003', 'RUSTSEC-2021-0139', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019']);
		}
		const unknown = runCli(['check', lockfile, '--offline', '--format', 'json'], env);
		assert.equal(unknown.status, 1, unknown.stderr);
		assert.deepEqual((JSON.parse(unknown.stdout) as JsonReport).findings.map((f) => [f.file, f.code]), [['Cargo.lock', 'advisories-unknown']]);
	});

	void it('exits 2 naming the file and why when Cargo.lock or Cargo.toml exists but cannot be read', () => {
		const ws = copyWorkspace(example);
		const env = { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir };
		const lockfile = join(ws.dir, 'Cargo.lock');
		rmSync(lockfile);
		mkdirSync(lockfile);
		const lockRun = runCli(['check', ws.dir, '--advisory-db', advisoryDb, '--offline'], env);
		assert.equal(lockRun.status, 2, lockRun.stdout);
		assert.equal(lockRun.stderr, `cargo-trust: cannot read ${lockfile}: is a directory\n`);
		assert.equal(lockRun.stdout, '');

		const manifest = join(ws.dir, 'Cargo.toml');
		rmSync(manifest);
		mkdirSync(manifest);
		const manifestRun = runCli(['check', ws.dir, '--advisory-db', advisoryDb, '--offline'], env);
		assert.equal(manifestRun.status, 2, manifestRun.stdout);
		assert.equal(manifestRun.stderr, `cargo-trust: cannot read ${manifest}: is a directory\n`);
	});

	void it('exits 2 saying permission denied for a Cargo.lock it may not read', (t) => {
		if (process.getuid?.() === 0) {
			// Root reads any file whatever its mode; the unit tests of readWorkspace cover EACCES with an injected error.
			t.skip('running as root, which chmod 000 does not stop');
			return;
		}
		const ws = copyWorkspace(example);
		const lockfile = join(ws.dir, 'Cargo.lock');
		chmodSync(lockfile, 0o000);
		const run = runCli(['check', ws.dir, '--advisory-db', advisoryDb, '--offline'], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir });
		assert.equal(run.status, 2);
		assert.equal(run.stderr, `cargo-trust: cannot read ${lockfile}: permission denied\n`);
	});

	void it('exits 2 with a message for usage errors and unreadable input', () => {
		const bad = runCli(['check', '--offline', '--format', 'xml']);
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /--format must be text, json or sarif/);
		const missing = runCli(['check', '--offline', '/nonexistent/workspace']);
		assert.equal(missing.status, 2);
		assert.match(missing.stderr, /\/nonexistent\/workspace does not exist/);
		const unknown = runCli(['frobnicate']);
		assert.equal(unknown.status, 2);
	});
});
