/**
 * The hover card's audit and trust-policy sections (issue 15): vetted for which criteria, by whom, how and from
 * which source, or "not audited by anyone you trust"; when the locked version fails, each failed condition and the
 * fix (a requirement and the cargo update command on a dependency, the command alone on a transitive Cargo.lock
 * entry), or why there is none. Auditors are named by `who` for local audits and by the import's name otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAdvisoryIndex } from '../../../../server/src/engine/advisory/advisoryIndex';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../../../../server/src/engine/analyze';
import type { AuditData } from '../../../../server/src/engine/audits/auditData';
import { buildAuditStore } from '../../../../server/src/engine/audits/buildAuditStore';
import { known, type Fact } from '../../../../server/src/engine/facts';
import { hoverAt } from '../../../../server/src/engine/hoverText';
import { buildPolicy } from '../../../../server/src/engine/policy';
import type { ReleaseFacts } from '../../../../server/src/engine/release/types';
import { buildJsonReport } from '../../../../server/src/engine/report/jsonReport';

const NOW = new Date('2026-12-01T00:00:00Z');
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const STORE = '/ws/supply-chain';
const MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = "1.3"\nbar = "2"\nbaz = "1"\nqux = "0.10"\n';
const LOCK = [
	'version = 4',
	'[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["bar", "baz", "foo", "qux"]',
	`[[package]]\nname = "foo"\nversion = "1.3.2"\nsource = "${CRATES_IO}"\ndependencies = ["tiny"]`,
	...[['bar', '2.0.0'], ['baz', '1.0.0'], ['qux', '0.10.4'], ['tiny', '0.5.0']].map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"`),
].join('\n\n');
const CONFIG = '[imports.acme]\nurl = "https://acme.example/audits.toml"\n';
const AUDITS = [
	'[[audits.bar]]\nwho = "Ann <ann@example.com>"\ncriteria = "safe-to-deploy"\nversion = "2.0.0"',
	'[[audits.bar]]\nwho = "Ann <ann@example.com>"\ncriteria = "safe-to-deploy"\nviolation = "=2.0.0"',
	'[[audits.baz]]\nwho = "Ann <ann@example.com>"\ncriteria = "safe-to-deploy"\nversion = "0.9.0"',
	'[[audits.baz]]\nwho = ["Bob"]\ncriteria = "safe-to-deploy"\ndelta = "0.9.0 -> 1.0.0"',
	'[[audits.tiny]]\nwho = "[Carol](https://evil.example/)"\ncriteria = "safe-to-deploy"\nversion = "0.4.0"',
].join('\n\n');
const IMPORTS = '[[audits.acme.audits.foo]]\nwho = "Ann"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"\n';

function auditData(): AuditData {
	const paths = { config: `${STORE}/config.toml`, audits: `${STORE}/audits.toml`, importsLock: `${STORE}/imports.lock` };
	const files = { config: { path: paths.config, text: CONFIG }, audits: { path: paths.audits, text: AUDITS }, importsLock: { path: paths.importsLock, text: IMPORTS } };
	const store = buildAuditStore({ directory: STORE, paths, ...files }, []);
	return { status: 'known', store, notes: [], texts: new Map(Object.values(files).map((file) => [file.path, file.text])) };
}

function release(locked: string, versions: [string, string][]): ReleaseFacts {
	return {
		registry: 'crates.io',
		registryKey: 'crates-io',
		publishedAt: known(versions.find(([version]) => version === locked)![1], 'index pubtime', null),
		yanked: false,
		indexChecksum: undefined,
		versions: versions.map(([version, publishedAt]) => ({ version, yanked: false, publishedAt, checksum: '0'.repeat(64), publisher: undefined })),
		publisher: undefined,
		previous: undefined,
		minimumAge: { ms: 7 * 86_400_000, origin: 'cargoTrust.releaseAge.minimum' },
		origin: 'index',
	};
}

const OLD = '2024-06-19T00:00:00Z';
const RELEASES: Record<string, ReleaseFacts> = {
	foo: release('1.3.2', [['1.2.0', OLD], ['1.3.2', '2026-11-29T00:00:00Z']]),
	bar: release('2.0.0', [['2.0.0', OLD]]),
	baz: release('1.0.0', [['0.9.0', OLD], ['1.0.0', OLD]]),
	qux: release('0.10.4', [['0.10.2', OLD], ['0.10.3', OLD], ['0.10.4', '2026-11-29T00:00:00Z']]),
	tiny: release('0.5.0', [['0.4.0', OLD], ['0.5.0', '2026-11-29T00:00:00Z']]),
};

function analyse(audits: AuditData | undefined): WorkspaceAnalysis {
	const facts = {
		advisories: known(buildAdvisoryIndex([]), 'advisory-db', null),
		release: (pkg: { name: string }): Fact<ReleaseFacts> | undefined => (RELEASES[pkg.name] ? known(RELEASES[pkg.name]!, 'index', null) : undefined),
		unsafe: () => undefined,
		...(audits ? { audits } : {}),
	};
	return analyzeWorkspace({ root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text: MANIFEST }], lockfile: { path: '/ws/Cargo.lock', text: LOCK }, problems: [] }, facts, buildPolicy([], undefined, {}), NOW);
}

function hoverOnManifest(analysis: WorkspaceAnalysis, key: string): string {
	return hoverAt(analysis, '/ws/Cargo.toml', MANIFEST.indexOf(`\n${key} = `) + 2)!.markdown;
}

function hoverOnLock(analysis: WorkspaceAnalysis, name: string): string {
	return hoverAt(analysis, '/ws/Cargo.lock', LOCK.indexOf(`name = "${name}"`) + 2)!.markdown;
}

test('hover: a young unaudited dependency says why it fails and offers the pin, requirement and command', () => {
	const card = hoverOnManifest(analyse(auditData()), 'foo');
	assert.match(card, /\*\*Audit:\*\* not audited by anyone you trust \(requires safe-to-deploy\)\n/);
	assert.match(card, /\*\*Trust policy:\*\* fails\n- too young: published 2 days ago, under the minimum release age of 7 days\n- not vetted for safe-to-deploy by anyone you trust\n/);
	assert.match(card, /\*\*Fix:\*\* Pin to 1\.2\.0 \\\(audited safe-to-deploy by acme, 895 days old, no advisories, leaves "1\.3"\\\) {2}\nset the requirement to `=1\.2\.0`, then run `cargo update -p foo@1\.3\.2 --precise 1\.2\.0`\n/);
});

test('hover: a delta chain names each step, its auditor (who, without the e-mail) and its source', () => {
	const card = hoverOnManifest(analyse(auditData()), 'baz');
	assert.match(card, /\*\*Audit:\*\* vetted for safe-to-deploy, safe-to-run\n- full audit of `0\.9\.0` by Ann \(audits\.toml\)\n- delta audit `0\.9\.0 → 1\.0\.0` by Bob \(audits\.toml\)\n/);
	assert.doesNotMatch(card, /Trust policy/);
});

test('hover: an imported full audit is by the import; a violation is shown and fails the policy with no fix', () => {
	const analysis = analyse(auditData());
	const bar = hoverOnManifest(analysis, 'bar');
	assert.match(bar, /- full audit of `2\.0\.0` by Ann \(audits\.toml\)\n- ⚠️ matches the \*\*violation\*\* `=2\.0\.0` \(safe-to-deploy\) from audits\.toml: cargo-vet refuses this\n/);
	assert.match(bar, /\*\*Trust policy:\*\* fails\n- matches a violation \(=2\.0\.0\)\n\nNo fix: no older version is published\n/);
});

test('hover: when no older version passes, each rejected one and why', () => {
	const card = hoverOnManifest(analyse(auditData()), 'qux');
	assert.match(card, /No fix: no older version passes: 0\.10\.3 unaudited, 0\.10\.2 unaudited\n/);
});

test('hover on a transitive Cargo.lock entry: the fix is the cargo update command alone; a hostile auditor name stays text', () => {
	const card = hoverOnLock(analyse(auditData()), 'tiny');
	assert.match(card, /\*\*Fix:\*\* Pin to 0\.4\.0 \\\(audited safe-to-deploy by \\\[Carol\\\]\\\(https\\:\/\/evil\.example\/\\\), 895 days old, no advisories\\\) {2}\nrun `cargo update -p tiny@0\.5\.0 --precise 0\.4\.0`\n/);
	assert.doesNotMatch(card, /set the requirement/);
});

test('without audit data the hover has no audit section, and the JSON `by` keeps its three fields', () => {
	assert.doesNotMatch(hoverOnManifest(analyse(undefined), 'baz'), /\*\*Audit/);
	const report = JSON.parse(JSON.stringify(buildJsonReport(analyse(auditData()), { toolVersion: '0', generatedAt: NOW, data: { advisoryDb: { status: 'known', path: null, updatedAt: null, reason: null }, registries: [], publishAge: { notices: [] } } }))) as { packages: { name: string; audit: { by: object[] } }[] };
	assert.deepEqual(report.packages.find((entry) => entry.name === 'baz')!.audit.by, [
		{ source: 'local', kind: 'full', detail: '0.9.0' },
		{ source: 'local', kind: 'delta', detail: '0.9.0 -> 1.0.0' },
	]);
});
