/**
 * The JSON and SARIF reports' structure on a small workspace with a member in a folder with a space: every field of
 * the contract (../shared/reference/cli-report.md), 1-based lines and columns, paths relative to the root, and
 * null signals with their reasons. Advisory message texts are not asserted here.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildAdvisoryIndex } from '../../../../server/src/engine/advisory/advisoryIndex';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../../../../server/src/engine/analyze';
import { known, unknown, type Fact } from '../../../../server/src/engine/facts';
import type { LockedPackage } from '../../../../server/src/engine/lockfile/types';
import { buildPolicy } from '../../../../server/src/engine/policy';
import type { ReleaseFacts } from '../../../../server/src/engine/release/types';
import { buildJsonReport, type ReportContext } from '../../../../server/src/engine/report/jsonReport';
import { buildSarifReport } from '../../../../server/src/engine/report/sarifReport';
import type { UnsafeFacts } from '../../../../server/src/engine/unsafe/types';

const NOW = new Date('2026-12-01T12:00:00Z');
const CHECKSUM = 'a'.repeat(64);
const GIT = 'git+https://git.example/bar?rev=abc#0123456789abcdef0123456789abcdef01234567';

const rootManifest = '[workspace]\nmembers = ["my crate"]\n';
// `  foo` is indented so its column is 3, not 1.
const memberManifest = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n  foo = "1"\nbar = { git = "https://git.example/bar", rev = "abc" }\n';
const lockfile = [
	'version = 4',
	'',
	'[[package]]',
	'name = "app"',
	'version = "0.1.0"',
	'dependencies = ["bar", "foo"]',
	'',
	'[[package]]',
	'name = "bar"',
	'version = "2.0.0"',
	`source = "${GIT}"`,
	'',
	'[[package]]',
	'name = "foo"',
	'version = "1.0.0"',
	'source = "registry+https://github.com/rust-lang/crates.io-index"',
	`checksum = "${CHECKSUM}"`,
	'',
].join('\n');

const fooRelease: ReleaseFacts = {
	registry: 'crates.io',
	publishedAt: known('2026-11-29T10:00:00.123Z', 'index pubtime', null),
	yanked: true,
	indexChecksum: CHECKSUM,
	registryKey: 'crates-io',
	versions: [
		{ version: '1.0.0', yanked: true, publishedAt: null, checksum: CHECKSUM, publisher: undefined },
		{ version: '1.2.0', yanked: false, publishedAt: null, checksum: CHECKSUM, publisher: undefined },
	],
	publisher: undefined,
	previous: undefined,
	minimumAge: { ms: 7 * 86_400_000, origin: 'setting cargoTrust.releaseAge.minimum' },
	origin: 'index.crates.io, fetched 2026-12-01T00:00:00Z',
};
const fooUnsafe: UnsafeFacts = {
	counts: { blocks: 2, functions: 1, impls: 0, traits: 0, externBlocks: 0, attributes: 0 },
	files: 4,
	forbidsUnsafe: false,
	capabilities: { buildScript: true, procMacro: false, links: null },
	anomalies: [],
	origin: 'registry src',
};

function analysis(root: string, advisories: boolean): WorkspaceAnalysis {
	const sep = root.includes('\\') ? '\\' : '/';
	const facts = {
		advisories: advisories ? known(buildAdvisoryIndex([]), 'RustSec advisory-db at /cache/advisory-db', '2026-12-01T00:00:00Z') : unknown<never>('the advisory database could not be cloned'),
		release: (pkg: LockedPackage): Fact<ReleaseFacts> | undefined => (pkg.name === 'foo' ? known(fooRelease, 'index', null) : pkg.name === 'bar' ? unknown('git packages have no registry data') : undefined),
		unsafe: (pkg: LockedPackage): Fact<UnsafeFacts> | undefined => (pkg.name === 'foo' ? known(fooUnsafe, 'source', null) : pkg.name === 'bar' ? unknown('the checkout is not on disk') : undefined),
	};
	const input = {
		root,
		manifests: [
			{ path: `${root}${sep}Cargo.toml`, text: rootManifest },
			{ path: `${root}${sep}my crate${sep}Cargo.toml`, text: memberManifest },
		],
		lockfile: { path: `${root}${sep}Cargo.lock`, text: lockfile },
		problems: [],
	};
	return analyzeWorkspace(input, facts, buildPolicy([]), NOW);
}

function context(registryReason: string | null = null): ReportContext {
	return {
		toolVersion: '9.9.9',
		generatedAt: new Date('2026-12-01T12:00:00.456Z'),
		data: {
			advisoryDb: { status: 'known', path: '/cache/advisory-db', updatedAt: '2026-12-01T00:00:00Z', reason: null },
			registries: [{ name: 'crates-io', url: 'https://index.crates.io/', status: registryReason ? 'error' : 'reachable', reason: registryReason }],
			publishAge: { notices: [] },
		},
	};
}

interface JsonReport {
	schemaVersion: number;
	tool: unknown;
	root: string;
	generatedAt: string;
	data: unknown;
	packages: Record<string, unknown>[];
	findings: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string; package: string | null }[];
}

const json = (a: WorkspaceAnalysis, c = context()): JsonReport => JSON.parse(JSON.stringify(buildJsonReport(a, c))) as JsonReport;
const byName = (report: JsonReport, name: string): Record<string, unknown> => report.packages.find((p) => p.name === name) ?? assert.fail(`no package ${name}`);

describe('JSON report', () => {
	it('has the contract header, with whole-second timestamps', () => {
		const report = json(analysis('/ws', true));
		assert.equal(report.schemaVersion, 1);
		assert.deepEqual(report.tool, { name: 'cargo-trust', version: '9.9.9' });
		assert.equal(report.root, '/ws');
		assert.equal(report.generatedAt, '2026-12-01T12:00:00Z');
		// Without audit data every `audit` is null, for the reason given once here.
		assert.deepEqual(report.data, { ...context().data, audits: { status: 'none', required: false, directory: null, notes: [], reason: 'audit data was not read' } });
	});

	it('lists every locked package, sorted by name, with every signal or its reason', () => {
		const report = json(analysis('/ws', true));
		assert.deepEqual(
			report.packages.map((p) => p.name),
			['app', 'bar', 'foo'],
		);
		assert.deepEqual(byName(report, 'foo'), {
			name: 'foo',
			version: '1.0.0',
			source: 'crates-io',
			checksum: CHECKSUM,
			direct: true,
			advisories: [],
			release: {
				publishedAt: '2026-11-29T10:00:00Z',
				ageDays: 2,
				yanked: true,
				latest: '1.2.0',
				source: 'index',
				publishedAtReason: null,
				registry: 'crates.io',
				minimumAgeDays: 7,
				publisher: null,
			},
			releaseReason: null,
			unsafe: { blocks: 2, functions: 1, impls: 0, traits: 0, externBlocks: 0, attributes: 0, files: 4, forbidsUnsafe: false, buildScript: true, procMacro: false, links: null, anomalies: [] },
			unsafeReason: null,
			provenance: null,
			provenanceReason: 'provenance was not checked',
			audit: null,
			policy: { passes: false, failed: ['yanked', 'young'] },
			// No other version has a known publish time, so none can be shown old enough to suggest.
			suggestions: [],
			suggestion: null,
		});
		const bar = byName(report, 'bar');
		assert.deepEqual([bar.source, bar.checksum, bar.direct, bar.release, bar.releaseReason, bar.unsafe, bar.unsafeReason], [GIT, null, true, null, 'git packages have no registry data', null, 'the checkout is not on disk']);
		const app = byName(report, 'app');
		assert.deepEqual([app.source, app.direct, app.release, app.releaseReason, app.unsafe, app.unsafeReason], ['path', false, null, 'registry data was not fetched', null, 'unsafe code was not counted']);
	});

	it('gives a reason once: not on the package when data names it for the whole registry', () => {
		const report = json(analysis('/ws', true), context('git packages have no registry data'));
		assert.equal(byName(report, 'bar').release, null);
		assert.equal(byName(report, 'bar').releaseReason, null);
		assert.equal(byName(report, 'app').releaseReason, 'registry data was not fetched');
	});

	it('reports advisories as null, not [], when the advisory data is unknown', () => {
		const report = json(analysis('/ws', false));
		assert.deepEqual(
			report.packages.map((p) => p.advisories),
			[null, null, null],
		);
		// On the first line of every manifest, about no one package.
		assert.deepEqual(
			report.findings.filter((f) => f.code === 'advisories-unknown').map((f) => [f.file, f.line, f.column, f.endLine, f.package]),
			[
				['Cargo.toml', 1, 1, 1, null],
				['my crate/Cargo.toml', 1, 1, 1, null],
			],
		);
	});

	it('places findings with 1-based lines and columns, relative paths, in file order', () => {
		const report = json(analysis('/ws', true));
		const rows = report.findings.map((f) => [f.file, f.line, f.column, f.endLine, f.endColumn, f.severity, f.code, f.package]);
		assert.deepEqual(rows, [
			['Cargo.lock', 14, 8, 14, 13, 'warning', 'yanked', 'foo@1.0.0'],
			['Cargo.lock', 14, 8, 14, 13, 'warning', 'young-release', 'foo@1.0.0'],
			['my crate/Cargo.toml', 6, 3, 6, 6, 'warning', 'yanked', 'foo@1.0.0'],
			['my crate/Cargo.toml', 6, 3, 6, 6, 'warning', 'young-release', 'foo@1.0.0'],
		]);
		assert.equal(report.findings[0]!.message, 'foo 1.0.0 is yanked from crates.io');
	});

	it('makes paths relative to a Windows root too', () => {
		const report = json(analysis('C:\\ws', true));
		assert.deepEqual([...new Set(report.findings.map((f) => f.file))], ['Cargo.lock', 'my crate/Cargo.toml']);
	});
});

interface Sarif {
	$schema: string;
	version: string;
	runs: {
		tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string } }[] } };
		originalUriBaseIds: Record<string, { uri: string }>;
		columnKind: string;
		results: {
			ruleId: string;
			ruleIndex: number;
			level: string;
			message: { text: string };
			locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
			properties?: { package: string };
		}[];
	}[];
}

const sarif = (a: WorkspaceAnalysis): Sarif => JSON.parse(JSON.stringify(buildSarifReport(a, '9.9.9'))) as Sarif;

describe('SARIF report', () => {
	it('has one run of cargo-trust with one rule per code, and results that point at their rule', () => {
		const report = sarif(analysis('/ws', true));
		assert.equal(report.version, '2.1.0');
		assert.equal(report.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
		assert.equal(report.runs.length, 1);
		const [run] = report.runs;
		assert.equal(run!.tool.driver.name, 'cargo-trust');
		assert.equal(run!.tool.driver.version, '9.9.9');
		assert.deepEqual(
			run!.tool.driver.rules.map((r) => r.id),
			['yanked', 'young-release'],
		);
		assert.equal(run!.columnKind, 'utf16CodeUnits');
		for (const result of run!.results) assert.equal(run!.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
	});

	it('locates results like the JSON report: 1-based, relative to SRCROOT, as URI references', () => {
		const a = analysis('/ws', true);
		const [run] = sarif(a).runs;
		assert.deepEqual(run!.originalUriBaseIds, { SRCROOT: { uri: 'file:///ws/' } });
		const rows = run!.results.map((r) => {
			const { artifactLocation, region } = r.locations[0]!.physicalLocation;
			return [artifactLocation.uri, artifactLocation.uriBaseId, region.startLine, region.startColumn, region.endLine, region.endColumn, r.level, r.ruleId, r.properties?.package];
		});
		assert.deepEqual(rows, [
			['Cargo.lock', 'SRCROOT', 14, 8, 14, 13, 'warning', 'yanked', 'foo@1.0.0'],
			['Cargo.lock', 'SRCROOT', 14, 8, 14, 13, 'warning', 'young-release', 'foo@1.0.0'],
			['my%20crate/Cargo.toml', 'SRCROOT', 6, 3, 6, 6, 'warning', 'yanked', 'foo@1.0.0'],
			['my%20crate/Cargo.toml', 'SRCROOT', 6, 3, 6, 6, 'warning', 'young-release', 'foo@1.0.0'],
		]);
		// Each result's URI, resolved against SRCROOT, is the file the finding is on.
		for (const r of run!.results) {
			const url = new URL(r.locations[0]!.physicalLocation.artifactLocation.uri, run!.originalUriBaseIds.SRCROOT!.uri);
			assert.ok(a.texts.has(decodeURIComponent(url.pathname)), url.href);
		}
	});

	it('maps each severity to its SARIF level (information and hint are notes)', () => {
		const a = analysis('/ws', false);
		const levels = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
		const [run] = sarif(a).runs;
		assert.deepEqual(
			run!.results.map((r) => r.level),
			json(a).findings.map((f) => levels[f.severity as keyof typeof levels]),
		);
		assert.ok(run!.results.some((r) => r.ruleId === 'advisories-unknown'));
	});

	it('gives a Windows root a file URI with its drive letter', () => {
		const [run] = sarif(analysis('C:\\ws', true)).runs;
		assert.equal(run!.originalUriBaseIds.SRCROOT!.uri, 'file:///C:/ws/');
		assert.deepEqual([...new Set(run!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))], ['Cargo.lock', 'my%20crate/Cargo.toml']);
	});
});
