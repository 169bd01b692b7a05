/**
 * The trust policy over a whole analysis with a cargo-vet store: the JSON's `audit`, `policy`, `suggestions` and
 * `suggestion`, the `unaudited` and `audit-violation` diagnostics, and the store's own problems on its files (issue 15).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAdvisoryIndex } from '../../../../server/src/engine/advisory/advisoryIndex';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../../../../server/src/engine/analyze';
import type { AuditData } from '../../../../server/src/engine/audits/auditData';
import { buildAuditStore } from '../../../../server/src/engine/audits/buildAuditStore';
import { known, type Fact } from '../../../../server/src/engine/facts';
import { buildPolicy, DEFAULT_TRUST_POLICY, type TrustPolicyOptions } from '../../../../server/src/engine/policy';
import type { ReleaseFacts } from '../../../../server/src/engine/release/types';
import { buildJsonReport } from '../../../../server/src/engine/report/jsonReport';
import { suggestionText } from '../../../../server/src/engine/report/suggestionText';

const NOW = new Date('2026-12-01T00:00:00Z');
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const STORE = '/ws/supply-chain';
const MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = "1.3"\nbar = "2"\nbaz = "1"\n';
const LOCK = [
	'version = 4',
	'[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["bar", "baz", "foo"]',
	...[['foo', '1.3.2'], ['bar', '2.0.0'], ['baz', '1.0.0']].map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"`),
].join('\n\n');
const CONFIG = '[imports.acme]\nurl = "https://acme.example/audits.toml"\n';
const AUDITS = '[[audits.bar]]\nwho = "me"\ncriteria = "safe-to-deploy"\nversion = "2.0.0"\n\n[[audits.bar]]\nwho = "me"\ncriteria = "safe-to-deploy"\nviolation = "=2.0.0"\n';
const IMPORTS = '[[audits.acme.audits.foo]]\nwho = "Ann"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"\n';

function auditData(files: { config?: string; audits?: string; importsLock?: string } = {}): AuditData {
	const paths = { config: `${STORE}/config.toml`, audits: `${STORE}/audits.toml`, importsLock: `${STORE}/imports.lock` };
	const config = { path: paths.config, text: files.config ?? CONFIG };
	const audits = { path: paths.audits, text: files.audits ?? AUDITS };
	const importsLock = { path: paths.importsLock, text: files.importsLock ?? IMPORTS };
	const store = buildAuditStore({ directory: STORE, paths, config, audits, importsLock }, []);
	return { status: 'known', store, notes: [], texts: new Map([config, audits, importsLock].map((file) => [file.path, file.text])) };
}

/** Versions as the registry lists them, each with its publish time. */
function release(locked: string, versions: [string, string][]): ReleaseFacts {
	const published = versions.find(([version]) => version === locked)![1];
	return {
		registry: 'crates.io',
		registryKey: 'crates-io',
		publishedAt: known(published, 'index pubtime', null),
		yanked: false,
		indexChecksum: undefined,
		versions: versions.map(([version, publishedAt]) => ({ version, yanked: false, publishedAt, checksum: '0'.repeat(64), publisher: undefined })),
		publisher: undefined,
		previous: undefined,
		minimumAge: { ms: 7 * 86_400_000, origin: 'cargoTrust.releaseAge.minimum' },
		origin: 'index',
	};
}

const RELEASES: Record<string, ReleaseFacts> = {
	foo: release('1.3.2', [['1.1.0', '2024-01-01T00:00:00Z'], ['1.2.0', '2024-06-19T00:00:00Z'], ['1.3.0', '2026-10-01T00:00:00Z'], ['1.3.2', '2026-11-29T00:00:00Z'], ['1.4.0-beta.1', '2026-11-30T00:00:00Z']]),
	bar: release('2.0.0', [['2.0.0', '2025-01-01T00:00:00Z']]),
	baz: release('1.0.0', [['1.0.0', '2025-01-01T00:00:00Z']]),
};

function analyse(audits: AuditData | undefined, trust: TrustPolicyOptions = DEFAULT_TRUST_POLICY): WorkspaceAnalysis {
	const facts = {
		advisories: known(buildAdvisoryIndex([]), 'advisory-db', null),
		release: (pkg: { name: string }): Fact<ReleaseFacts> | undefined => (RELEASES[pkg.name] ? known(RELEASES[pkg.name]!, 'index', null) : undefined),
		unsafe: () => undefined,
		...(audits ? { audits } : {}),
	};
	return analyzeWorkspace({ root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text: MANIFEST }], lockfile: { path: '/ws/Cargo.lock', text: LOCK }, problems: [] }, facts, buildPolicy([], undefined, { trust }), NOW);
}

type Package = Record<string, unknown> & { name: string };
function packages(analysis: WorkspaceAnalysis): Record<string, Package> {
	const report = JSON.parse(JSON.stringify(buildJsonReport(analysis, { toolVersion: '0', generatedAt: NOW, data: { advisoryDb: { status: 'known', path: null, updatedAt: null, reason: null }, registries: [], publishAge: { notices: [] } } }))) as { packages: Package[] };
	return Object.fromEntries(report.packages.map((entry) => [entry.name, entry]));
}

test('JSON: the audit verdict, the policy, and the pin to the newest older version that passes', () => {
	const { foo, bar, baz } = packages(analyse(auditData()));
	assert.deepEqual(foo!.audit, { required: ['safe-to-deploy'], vetted: [], fullyAudited: [], by: [], violations: [] });
	assert.deepEqual(foo!.policy, { passes: false, failed: ['young', 'unaudited'] });
	const pin = { action: 'pin', version: '1.2.0', requirement: '=1.2.0', leavesRequirement: true, command: 'cargo update -p foo@1.3.2 --precise 1.2.0', reasons: ['audited safe-to-deploy by acme', '895 days old', 'no advisories'] };
	assert.deepEqual(foo!.suggestions, [pin]);
	assert.deepEqual(foo!.suggestion, pin);
	assert.deepEqual(bar!.audit, { required: ['safe-to-deploy'], vetted: ['safe-to-deploy', 'safe-to-run'], fullyAudited: ['safe-to-deploy', 'safe-to-run'], by: [{ source: 'local', kind: 'full', detail: '2.0.0' }], violations: [{ source: 'local', requirement: '=2.0.0', criteria: ['safe-to-deploy'] }] });
	assert.deepEqual([bar!.policy, bar!.suggestions, bar!.suggestion], [{ passes: false, failed: ['violation'] }, [], null]);
	assert.deepEqual(baz!.policy, { passes: false, failed: ['unaudited'] });
});

test('without audit data, `audit` is null and the policy does not ask for audits', () => {
	const { foo, baz } = packages(analyse(undefined));
	assert.equal(foo!.audit, null);
	assert.deepEqual(foo!.policy, { passes: false, failed: ['young'] });
	// Pinned to the newest older version that is old enough (1.3.0), which needs no audit now.
	assert.deepEqual((foo!.suggestion as { version: string; reasons: string[] }).version, '1.3.0');
	assert.deepEqual(baz!.policy, { passes: true, failed: [] });
	assert.equal(analyse(auditData(), { ...DEFAULT_TRUST_POLICY, requireAudits: 'never' }).findings.some((finding) => finding.code === 'unaudited'), false);
});

test('diagnostics: unaudited (a warning when audits are required) and audit-violation (an error)', () => {
	const rows = analyse(auditData()).findings.filter((finding) => finding.code === 'unaudited' || finding.code === 'audit-violation').map((finding) => `${finding.file} ${finding.code} ${finding.severity} ${finding.package}`);
	assert.deepEqual(rows.sort(), [
		'/ws/Cargo.lock audit-violation error bar@2.0.0',
		'/ws/Cargo.lock unaudited warning baz@1.0.0',
		'/ws/Cargo.lock unaudited warning foo@1.3.2',
		'/ws/Cargo.toml audit-violation error bar@2.0.0',
		'/ws/Cargo.toml unaudited warning baz@1.0.0',
		'/ws/Cargo.toml unaudited warning foo@1.3.2',
	]);
});

test('a broken store file is a finding on that file, and the rest of the store is still used', () => {
	const analysis = analyse(auditData({ config: `${CONFIG}\n[policy.foo\ncriteria = "safe-to-run"\n` }));
	const onConfig = analysis.findings.filter((finding) => finding.file === `${STORE}/config.toml`);
	assert.ok(onConfig.length > 0);
	assert.ok(onConfig.some((finding) => finding.severity === 'error') && onConfig.every((finding) => finding.range.start >= CONFIG.length), JSON.stringify(onConfig));
	assert.equal(analysis.texts.get(`${STORE}/config.toml`), `${CONFIG}\n[policy.foo\ncriteria = "safe-to-run"\n`);
	// audits.toml still vets bar, imports.lock still vets foo 1.2.0.
	assert.deepEqual(packages(analysis).foo!.suggestions, packages(analyse(auditData())).foo!.suggestions);
});

test('check --suggest: each failing package, why, and its fix as commands', () => {
	const text = suggestionText(analyse(auditData()));
	assert.match(text, /# foo 1\.3\.2 fails the trust policy \(young, unaudited\)\n# {3}Pin to 1\.2\.0 \(audited safe-to-deploy by acme, 895 days old, no advisories, leaves "1\.3"\)\n# {3}first set the requirement of foo to "=1\.2\.0" in Cargo\.toml\ncargo update -p foo@1\.3\.2 --precise 1\.2\.0\n/);
	assert.match(text, /# bar 2\.0\.0 fails the trust policy \(violation\)\n# {3}no fix: no older version is published\n/);
});

test('findings of a failing package carry its fixes in data, on the manifest entry and the Cargo.lock entry; a package without a fix carries none', () => {
	const findings = analyse(auditData()).findings;
	const fix = { action: 'pin', version: '1.2.0', title: 'Pin to 1.2.0 (audited safe-to-deploy by acme, 895 days old, no advisories, leaves "1.3")', requirement: '=1.2.0', leavesRequirement: true, command: 'cargo update -p foo@1.3.2 --precise 1.2.0' };
	const foo = findings.filter((finding) => finding.package === 'foo@1.3.2');
	assert.deepEqual(foo.map((finding) => `${finding.file} ${finding.code}`).sort(), ['/ws/Cargo.lock unaudited', '/ws/Cargo.lock young-release', '/ws/Cargo.toml unaudited', '/ws/Cargo.toml young-release']);
	for (const finding of foo) assert.deepEqual(finding.data?.fixes, [fix], finding.code);
	// bar fails (a violation) with nothing older to pin to: its findings carry no fixes.
	assert.ok(findings.filter((finding) => finding.package === 'bar@2.0.0').every((finding) => finding.data && !('fixes' in finding.data)));
});
