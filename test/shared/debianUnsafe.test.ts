/**
 * UnsafeFactsSource on real published sources: every crate Debian ships under /usr/share/cargo/registry
 * (librust-*-dev), found twice over, as cargo would have extracted it into a private CARGO_HOME's registry/src
 * (copies, with `.cargo-ok`), and as a vendored directory named by source replacement (Debian's own layout,
 * read in place). Offline: nothing may be fetched. Skipped, saying so, when the directory is absent.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Fact } from '../../server/src/engine/facts';
import type { LockedPackage } from '../../server/src/engine/lockfile/types';
import type { UnsafeFacts } from '../../server/src/engine/unsafe/types';
import { crateCapabilities } from '../../server/src/sources/crateSource/crateCapabilities';
import { readSourceDir } from '../../server/src/sources/crateSource/readSourceDir';
import { silentLogger } from '../../server/src/sources/log';
import { countPackageUnsafe } from '../../server/src/sources/unsafeScan/packageUnsafe';
import { UnsafeFactsSource } from '../../server/src/sources/unsafeScan/unsafeFactsSource';
import { cleanUpSandboxes, DEBIAN_REGISTRY, debianCrates, debianExtractedPackage, debianPackage, extractDebianCrates, type Sandbox, sandbox } from '../unit/sources/crateSourceFixtures';

const crates = debianCrates();
const pkgs = crates.map(debianExtractedPackage);

after(cleanUpSandboxes);

function source(sb: Sandbox): UnsafeFactsSource {
	return new UnsafeFactsSource({ cargoHome: sb.cargoHome, cacheDir: sb.cacheDir, registries: sb.registries, http: sb.http, now: () => new Date('2026-01-01T00:00:00Z'), log: silentLogger });
}

async function countAll(facts: UnsafeFactsSource, wanted: readonly LockedPackage[]): Promise<Map<string, Fact<UnsafeFacts>>> {
	await facts.fetch(wanted, () => undefined, new AbortController().signal);
	return new Map(wanted.map((pkg) => [`${pkg.name}-${pkg.version}`, facts.peek(pkg) ?? { status: 'unknown', reason: 'never fetched' }]));
}

function value(results: Map<string, Fact<UnsafeFacts>>, dirName: string): UnsafeFacts | undefined {
	const fact = results.get(dirName);
	return fact?.status === 'known' ? fact.value : undefined;
}

describe('Debian crate sources through UnsafeFactsSource', { skip: crates.length > 0 ? false : `${DEBIAN_REGISTRY} is absent; install librust-*-dev packages to run` }, () => {
	let extracted: Map<string, Fact<UnsafeFacts>>;

	test('every crate extracted in registry/src is counted, without an unknown or an anomaly', async () => {
		const sb = sandbox('', { offline: true });
		extractDebianCrates(sb.cargoHome, crates);
		extracted = await countAll(source(sb), pkgs);
		const failures = [...extracted].filter(([, fact]) => fact.status !== 'known' || fact.value.anomalies.length > 0);
		assert.deepEqual(failures, []);
		assert.ok([...extracted.values()].filter((fact) => fact.status === 'known' && fact.value.files > 0).length >= 10);
	});

	test('counted in slices, every crate gives what one pass of countPackageUnsafe over the same files gives', async () => {
		for (const krate of crates) {
			const read = await readSourceDir(join(DEBIAN_REGISTRY, krate.dirName), { workingTree: false });
			const manifest = crateCapabilities('error' in read ? [] : read.files);
			assert.ok(!('error' in read) && !('error' in manifest), krate.dirName);
			const { files, forbidsUnsafe, ...counts } = countPackageUnsafe(read.files, manifest.libRoot).unsafe;
			const facts = value(extracted, krate.dirName);
			assert.deepEqual([facts?.counts, facts?.files, facts?.forbidsUnsafe], [counts, files, forbidsUnsafe], krate.dirName);
		}
	});

	test('what the manifests and hand checks say', (t) => {
		const checks: [string, (facts: UnsafeFacts) => unknown, unknown][] = [
			['humantime-2.1.0', (facts) => facts.forbidsUnsafe, true],
			// Counted by hand in debianCrates.test.ts: two blocks and one impl in code, one block in a doc comment.
			['scopeguard-1.1.0', (facts) => [facts.counts.blocks, facts.counts.impls, facts.files], [2, 1, 1]],
			['serde_derive-1.0.152', (facts) => facts.capabilities, { buildScript: true, procMacro: true, links: null }],
			['rayon-core-1.10.1', (facts) => facts.capabilities.links, 'rayon-core'],
			['libc-0.2.139', (facts) => facts.capabilities.buildScript, true],
			['cfg-if-1.0.0', (facts) => [facts.capabilities, facts.counts.blocks], [{ buildScript: false, procMacro: false, links: null }, 0]],
		];
		for (const [dirName, read, expected] of checks) {
			const facts = value(extracted, dirName);
			if (facts) assert.deepEqual(read(facts), expected, dirName);
			else t.diagnostic(`${dirName} not installed; not checked`);
		}
	});

	test('read in place as a vendored directory, the crates with a recorded checksum count the same', async () => {
		const sb = sandbox(`[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${DEBIAN_REGISTRY}"\n`, { offline: true });
		const verifiable = crates.filter((krate) => krate.checksum !== undefined);
		const vendored = await countAll(source(sb), verifiable.map(debianPackage));
		for (const krate of verifiable) {
			const facts = value(vendored, krate.dirName);
			assert.ok(facts, `${krate.dirName}: ${JSON.stringify(vendored.get(krate.dirName))}`);
			assert.match(facts.origin, /^vendored directory /);
			const { origin: _vendoredAt, ...counted } = facts;
			const { origin: _extractedAt, ...expected } = value(extracted, krate.dirName) ?? facts;
			assert.deepEqual(counted, expected, krate.dirName);
		}
	});
});
