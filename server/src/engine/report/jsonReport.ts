/**
 * The CLI's JSON report, schemaVersion 1, field for field as ../shared/reference/cli-report.md specifies.
 * Signals that later issues add (release, unsafe, provenance, audit, suggestion) are null until they exist.
 */
import type { WorkspaceAnalysis, PackageTrust } from '../analyze';
import { LineIndex } from '../lineIndex';
import { ageDays } from '../release/age';
import { latestVersion } from '../release/latest';
import { advisoryUrl } from '../rules/advisories';
import type { Fact } from '../facts';
import type { Finding } from '../findings';
import { relativePath } from './reportPaths';

export interface DataStatus {
	status: 'known' | 'unknown';
	path: string | null;
	updatedAt: string | null;
	reason: string | null;
}

/** One registry's state: answered, served from cache, offline, or failing (and why). */
export interface RegistryDataStatus {
	name: string;
	url: string | null;
	status: 'reachable' | 'cache' | 'offline' | 'error' | 'unused';
	reason: string | null;
}

/** Publish-age settings cargo ignores or rejects: `key` as written, `origin` the file or variable, and what to write. */
export interface PublishAgeData {
	notices: { key: string; origin: string; message: string }[];
}

export interface ReportContext {
	toolVersion: string;
	generatedAt: Date;
	data: { advisoryDb: DataStatus; registries: RegistryDataStatus[]; publishAge: PublishAgeData; provenance?: ProvenanceData };
}

/** Whether provenance was checked at all; `disabled` with the reason (`--no-provenance`) makes every package's null. */
export interface ProvenanceData {
	status: 'enabled' | 'disabled';
	reason: string | null;
}

export interface ReportFinding {
	file: string;
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	severity: Finding['severity'];
	code: string;
	message: string;
	package: string | null;
	/** The other entries that bring in the same problem (the editor's related information), 1-based like the finding. */
	related: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
}

export function buildJsonReport(analysis: WorkspaceAnalysis, context: ReportContext): object {
	return {
		schemaVersion: 1,
		tool: { name: 'cargo-trust', version: context.toolVersion },
		root: analysis.root,
		generatedAt: context.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
		data: { ...context.data, audits: auditsData(analysis) },
		packages: [...analysis.packages].sort(comparePackages).map((trust) => ({ ...packageEntry(trust, analysis.now, analysis.manifests.length > 0, context.data), ...trustEntry(analysis, trust) })),
		findings: reportFindings(analysis),
	};
}

/** Findings with 1-based lines and columns and paths relative to the root, in file order. */
export function reportFindings(analysis: WorkspaceAnalysis): ReportFinding[] {
	const indexes = new Map<string, LineIndex>();
	const locate = (file: string, range: Finding['range']): { file: string; line: number; column: number; endLine: number; endColumn: number } => {
		let index = indexes.get(file);
		if (!index) {
			index = new LineIndex(analysis.texts.get(file) ?? '');
			indexes.set(file, index);
		}
		const start = index.position(range.start);
		const end = index.position(range.end);
		return { file: relativePath(analysis.root, file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
	};
	return analysis.findings.map((finding) => ({
		...locate(finding.file, finding.range),
		severity: finding.severity,
		code: finding.code,
		message: finding.message,
		package: finding.package,
		related: (finding.related ?? []).map((location) => ({ ...locate(location.file, location.range), message: location.message })),
	}));
}

function comparePackages(a: PackageTrust, b: PackageTrust): number {
	return a.pkg.name.localeCompare(b.pkg.name) || compareVersionStrings(a.pkg.version, b.pkg.version);
}

function compareVersionStrings(a: string, b: string): number {
	return a.localeCompare(b, 'en', { numeric: true });
}

/** `withManifests` is false for a lone Cargo.lock: whether a package is direct is then unknown (`null`). */
function packageEntry(trust: PackageTrust, now: Date, withManifests: boolean, data: ReportContext['data']): object {
	const { pkg } = trust;
	return {
		name: pkg.name,
		version: pkg.version,
		source: reportSource(trust),
		checksum: pkg.checksum ?? null,
		direct: withManifests ? trust.direct : null,
		advisories:
			trust.advisories?.map(({ advisory, ignored, ignoreReason }) => ({
				id: advisory.id,
				kind: advisory.kind,
				title: advisory.title,
				url: advisoryUrl(advisory.id),
				aliases: advisory.aliases,
				patched: advisory.patched,
				unaffected: advisory.unaffected,
				ignored,
				ignoreReason,
			})) ?? null,
		release: releaseEntry(trust, now),
		releaseReason: nullReason(trust.release, 'registry data was not fetched', data.registries),
		unsafe: unsafeEntry(trust),
		unsafeReason: nullReason(trust.unsafe, 'unsafe code was not counted', []),
		provenance: provenanceEntry(trust),
		provenanceReason: trust.provenance?.status === 'disabled' && data.provenance?.reason === trust.provenance.reason ? null : nullReason(trust.provenance, 'provenance was not checked', []),
	};
}

/** `data.audits`: whether audit data was found, and why not (every package's `audit` is then null for this reason). */
function auditsData(analysis: WorkspaceAnalysis): object {
	const { data, required } = analysis.audits;
	return data.status === 'known' ? { status: 'known', required, directory: data.store.directory ?? null, notes: data.notes, reason: null } : { status: 'none', required, directory: null, notes: [], reason: data.reason };
}

/** `audit`, `policy`, `suggestions` and `suggestion` (issue 15). */
function trustEntry(analysis: WorkspaceAnalysis, trust: PackageTrust): object {
	const verdict = analysis.trust[trust.pkg.index];
	if (!verdict) return { audit: null, policy: null, suggestions: [], suggestion: null };
	const { audit } = verdict;
	const suggestions = verdict.suggestions.map((suggestion) => ({
		action: suggestion.action,
		version: suggestion.version,
		requirement: suggestion.requirement,
		leavesRequirement: suggestion.leaves !== undefined,
		command: suggestion.command ?? null,
		reasons: suggestion.reasons,
	}));
	return {
		audit: audit ? { required: audit.required, vetted: audit.vetted, fullyAudited: audit.fullyAudited, by: audit.by.map(({ source, kind, detail }) => ({ source, kind, detail })), violations: audit.violations } : null,
		policy: { passes: verdict.policy.passes, failed: verdict.policy.failed },
		suggestions,
		suggestion: suggestions[0] ?? null,
	};
}

/** `release` per the contract; null when the registry data is unknown (the reason is in `data.registries`). */
function releaseEntry(trust: PackageTrust, now: Date): object | null {
	if (trust.release?.status !== 'known') return null;
	const facts = trust.release.value;
	const published = facts.publishedAt.status === 'known' ? facts.publishedAt : undefined;
	return {
		publishedAt: published ? published.value.replace(/\.\d+Z$/, 'Z') : null,
		ageDays: published ? ageDays(published.value, now) : null,
		yanked: facts.yanked,
		latest: latestVersion(facts.versions),
		source: published ? (published.origin.startsWith('index') ? 'index' : 'api') : null,
		publishedAtReason: facts.publishedAt.status === 'unknown' ? facts.publishedAt.reason : null,
		registry: facts.registry,
		minimumAgeDays: facts.minimumAge ? facts.minimumAge.ms / 86_400_000 : null,
		publisher: facts.publisher?.status === 'known' ? facts.publisher.value : null,
	};
}

/** `unsafe` per the contract, plus what the package can do at build time; null when it could not be counted. */
function unsafeEntry(trust: PackageTrust): object | null {
	if (trust.unsafe?.status !== 'known') return null;
	const { counts, files, forbidsUnsafe, capabilities, anomalies } = trust.unsafe.value;
	return { ...counts, files, forbidsUnsafe, buildScript: capabilities.buildScript, procMacro: capabilities.procMacro, links: capabilities.links, anomalies };
}

/** `provenance` per the contract (and which modified files the repository holds as links); null when not checked. */
function provenanceEntry(trust: PackageTrust): object | null {
	if (trust.provenance?.status !== 'known') return null;
	const { status, repository, commit, pathInVcs, dirty, modified, added, reason, repositorySymlinks, skipped, reachability } = trust.provenance.value;
	// Whether the commit is on a branch or tag (imposter commits): only `--deep-provenance` checks it; null says why.
	const reachable = { reachable: reachability?.reachable ?? null, reachableVia: reachability?.via ?? null, reachableReason: reachability ? reachability.reason : NOT_CHECKED_REACHABLE };
	return { status, repository, commit, pathInVcs, dirty, modified, added, reason, repositorySymlinks, skipped, ...reachable };
}

const NOT_CHECKED_REACHABLE = 'not checked (--deep-provenance checks that the commit is on a branch or tag)';

/**
 * Why a per-package signal is null: the fact's own reason, or null when the signal is known or the very same reason
 * is already given once for its whole registry in `data` (the contract's rule: every null signal says why, once).
 */
function nullReason(fact: Fact<unknown> | undefined, notFetched: string, registries: readonly RegistryDataStatus[]): string | null {
	if (fact?.status === 'known') return null;
	const reason = fact?.reason ?? notFetched;
	return registries.some((registry) => registry.reason === reason) ? null : reason;
}

function reportSource(trust: PackageTrust): string {
	const source = trust.pkg.source;
	if (source.kind === 'crates-io') return 'crates-io';
	if (source.kind === 'path') return 'path';
	return source.raw;
}
