/**
 * The custom requests behind the provenance diff view (protocol.ts): which files of a package differ from its
 * repository, and the text of one side of one file. The package is named by a file of its workspace, its name
 * and version, as the hover's command links and the code action give them.
 */
import type { CancellationToken } from 'vscode-languageserver';
import type { WorkspaceAnalysis } from '../engine/analyze';
import type { CheckCommitReachableResult, ProvenanceDiffFilesResult, ProvenanceFileParams, ProvenanceFileResult, ProvenancePackageArgs } from '../protocol';
import type { TrustSession } from '../trustSession';
import type { ParamsCheck } from './guard';
import type { WorkspaceTracker } from './workspaceTracker';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const provenancePackageParams: ParamsCheck = (params) => {
	if (!isObject(params)) return 'expected an object';
	for (const key of ['file', 'name', 'version']) if (typeof params[key] !== 'string') return `${key} must be a string`;
	return undefined;
};

export const provenanceFileParams: ParamsCheck = (params) => {
	const problem = provenancePackageParams(params);
	if (problem) return problem;
	const { path, side } = params as Record<string, unknown>;
	if (typeof path !== 'string' || path === '') return 'path must be a non-empty string';
	if (side !== 'published' && side !== 'repository') return 'side must be "published" or "repository"';
	return undefined;
};

/** The analysis and lock index of the package `args` names; or why there is none. */
export async function findPackage(tracker: WorkspaceTracker, args: ProvenancePackageArgs): Promise<{ analysis: WorkspaceAnalysis; lockIndex: number } | { error: string }> {
	const analysis = await tracker.analysisFor(args.file);
	if (!analysis) return { error: `${args.file} is not in a Cargo workspace` };
	const trust = analysis.packages.find((candidate) => candidate.pkg.name === args.name && candidate.pkg.version === args.version);
	return trust ? { analysis, lockIndex: trust.pkg.index } : { error: `${args.name} ${args.version} is not locked in this workspace` };
}

export async function provenanceDiffFiles(tracker: WorkspaceTracker, args: ProvenancePackageArgs): Promise<ProvenanceDiffFilesResult> {
	const found = await findPackage(tracker, args);
	if ('error' in found) return found;
	const fact = found.analysis.packages[found.lockIndex]!.provenance;
	if (fact?.status !== 'known') return { error: fact === undefined ? 'provenance is not checked yet' : fact.reason };
	const { modified, added, repository, commit } = fact.value;
	if (repository === null || commit === null) return { error: fact.value.reason ?? 'the package names no repository and commit' };
	return { modified: modified ?? [], added: added ?? [], repository, commit };
}

/** Checks whether the package's recorded commit is on a branch or tag of its repository, and re-analyses its workspace. */
export async function checkCommitReachable(tracker: WorkspaceTracker, args: ProvenancePackageArgs, token: CancellationToken): Promise<CheckCommitReachableResult> {
	const found = await findPackage(tracker, args);
	if ('error' in found) return found;
	const controller = new AbortController();
	const listener = token.onCancellationRequested(() => controller.abort());
	try {
		await tracker.checkCommitReachable(found.analysis, found.lockIndex, controller.signal);
		const analysis = await tracker.analysisFor(args.file);
		const fact = analysis?.packages.find((trust) => trust.pkg.name === args.name && trust.pkg.version === args.version)?.provenance;
		const reachability = fact?.status === 'known' ? fact.value.reachability : undefined;
		return reachability ?? { error: 'the verdict names no repository and commit to check' };
	} finally {
		listener.dispose();
	}
}

export async function provenanceFile(tracker: WorkspaceTracker, session: TrustSession, params: ProvenanceFileParams, token: CancellationToken): Promise<ProvenanceFileResult> {
	const found = await findPackage(tracker, params);
	if ('error' in found) return found;
	const controller = new AbortController();
	const listener = token.onCancellationRequested(() => controller.abort());
	try {
		const result = await session.provenanceFile(found.analysis, found.lockIndex, params.path, params.side, controller.signal);
		return 'error' in result ? result : 'absent' in result ? { text: '', absent: true } : { text: result.text };
	} finally {
		listener.dispose();
	}
}
