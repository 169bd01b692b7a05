/**
 * The whole analysis of one Cargo workspace: parse every manifest and the lockfile, resolve each dependency to its
 * locked package, apply every rule, and produce the findings the editor shows and the CLI prints.
 * Pure: it takes file texts and facts, and returns data.
 */
import type { AdvisoryIndex } from './advisory/advisoryIndex';
import type { Fact } from './facts';
import { compareFindings, type Finding, type FindingData, type PackageFix, type PackageIssue } from './findings';
import { parseLockfile } from './lockfile/parseLockfile';
import type { LockedPackage, Lockfile } from './lockfile/types';
import { parseManifest } from './manifest/parseManifest';
import type { DependencySpec, Manifest } from './manifest/types';
import type { Policy } from './policy';
import type { ReleaseFacts } from './release/types';
import type { DependencyPaths } from './dependencyPaths';
import { resolveWorkspace } from './resolve';
import { assessChecksum } from './rules/checksum';
import { assessPublisher } from './rules/publisher';
import { applyReleasePolicy, assessReleaseAge } from './rules/releaseAge';
import { assessUnsafe } from './rules/unsafeCode';
import { assessYanked } from './rules/yanked';
import { assessProvenance } from './rules/provenance';
import type { ProvenanceFacts } from './provenance/types';
import type { UnsafeFacts } from './unsafe/types';
import { advisoriesNotApplicable, advisoryMessage, advisorySeverity, advisoryUrl, matchAdvisories, type AdvisoryMatch } from './rules/advisories';
import { requirementAdvisories, requirementFindings, type RequirementAdvisory } from './rules/requirementAdvisories';
import { placeOnce, type Bringer, type WorkspaceDependencies, type Placement } from './placeOnce';
import { patchedUpdateWithinRequirements } from './release/updateReach';
import { firstLineRange, type Parsed, type Problem } from './text';
import type { AuditData } from './audits/auditData';
import { membersOf } from './audits/requirements';
import { prepareAudits, type AuditView } from './policy/auditView';
import { releasePublisherLookup } from './audits/apiPublishers';
import { assessTrust, type PackagePolicy } from './policy/assessTrust';
import { assessAudit } from './rules/audits';
import { packageFixes, withFixes } from './fixes/packageFixes';
import { encodingProblems, type SourceText } from './toml/sourceText';

export interface WorkspaceInput {
	root: string;
	/** The root manifest first. */
	manifests: SourceText[];
	lockfile: SourceText | undefined;
	problems: { file: string; message: string }[];
	/** Files that exist but could not be read, and why. */
	unreadable?: readonly UnreadableInput[];
}

export interface UnreadableInput {
	path: string;
	kind: 'manifest' | 'lockfile';
	reason: string;
}

export interface WorkspaceFacts {
	advisories: Fact<AdvisoryIndex>;
	/** Registry data per locked package; undefined while not fetched yet. */
	release: (pkg: LockedPackage) => Fact<ReleaseFacts> | undefined;
	/** Unsafe counts per locked package; undefined while not counted yet. */
	unsafe: (pkg: LockedPackage) => Fact<UnsafeFacts> | undefined;
	/** Provenance per locked package; undefined while not checked yet (or when no lookup is given). */
	provenance?: (pkg: LockedPackage) => Fact<ProvenanceFacts> | undefined;
	/** The cargo-vet store and `cargoTrust.audits.sources`, or why there are none; absent: not read. */
	audits?: AuditData;
}

export interface ResolvedDep {
	spec: DependencySpec;
	/** Index into the lockfile's packages, when the dependency resolved. */
	lockIndex: number | undefined;
	/** Without a Cargo.lock: the advisories affecting some or all of the releases the requirement allows. */
	requirementAdvisories?: RequirementAdvisory[];
}

export interface ManifestAnalysis {
	path: string;
	manifest: Manifest;
	deps: ResolvedDep[];
}

export interface PackageTrust {
	pkg: LockedPackage;
	direct: boolean;
	/** Null when unknown; see `advisoriesReason`. */
	advisories: AdvisoryMatch[] | null;
	advisoriesReason: string | undefined;
	release: Fact<ReleaseFacts> | undefined;
	unsafe: Fact<UnsafeFacts> | undefined;
	provenance: Fact<ProvenanceFacts> | undefined;
	/** What the per-package rules found (checksum, yanked, release age, publisher, unsafe threshold). */
	issues: PackageIssue[];
}

export interface WorkspaceAnalysis {
	root: string;
	/** The text of every file analysed, by absolute path: hover checks it still matches the editor's buffer. */
	texts: Map<string, string>;
	manifests: ManifestAnalysis[];
	lockfile: { path: string; lockfile: Lockfile } | undefined;
	/** Aligned with the lockfile's packages. */
	packages: PackageTrust[];
	/** Which non-member direct dependencies reach each package, and by which shortest path: on demand (lock indexes). */
	paths: DependencyPaths;
	findings: Finding[];
	/** Files that exist but could not be read: the CLI refuses to report on a workspace it could not read whole. */
	unreadable: readonly UnreadableInput[];
	facts: WorkspaceFacts;
	/** The time the analysis was made for (ages are relative to it). */
	now: Date;
	/** Audit data, whether audits are required, and every package's vetting verdict. */
	audits: AuditView;
	/** The trust policy's verdict and the pin/upgrade suggestions, aligned with `packages`. */
	trust: PackagePolicy[];
}

/**
 * Parsed files by text, kept by the caller between analyses: a keystroke in one manifest re-parses that manifest only.
 * A member's parse depends on the root's `[workspace]` templates too, so members are keyed under those templates
 * (as JSON: an edit elsewhere in the root manifest keeps every member's parse).
 * Bounded: the oldest entries go first. Parse results are never mutated, so sharing them between analyses is safe.
 */
export class ParseCache {
	private readonly manifests = new Map<string, Map<string, Parsed<Manifest>>>();
	private readonly lockfiles = new Map<string, Parsed<Lockfile>>();
	private size = 0;

	constructor(private readonly limit = 2048) {}

	/** `inherited` is the JSON of what the manifest may inherit, undefined for the root manifest itself. */
	manifest(text: string, inherited: string | undefined, parse: () => Parsed<Manifest>): Parsed<Manifest> {
		const key = inherited ?? '';
		let byText = this.manifests.get(key);
		const cached = byText?.get(text);
		if (cached) return cached;
		if (!byText) this.manifests.set(key, (byText = new Map()));
		const parsed = parse();
		byText.set(text, parsed);
		this.grew();
		return parsed;
	}

	lockfile(text: string, parse: () => Parsed<Lockfile>): Parsed<Lockfile> {
		const cached = this.lockfiles.get(text);
		if (cached) return cached;
		const parsed = parse();
		this.lockfiles.set(text, parsed);
		this.grew();
		return parsed;
	}

	private grew(): void {
		if (++this.size <= this.limit) return;
		// Rare (a limit's worth of distinct texts): start again rather than track recency on every hit.
		this.manifests.clear();
		this.lockfiles.clear();
		this.size = 0;
	}
}

export function analyzeWorkspace(input: WorkspaceInput, facts: WorkspaceFacts, policy: Policy, now: Date, cache: ParseCache = new ParseCache()): WorkspaceAnalysis {
	const findings: Finding[] = [];
	const texts = new Map<string, string>();
	const addProblems = (file: string, problems: readonly Problem[]): void => {
		for (const problem of problems) findings.push({ file, range: problem.range, severity: problem.severity, code: problem.code, message: problem.message, package: null, href: null });
	};

	const [rootInput] = input.manifests;
	const parsedRoot = rootInput ? cache.manifest(rootInput.text, undefined, () => parseManifest(rootInput.text)) : undefined;
	const inherit = { workspaceDependencies: parsedRoot?.value.workspace?.dependencies ?? [], workspacePackage: parsedRoot?.value.workspacePackage ?? {} };
	const inheritKey = JSON.stringify(inherit);
	const manifests = input.manifests.map((file, i) => {
		texts.set(file.path, file.text);
		// The root is parsed again with its own workspace table, so its `workspace = true` dependencies resolve too.
		const parsed = i === 0 && parsedRoot && !parsedRoot.value.workspace ? parsedRoot : cache.manifest(file.text, inheritKey, () => parseManifest(file.text, inherit));
		addProblems(file.path, [...encodingProblems(file), ...parsed.problems]);
		return { path: file.path, manifest: parsed.value };
	});
	for (const problem of input.problems) findings.push({ file: problem.file, range: { start: 0, end: 0 }, severity: 'error', code: 'workspace', message: problem.message, package: null, href: null });

	let lockfile: WorkspaceAnalysis['lockfile'];
	const unreadableLockfile = input.unreadable?.find((file) => file.kind === 'lockfile');
	if (input.lockfile) {
		texts.set(input.lockfile.path, input.lockfile.text);
		const lockText = input.lockfile.text;
		const parsed = cache.lockfile(lockText, () => parseLockfile(lockText));
		addProblems(input.lockfile.path, [...encodingProblems(input.lockfile), ...parsed.problems]);
		lockfile = { path: input.lockfile.path, lockfile: parsed.value };
	} else if (rootInput && unreadableLockfile) {
		// An unreadable lockfile is not a missing one: say which file and why, so nobody runs generate-lockfile over it.
		findings.push({
			file: rootInput.path,
			range: firstLineRange(rootInput.text),
			severity: 'error',
			code: 'lockfile-unreadable',
			message: `Cannot read ${unreadableLockfile.path}: ${unreadableLockfile.reason}. The versions in use are unknown, so nothing can be checked.`,
			package: null,
			href: null,
		});
	} else if (rootInput) {
		findings.push({
			file: rootInput.path,
			range: firstLineRange(rootInput.text),
			severity: 'information',
			code: 'no-lockfile',
			message: 'There is no Cargo.lock, so the versions in use are unknown and nothing can be checked. Run `cargo generate-lockfile`.',
			package: null,
			href: null,
		});
	}

	const resolution = resolveWorkspace(
		manifests.map((m) => ({ manifestPath: m.path, manifest: m.manifest })),
		lockfile?.lockfile,
	);
	for (const { file, problem } of resolution.problems) addProblems(file, [problem]);

	const lockPackages = lockfile?.lockfile.packages ?? [];
	const packages: PackageTrust[] = lockPackages.map((pkg) => {
		const release = applyReleasePolicy(facts.release(pkg), policy);
		const unsafe = facts.unsafe(pkg);
		const provenance = facts.provenance?.(pkg);
		return {
			pkg,
			direct: resolution.value.isDirect(pkg.index),
			advisories: matchAdvisories(pkg, facts.advisories, policy),
			advisoriesReason: advisoriesNotApplicable(pkg, facts.advisories),
			release,
			unsafe,
			provenance,
			issues: [...assessChecksum(pkg, release), ...assessYanked(pkg, release), ...assessReleaseAge(pkg, release, now), ...assessPublisher(pkg, release), ...assessUnsafe(pkg, unsafe, policy), ...assessProvenance(pkg, provenance, release, policy.provenanceSeverities)],
		};
	});
	const manifestAnalyses: ManifestAnalysis[] = manifests.map((m) => ({
		...m,
		deps: resolution.value.dependenciesOf(m.path).map((dep): ResolvedDep => {
			const advisories = lockfile || facts.advisories.status !== 'known' ? [] : requirementAdvisories(dep.spec, facts.advisories.value, policy);
			return { spec: dep.spec, lockIndex: dep.lockIndex, ...(advisories.length ? { requirementAdvisories: advisories } : {}) };
		}),
	}));

	const audits = prepareAudits(facts.audits, lockfile?.lockfile, lockfile ? membersOf(manifestAnalyses, lockfile.lockfile) : [], policy.trust, releasePublisherLookup(packages));
	for (const trust of packages) trust.issues.push(...assessAudit(trust.pkg, audits.statuses?.verdicts.get(trust.pkg.index), audits.required));
	findings.push(...auditStoreFindings(audits, texts));
	const trust = assessTrust({ packages, manifests: manifestAnalyses, texts, audits, advisories: facts.advisories, policy, now });

	const { paths } = resolution.value;
	const place = placer(manifestAnalyses, packages, paths);
	const fixes = trust.map(packageFixes);
	findings.push(...advisoryFindings(lockfile, packages, place, facts.advisories, input, fixes));
	findings.push(...issueFindings(lockfile, packages, place, fixes));
	findings.push(...requirementFindings(manifestAnalyses));
	findings.sort(compareFindings);
	return { root: input.root, texts, manifests: manifestAnalyses, lockfile, packages, paths, findings, unreadable: input.unreadable ?? [], facts, now, audits, trust };
}

/** Problems of the store's files (parse errors, unknown criteria, bad violations), on those files; their texts join the analysis so they can be shown. */
function auditStoreFindings(audits: AuditView, texts: Map<string, string>): Finding[] {
	if (audits.data.status !== 'known') return [];
	for (const [path, text] of audits.data.texts) texts.set(path, text);
	const paths = [...audits.data.texts.keys()];
	return audits.problems.map(({ file, problem }) => ({
		// Problems of a `cargoTrust.audits.sources` file are keyed by the source's name.
		file: texts.has(file) ? file : paths.find((path) => path.endsWith(`/${file}`) || path.endsWith(`\\${file}`)) ?? file,
		range: problem.range,
		severity: problem.severity,
		code: problem.code,
		message: problem.message,
		package: null,
		href: null,
	}));
}

/** Where each problem about a package goes: which entries of which manifests bring each package in. */
interface Placer {
	/** The rows for a problem about `lockIndex`; `transitive` also counts entries that bring it in through their dependencies. */
	rows(lockIndex: number, transitive: boolean): Placement[];
}

function placer(manifests: readonly ManifestAnalysis[], packages: readonly PackageTrust[], paths: DependencyPaths): Placer {
	const entriesOf = new Map<number, { manifest: ManifestAnalysis; dep: ResolvedDep }[]>();
	for (const manifest of manifests) {
		for (const dep of manifest.deps) {
			if (dep.lockIndex === undefined) continue;
			const list = entriesOf.get(dep.lockIndex);
			if (list) list.push({ manifest, dep });
			else entriesOf.set(dep.lockIndex, [{ manifest, dep }]);
		}
	}
	const workspace = workspaceDependencies(manifests);
	return {
		rows(lockIndex, transitive) {
			const bringers: Bringer[] = (entriesOf.get(lockIndex) ?? []).map((entry) => ({ ...entry, via: [] }));
			if (transitive) {
				for (const direct of paths.directsReaching(lockIndex)) {
					if (direct === lockIndex) continue;
					const via = paths.path(direct, lockIndex)!.slice(0, -1).map((index) => packages[index]!.pkg.name);
					for (const entry of entriesOf.get(direct) ?? []) bringers.push({ ...entry, via });
				}
			}
			const { pkg } = packages[lockIndex]!;
			return placeOnce(bringers, workspace, `${pkg.name} ${pkg.version}`);
		},
	};
}

/** The root's `[workspace.dependencies]`: the root manifest comes first. */
function workspaceDependencies(manifests: readonly ManifestAnalysis[]): WorkspaceDependencies | undefined {
	const root = manifests[0];
	return root?.manifest.workspace ? { file: root.path, specs: root.manifest.workspace.dependencies } : undefined;
}

/** Per-package issues, on the Cargo.lock entry and once per manifest on the entry that declares the package. */
function issueFindings(lockfile: WorkspaceAnalysis['lockfile'], packages: readonly PackageTrust[], place: Placer, fixes: readonly PackageFix[][]): Finding[] {
	const findings: Finding[] = [];
	for (const trust of packages) {
		if (trust.issues.length === 0) continue;
		const rows = place.rows(trust.pkg.index, false);
		const at = (file: string, range: Finding['range'], issue: PackageIssue, related: Finding['related']): Finding => ({
			file,
			range,
			severity: issue.severity,
			code: issue.code,
			message: issue.message,
			package: `${trust.pkg.name}@${trust.pkg.version}`,
			href: null,
			...(related?.length ? { related } : {}),
			data: withFixes({ ...issue.data, package: `${trust.pkg.name}@${trust.pkg.version}` }, fixes[trust.pkg.index] ?? []),
		});
		for (const issue of trust.issues) {
			for (const row of rows) findings.push(at(row.file, row.range, issue, row.related));
			if (lockfile) findings.push(at(lockfile.path, trust.pkg.nameRange, issue, undefined));
		}
	}
	return findings;
}

/** Advisories once per manifest, on the entry that brings the package in most directly, and on its Cargo.lock entry. */
function advisoryFindings(lockfile: WorkspaceAnalysis['lockfile'], packages: readonly PackageTrust[], place: Placer, data: Fact<AdvisoryIndex>, input: WorkspaceInput, fixes: readonly PackageFix[][]): Finding[] {
	const findings: Finding[] = [];
	if (data.status !== 'known') {
		// A lone Cargo.lock (checked without manifests) carries the notice itself.
		for (const file of input.manifests.length ? input.manifests : input.lockfile ? [input.lockfile] : []) {
			findings.push({
				file: file.path,
				range: firstLineRange(file.text),
				severity: 'information',
				code: 'advisories-unknown',
				message: `Advisory data unavailable: ${data.reason}. Dependencies are not checked for RustSec advisories.`,
				package: null,
				href: null,
			});
		}
		return findings;
	}
	const staleOn = input.manifests[0] ?? input.lockfile;
	if (data.stale && staleOn) {
		findings.push({
			file: staleOn.path,
			range: firstLineRange(staleOn.text),
			severity: 'warning',
			code: 'advisory-db-stale',
			message: `The advisory database (${data.origin}) has not been updated for more than 90 days; newer advisories are missing.`,
			package: null,
			href: null,
		});
	}
	for (const trust of packages) {
		const matches = trust.advisories?.filter((match) => !match.ignored) ?? [];
		if (matches.length === 0) continue;
		const rows = place.rows(trust.pkg.index, true);
		for (const { advisory } of matches) {
			const data: FindingData = withFixes(
				{
					signal: 'advisory',
					package: `${trust.pkg.name}@${trust.pkg.version}`,
					advisory: { id: advisory.id, kind: advisory.kind, patched: advisory.patched, unaffected: advisory.unaffected },
				},
				fixes[trust.pkg.index] ?? [],
			);
			const reaches = trust.direct ? undefined : patchedUpdateWithinRequirements(trust.pkg.version, trust.release, advisory.affected);
			const at = (file: string, range: Finding['range'], via: string[], related: Finding['related']): Finding => ({
				file,
				range,
				severity: advisorySeverity(advisory.kind),
				code: advisory.id,
				message: advisoryMessage(trust.pkg, advisory, via, reaches),
				package: `${trust.pkg.name}@${trust.pkg.version}`,
				href: advisoryUrl(advisory.id),
				...(related?.length ? { related } : {}),
				data,
			});
			for (const row of rows) findings.push(at(row.file, row.range, row.via, row.related));
			if (lockfile) findings.push(at(lockfile.path, trust.pkg.nameRange, [], undefined));
		}
	}
	return findings;
}
