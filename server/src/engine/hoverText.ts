/**
 * The hover card, as Markdown: what a dependency resolves to and everything known about its trust,
 * with where the data came from. Built here, in the engine, so the exact text is unit-tested without LSP.
 */
import type { WorkspaceAnalysis, PackageTrust, ResolvedDep } from './analyze';
import type { AdvisoryMatch } from './rules/advisories';
import { advisoryUrl } from './rules/advisories';
import { describePublisher } from './rules/publisher';
import { describeAge, describeDuration, isoDate } from './release/age';
import { latestCompatible, latestVersion } from './release/latest';
import { describeCounts, totalUnsafe } from './unsafe/totals';
import { mdCode, mdText } from './markdown';
import type { TextRange } from './text';
import type { DependencySpec } from './manifest/types';
import { describeRange } from './advisory/describeRanges';
import { patchedUpdateWithinRequirements } from './release/updateReach';
import { provenanceSection } from './provenance/provenanceHover';
import { auditSection, policySection } from './audits/auditHover';

export interface HoverCard {
	markdown: string;
	/** The range the hover applies to (the key or version hovered, or the [[package]] entry). */
	range: TextRange;
	/** The locked package the card is about, when there is one. */
	lockIndex: number | undefined;
}

export function hoverAt(analysis: WorkspaceAnalysis, file: string, offset: number): HoverCard | undefined {
	const manifest = analysis.manifests.find((m) => m.path === file);
	if (manifest) {
		const within = (spec: DependencySpec): TextRange | undefined =>
			[spec.keyRange, spec.versionRange].find((r): r is TextRange => r !== undefined && r.start <= offset && offset <= r.end);
		for (const dep of manifest.deps) {
			const range = within(dep.spec);
			if (range) return { markdown: dependencyCard(analysis, dep), range, lockIndex: dep.lockIndex };
		}
		// The root's [workspace.dependencies] (the root comes first): where members' versions are chosen.
		for (const spec of manifest === analysis.manifests[0] ? (manifest.manifest.workspace?.dependencies ?? []) : []) {
			const range = within(spec);
			if (range) return workspaceDependencyCard(analysis, spec, range);
		}
		return undefined;
	}
	if (analysis.lockfile?.path === file) {
		const trust = analysis.packages.find((p) => p.pkg.range.start <= offset && offset <= p.pkg.range.end);
		if (trust) return { markdown: packageCard(analysis, trust), range: trust.pkg.headerRange, lockIndex: trust.pkg.index };
	}
	return undefined;
}

function dependencyCard(analysis: WorkspaceAnalysis, dep: ResolvedDep, usedBy?: string): string {
	const { spec } = dep;
	const renamed = spec.crateName !== spec.key ? ` (renamed from ${mdCode(spec.crateName)})` : '';
	const requirement = spec.versionReq ? ` · requirement ${mdCode(spec.versionReq)}` : '';
	const users = usedBy ? [usedBy, ''] : [];
	if (dep.lockIndex === undefined) {
		const why = analysis.lockfile ? 'No locked version in Cargo.lock matches this dependency (run `cargo update`).' : 'There is no Cargo.lock, so the version in use is unknown.';
		return [`**${mdText(spec.key)}**${renamed}${requirement}`, '', ...users, why, ...requirementSection(dep), footer(analysis)].join('\n');
	}
	const trust = analysis.packages[dep.lockIndex]!;
	const lines = [`**${mdText(spec.key)}**${renamed} ${mdCode(trust.pkg.version)} · ${sourceLabel(trust)}${requirement}`, '', ...users];
	lines.push(...releaseSection(trust, analysis.now, spec.versionReq), ...unsafeSection(trust), ...provenanceSection(trust, workspaceFile(analysis)), ...trustSections(analysis, trust), ...advisorySection(trust));
	const transitive = analysis.paths.reachableFrom(trust.pkg.index).filter((index) => index !== trust.pkg.index && activeCount(analysis.packages[index]!) > 0);
	if (transitive.length) {
		lines.push('', '**Through its dependencies**', '');
		for (const other of transitive.map((index) => analysis.packages[index]!)) {
			const path = analysis.paths.path(trust.pkg.index, other.pkg.index)!.map((i) => mdText(analysis.packages[i]!.pkg.name)).join(' → ');
			for (const match of other.advisories ?? []) {
				if (match.ignored) continue;
				lines.push(`- ${mdCode(`${other.pkg.name} ${other.pkg.version}`)} via ${path}: ${advisoryLine(match)}`);
				const reaches = patchedUpdateWithinRequirements(other.pkg.version, other.release, match.advisory.affected);
				if (reaches) lines.push(`  ${mdCode(`cargo update -p ${other.pkg.name}`)} reaches ${mdCode(reaches)} (patched) within the current requirements`);
			}
		}
	}
	lines.push(footer(analysis, trust));
	return lines.join('\n');
}

/** A `[workspace.dependencies]` entry: the package(s) it resolves to in the members that inherit it, and who they are. */
function workspaceDependencyCard(analysis: WorkspaceAnalysis, spec: DependencySpec, range: TextRange): HoverCard {
	const users = analysis.manifests.flatMap((m) => m.deps.filter((dep) => dep.spec.inheritsFromWorkspace && dep.spec.key === spec.key).map((dep) => ({ manifest: m, dep })));
	const members = [...new Set(users.map(({ manifest }) => manifest.manifest.packageName ?? manifest.path))];
	if (users.length === 0) {
		const requirement = spec.versionReq ? ` · requirement ${mdCode(spec.versionReq)}` : '';
		const markdown = [`**${mdText(spec.key)}**${requirement} · workspace dependency`, '', `Used by no member: none writes ${mdCode(`${spec.key}.workspace = true`)}.`].join('\n');
		return { markdown, range, lockIndex: undefined };
	}
	const shown = members.slice(0, 5).map(mdText).join(', ');
	const usedBy = `Used by ${plural(members.length, 'member')}: ${shown}${members.length > 5 ? ` and ${members.length - 5} more` : ''}`;
	// Members normally resolve an inherited entry to one package; several locked versions get a card each.
	const byPackage = new Map<number | undefined, ResolvedDep>();
	for (const { dep } of users) if (!byPackage.has(dep.lockIndex)) byPackage.set(dep.lockIndex, dep);
	const cards = [...byPackage.values()].map((dep) => dependencyCard(analysis, dep, usedBy));
	const [first] = byPackage.keys();
	return { markdown: cards.join('\n\n---\n\n'), range, lockIndex: byPackage.size === 1 ? first : undefined };
}

function packageCard(analysis: WorkspaceAnalysis, trust: PackageTrust): string {
	const role = trust.direct ? 'direct dependency' : 'transitive dependency';
	const lines = [`**${mdText(trust.pkg.name)}** ${mdCode(trust.pkg.version)} · ${sourceLabel(trust)} · ${role}`, ''];
	lines.push(...releaseSection(trust, analysis.now, undefined), ...unsafeSection(trust), ...provenanceSection(trust, workspaceFile(analysis)), ...trustSections(analysis, trust), ...advisorySection(trust));
	// Paths are materialised for the five shown only; a package can be reached from hundreds of direct dependencies.
	const directs = analysis.paths.directsReaching(trust.pkg.index);
	const shown = directs.filter((direct) => direct !== trust.pkg.index).slice(0, 5);
	if (shown.length) {
		lines.push('', '**Brought in by**', '');
		for (const direct of shown) lines.push(`- ${analysis.paths.path(direct, trust.pkg.index)!.map((i) => mdText(analysis.packages[i]!.pkg.name)).join(' → ')}`);
		if (directs.length > shown.length) lines.push(`- and ${directs.length - shown.length} more`);
	}
	lines.push(footer(analysis, trust));
	return lines.join('\n');
}

/** Published when and by whom, yanked, latest versions; or why that is unknown. */
function releaseSection(trust: PackageTrust, now: Date, requirement: string | undefined): string[] {
	const release = trust.release;
	if (release === undefined) return ['**Release:** fetching registry data…', ''];
	if (release.status === 'disabled') return [];
	if (release.status === 'unknown') return [`**Release:** unknown (${mdText(release.reason)})`, ''];
	const facts = release.value;
	const lines: string[] = [];
	if (facts.publishedAt.status === 'known') {
		const publishedAt = facts.publishedAt.value;
		let line = `**Published** ${describeAge(publishedAt, now)}, ${mdText(publishedAt.slice(0, 10))}`;
		if (facts.minimumAge) {
			const oldEnoughAt = Date.parse(publishedAt) + facts.minimumAge.ms;
			const policy = `your ${describeDuration(facts.minimumAge.ms)} policy (${mdText(facts.minimumAge.origin)})`;
			line += oldEnoughAt > now.getTime() ? `; **old enough on ${isoDate(oldEnoughAt)}** under ${policy}` : `; old enough under ${policy}`;
		}
		lines.push(line);
	} else {
		lines.push(`**Published:** unknown (${mdText(facts.publishedAt.status === 'unknown' ? facts.publishedAt.reason : 'not fetched')})`);
	}
	for (const notice of facts.policyNotices ?? []) lines.push(`⚠️ ${mdText(notice)}`);
	if (facts.publisher?.status === 'known') lines.push(`by ${mdText(describePublisher(facts.publisher.value))}`);
	else if (facts.publisher?.status === 'unknown') lines.push(`publisher unknown (${mdText(facts.publisher.reason)})`);
	if (facts.yanked) lines.push(`**Yanked** from ${mdText(facts.registry)}`);
	const latest = latestVersion(facts.versions);
	const compatible = latestCompatible(facts.versions, requirement);
	lines.push(`latest ${latest == null ? 'none' : mdCode(latest)}${requirement ? ` · latest compatible with ${mdCode(requirement)}: ${compatible == null ? 'none' : mdCode(compatible)}` : ''}`);
	return [lines.join('  \n'), ''];
}

/** The audit verdict and, when the policy fails, why and the fix (on a Cargo.lock entry: the cargo update command). */
function trustSections(analysis: WorkspaceAnalysis, trust: PackageTrust): string[] {
	const verdict = analysis.trust[trust.pkg.index];
	return [...auditSection(analysis.audits, verdict, trust), ...policySection(verdict, trust, analysis.now)];
}

/** Without a Cargo.lock: which advisories affect all or some of the releases the requirement allows. */
function requirementSection(dep: ResolvedDep): string[] {
	if (!dep.requirementAdvisories?.length) return [];
	return ['', ...dep.requirementAdvisories.map((found) => `- ${advisoryLine({ advisory: found.advisory, ignored: false, ignoreReason: null, ignoreOrigin: null })}: ${mdText(found.coverage.kind === 'all' ? `every version ${dep.spec.versionReq} allows` : `affects ${found.coverage.affected.join(' or ')}`)}`)];
}

/** Unsafe counts, the forbid badge, build-time capabilities and archive anomalies; or why they are unknown. */
function unsafeSection(trust: PackageTrust): string[] {
	const facts = trust.unsafe;
	if (facts === undefined) return ['**Unsafe:** counting…', ''];
	if (facts.status !== 'known') return [`**Unsafe:** unknown (${mdText(facts.reason)})`, ''];
	const { counts, files, forbidsUnsafe, capabilities, anomalies } = facts.value;
	// Zero files counted is no evidence of zero unsafe code: say so rather than claim a clean count.
	if (files === 0) return [`**Unsafe:** unknown (no Rust source files were read from ${mdText(facts.value.origin)})`, ''];
	const lines = [
		forbidsUnsafe
			? `**Unsafe:** \`#![forbid(unsafe_code)]\` ✅ · ${describeCounts(counts)} in ${plural(files, 'file')}`
			: `**Unsafe:** ${totalUnsafe(counts)} (${describeCounts(counts)}) in ${plural(files, 'file')}`,
	];
	const powers = [capabilities.buildScript ? 'runs a build script' : '', capabilities.procMacro ? 'is a procedural macro' : '', capabilities.links ? `links the native library ${mdCode(capabilities.links)}` : ''].filter(Boolean);
	lines.push(powers.length ? `At build time: ${powers.join(', ')}` : 'At build time: no build script, not a procedural macro');
	if (anomalies.length) lines.push(`⚠️ ${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'} in the source: ${anomalies.slice(0, 3).map((a) => `${mdText(a.path)} (${mdText(a.reason)})`).join('; ')}`);
	lines.push(`*Source: ${mdText(facts.value.origin)}*`);
	return [lines.join('  \n'), ''];
}

function advisorySection(trust: PackageTrust): string[] {
	const source = trust.pkg.source.kind;
	if (source === 'path') return ['**RustSec advisories:** not applicable (not published)'];
	if (trust.advisories === null && source !== 'crates-io' && trust.advisoriesReason?.startsWith('RustSec covers')) return ['**RustSec advisories:** not applicable (not from crates.io)'];
	if (trust.advisories === null) return [`**RustSec advisories:** unknown (${mdText(trust.advisoriesReason ?? 'no data')})`];
	if (trust.advisories.length === 0) return [`**RustSec advisories:** none apply to ${mdCode(trust.pkg.version)}`];
	const lines = [`**RustSec advisories** (${trust.advisories.length})`, ''];
	for (const match of trust.advisories) {
		lines.push(`- ${advisoryLine(match)}`);
		const { advisory } = match;
		const details = [
			`patched: ${advisory.patched.length ? advisory.patched.map((req) => mdText(describeRange(req))).join(' or ') : 'none'}`,
			advisory.unaffected.length ? `unaffected: ${advisory.unaffected.map((req) => mdText(describeRange(req))).join(' or ')}` : '',
			advisory.aliases.length ? `aliases: ${advisory.aliases.map(mdText).join(', ')}` : '',
		].filter(Boolean);
		lines.push(`  ${details.join(' · ')}`);
		const functions = Object.keys(advisory.affectedFunctions);
		if (functions.length) lines.push(`  affected functions: ${functions.map(mdCode).join(', ')}`);
		if (advisory.affectedOs.length) lines.push(`  only on os: ${advisory.affectedOs.map(mdText).join(', ')}`);
		if (advisory.affectedArch.length) lines.push(`  only on arch: ${advisory.affectedArch.map(mdText).join(', ')}`);
		const reaches = trust.direct ? undefined : patchedUpdateWithinRequirements(trust.pkg.version, trust.release, advisory.affected);
		if (reaches && !match.ignored) lines.push(`  ${mdCode(`cargo update -p ${trust.pkg.name}`)} reaches ${mdCode(reaches)} (patched) within the current requirements`);
		if (match.ignored) lines.push(`  ignored${match.ignoreReason ? `: ${mdText(match.ignoreReason)}` : ''} (${mdText(match.ignoreOrigin ?? '')})`);
	}
	return lines;
}

function advisoryLine(match: AdvisoryMatch): string {
	const { advisory } = match;
	// Only an id of RustSec's own form becomes a link: the database is third-party text too.
	const id = RUSTSEC_ID.test(advisory.id) ? `[${advisory.id}](${advisoryUrl(advisory.id)})` : mdText(advisory.id);
	const line = `**${mdText(advisory.kind)}** ${id}: ${mdText(advisory.title)}`;
	return match.ignored ? `~~${line}~~ (ignored)` : line;
}

/** RustSec's ids (`RUSTSEC-2024-0019`), the only ones turned into links to rustsec.org. */
const RUSTSEC_ID = /^RUSTSEC-\d{4}-\d{4,}$/;

function activeCount(trust: PackageTrust): number {
	return trust.advisories?.filter((m) => !m.ignored).length ?? 0;
}

function sourceLabel(trust: PackageTrust): string {
	const source = trust.pkg.source;
	switch (source.kind) {
		case 'crates-io':
			return 'crates.io';
		case 'path':
			return 'path';
		case 'git':
			return `git ${mdText(`${source.url}${source.commit ? `@${source.commit.slice(0, 10)}` : ''}`)}`;
		case 'registry':
		case 'sparse':
			return `registry ${mdText(source.url)}`;
		default:
			return mdText(source.raw);
	}
}

function footer(analysis: WorkspaceAnalysis, trust?: PackageTrust): string {
	const data = analysis.facts.advisories;
	const registry = trust?.release?.status === 'known' ? `  \n*Registry: ${mdText(trust.release.value.origin)}.*` : '';
	if (data.status !== 'known') return `\n---\n*Advisory data unavailable: ${mdText(data.reason)}.*${registry}`;
	const updated = data.fetchedAt ? `, updated ${mdText(data.fetchedAt.slice(0, 10))}` : '';
	return `\n---\n*Advisories: ${mdText(data.origin)}${updated}${data.stale ? ' (stale: not updated for more than 90 days)' : ''}.*${registry}`;
}

/** A file of the workspace, by which a command link finds the analysis again. */
function workspaceFile(analysis: WorkspaceAnalysis): string {
	return analysis.lockfile?.path ?? analysis.manifests[0]?.path ?? analysis.root;
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
