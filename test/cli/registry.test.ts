/**
 * `cargo-trust check` against a real-protocol registry on 127.0.0.1, reached through cargo's source replacement:
 * release age under the team's policy, yanked versions, checksum mismatches, changes of publisher, the `release`
 * field and `data.registries`, offline from the disk cache, and a failing registry shown as such.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { repoRoot } from '../support/paths';
import type { RegistryServer } from '../support/registryServer';
import { runCliAsync } from '../support/runCli';

const advisoryDb = join(repoRoot, 'examples', 'advisory-db');
const dayMs = 86_400_000;
const daysAgo = (days: number): string => new Date(Date.now() - days * dayMs).toISOString().replace(/\.\d+Z$/, 'Z');

interface Finding {
	file: string;
	severity: string;
	code: string;
	message: string;
	package: string;
}
interface Report {
	data: { registries: { name: string; url: string; status: string; reason: string | null }[]; publishAge: { notices: { key: string; origin: string; message: string }[] } };
	packages: { name: string; release: Record<string, unknown> | null }[];
	findings: Finding[];
}

const servers: RegistryServer[] = [];
after(async () => {
	for (const server of servers) await server.close();
});

async function setup(overrides: Parameters<typeof exampleCrates>[0], extraConfig = '') {
	const { ws, registry } = await exampleWithRegistry(exampleCrates(overrides), extraConfig);
	servers.push(registry);
	const check = async (...args: string[]) => {
		const run = await runCliAsync(['check', ws.dir, '--advisory-db', advisoryDb, '--format', 'json', ...args], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir });
		assert.ok(run.status === 0 || run.status === 1, run.stderr);
		return JSON.parse(run.stdout) as Report;
	};
	return { ws, registry, check };
}

const codes = (report: Report, file: string, code: string): string[] => report.findings.filter((f) => f.file === file && f.code === code).map((f) => f.message);

void describe('registry data in cargo-trust check', () => {
	void it('warns about young, yanked, tampered and re-published releases, and fills the release field', async () => {
		const tokioPublished = daysAgo(3);
		const { registry, check } = await setup({
			tokio: { pubtime: tokioPublished },
			atty: { yanked: true },
			serde: { crate: Buffer.from('not what Cargo.lock recorded') },
			smallvec: { publishedBy: 'mallory', extraVersions: [{ vers: '1.5.1', pubtime: '2023-01-01T00:00:00Z', publishedBy: 'servo-bot' }, { vers: '1.7.0', pubtime: '2024-05-01T00:00:00Z', publishedBy: 'mallory' }] },
			log: { pubtime: undefined, createdAt: '2023-06-01T12:00:00Z' },
		});
		const report = await check();
		const oldEnough = new Date(Date.parse(tokioPublished) + 7 * dayMs).toISOString().slice(0, 10);
		assert.deepEqual(codes(report, 'Cargo.toml', 'young-release'), [
			`tokio 1.20.0 was published 3 days ago (${tokioPublished.slice(0, 10)}); it is old enough on ${oldEnough} under your 7 days policy (cargoTrust.releaseAge.minimum)`,
		]);
		assert.equal(codes(report, 'Cargo.lock', 'young-release').length, 1);
		assert.deepEqual(codes(report, 'Cargo.toml', 'yanked'), ['atty 0.2.14 is yanked from crates.io']);
		const mismatch = report.findings.filter((f) => f.code === 'checksum-mismatch');
		assert.deepEqual(mismatch.map((f) => [f.file, f.severity]), [['Cargo.lock', 'error'], ['Cargo.toml', 'error']]);
		assert.match(mismatch[0]!.message, /^Cargo\.lock's checksum for serde 1\.0\.190 \([0-9a-f]{16}…\) differs from crates\.io's \([0-9a-f]{16}…\): the lockfile or the registry was tampered with$/);
		assert.deepEqual(codes(report, 'Cargo.toml', 'publisher-changed'), ['smallvec 1.6.0 was published by mallory (mallory example); 1.5.1 was published by servo-bot (servo-bot example)']);

		const tokio = report.packages.find((p) => p.name === 'tokio')!.release!;
		assert.deepEqual(
			{ ...tokio, publisher: undefined },
			{ publishedAt: tokioPublished, ageDays: 3, yanked: false, latest: '1.20.0', source: 'index', publishedAtReason: null, registry: 'crates.io', minimumAgeDays: 7, publisher: undefined },
		);
		assert.deepEqual(tokio.publisher, { kind: 'user', id: 1, login: 'maintainer', name: 'maintainer example' });
		assert.deepEqual(report.packages.find((p) => p.name === 'smallvec')!.release!.latest, '1.7.0');
		const log = report.packages.find((p) => p.name === 'log')!.release!;
		assert.equal(log.source, 'api', 'no pubtime in the index: crates.io API created_at');
		assert.equal(log.publishedAt, '2023-06-01T12:00:00Z');
		assert.equal(report.packages.find((p) => p.name === 'trust-demo')!.release, null);
		assert.deepEqual(report.data.registries, [{ name: 'crates-io', url: registry.indexUrl, status: 'reachable', reason: null }]);
		for (const request of registry.requests) assert.match(String(request.headers['user-agent']), /^cargo-trust\/0\.1\.0 \(https:\/\/github\.com\/cargo-trust\/cargo-trust\)$/);

		// A restart, offline: everything comes from the disk cache and the registry sees no request.
		const before = registry.requests.length;
		const offline = await check('--offline');
		assert.equal(registry.requests.length, before);
		assert.deepEqual(offline.packages.find((p) => p.name === 'tokio')!.release!.publishedAt, tokioPublished);
		assert.equal(offline.data.registries[0]!.status, 'offline');
		assert.deepEqual(codes(offline, 'Cargo.toml', 'young-release').length, 1);
	});

	void it('follows cargo\'s own minimum publish age over our setting', async () => {
		const { ws, check } = await setup({ tokio: { pubtime: daysAgo(3) } }, '\n[registry]\nglobal-min-publish-age = "2 days"\n');
		assert.deepEqual(codes(await check(), 'Cargo.toml', 'young-release'), []);
		const strict = await setup({ tokio: { pubtime: daysAgo(3) } }, '\n[registries.crates-io]\nmin-publish-age = "2 weeks"\n');
		const [message] = codes(await strict.check(), 'Cargo.toml', 'young-release');
		assert.match(message!, new RegExp(`under your 14 days policy \\(registries\\.crates-io\\.min-publish-age in ${strict.ws.dir.replace(/[/.]/g, '\\$&')}/\\.cargo/config\\.toml\\)$`));
		void ws;
	});

	void it('does not apply registry.min-publish-age, which cargo ignores, and says so in data and the text report', async () => {
		const { ws, check } = await setup({ tokio: { pubtime: daysAgo(3) } }, '\n[registry]\nmin-publish-age = "2 days"\n[resolver]\nincompatible-publish-age = "fallback"\n');
		const report = await check();
		// Cargo enforces no 2-day policy, so ours (7 days) is the one that applies.
		assert.match(codes(report, 'Cargo.toml', 'young-release')[0] ?? '', /under your 7 days policy \(cargoTrust\.releaseAge\.minimum\)$/);
		const config = `${ws.dir}/.cargo/config.toml`;
		assert.deepEqual(report.data.publishAge.notices.map(({ key, origin }) => [key, origin]), [
			['registry.min-publish-age', config],
			['resolver.incompatible-publish-age', config],
		]);
		assert.match(report.data.publishAge.notices[0]!.message, /has no effect: cargo 1\.100 ignores it .*write registries\.crates-io\.min-publish-age \(crates\.io\) or registry\.global-min-publish-age \(every registry\) instead$/);
		assert.match(report.data.publishAge.notices[1]!.message, /"fallback" .* is invalid: cargo accepts only "deny" \(the default\) or "allow"$/);
		const text = await runCliAsync(['check', ws.dir, '--advisory-db', advisoryDb], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir });
		assert.match(text.stdout, /^Publish age: registry\.min-publish-age = "2 days" \(.*\) has no effect/m);
	});

	void it('shows a failing registry as unknown, with the reason, and still reports advisories', async () => {
		// cargo's own `net.retry` keeps the test short: two retries with backoff, then the failure is reported.
		const { registry, check } = await setup({}, '\n[net]\nretry = 1\n');
		registry.fault({ kind: 'status-500' });
		const report = await check();
		assert.ok(report.packages.every((p) => p.release === null));
		assert.equal(report.data.registries[0]!.status, 'error');
		assert.match(report.data.registries[0]!.reason!, /500/);
		assert.ok(report.findings.some((f) => f.code === 'RUSTSEC-2020-0071'));
	});

	void it('gives up on a registry that never answers after one round of timeouts, and says why', async () => {
		// cargo's own `http.timeout` keeps the test short; with the default 30 s the benchmark measures the same path.
		const { registry, check } = await setup({}, '\n[http]\ntimeout = 1\n');
		registry.fault({ kind: 'hang' });
		const report = await check();
		assert.ok(report.packages.every((p) => p.release === null));
		assert.equal(report.data.registries[0]!.status, 'error');
		assert.match(report.data.registries[0]!.reason!, /timed out/);
		// The breaker stopped the retries: at most one round of parallel requests (24) reached the registry.
		assert.ok(registry.requests.length <= 24, `${registry.requests.length} requests`);
	});

	void it('never prints the credentials of an index URL', async () => {
		const { ws, registry } = await exampleWithRegistry(exampleCrates());
		servers.push(registry);
		const config = join(ws.dir, '.cargo', 'config.toml');
		writeFileSync(config, readFileSync(config, 'utf8').replace('sparse+http://', 'sparse+http://user:SECRET@'));
		registry.fault({ kind: 'html' });
		const env = { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir };
		for (const format of ['json', 'text']) {
			const run = await runCliAsync(['check', ws.dir, '--advisory-db', advisoryDb, '--format', format], env);
			assert.doesNotMatch(run.stdout + run.stderr, /SECRET/);
			assert.match(run.stdout, /http:\/\/\*\*\*@127\.0\.0\.1/);
		}
	});
});
