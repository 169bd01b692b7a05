/**
 * `cargo-trust check`: the same engine and sources as the editor, waiting for data instead of refreshing later.
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { defaultSettings } from '../protocol';
import { buildJsonReport } from '../engine/report/jsonReport';
import { buildSarifReport } from '../engine/report/sarifReport';
import { buildTextReport } from '../engine/report/textReport';
import { suggestionText } from '../engine/report/suggestionText';
import type { Environment } from '../sources/environment';
import type { Logger } from '../sources/log';
import { findWorkspaceRoot } from '../sources/workspace/readWorkspace';
import { PROVENANCE_SKIPPED, TrustSession } from '../trustSession';
import type { CheckArgs } from './parseArgs';

export interface CheckOutput {
	exitCode: 0 | 1 | 2;
	stdout: string;
}

const rank = { error: 3, warning: 2, information: 1, hint: 0 } as const;

/** A CI run must end: past this much network time, whatever is still missing is reported unknown with the reason. */
const NETWORK_BUDGET_MS = 300_000;

export async function runCheck(args: CheckArgs, environment: Environment, log: Logger, isTty: boolean): Promise<CheckOutput> {
	const target = resolve(args.path);
	if (!(await stat(target).then(() => true, () => false))) {
		log.error(`cargo-trust: ${target} does not exist`);
		return { exitCode: 2, stdout: '' };
	}
	const located = await locate(target);
	if (!located) {
		log.error(`cargo-trust: no Cargo.toml or Cargo.lock found at or above ${target}`);
		return { exitCode: 2, stdout: '' };
	}
	const { root, loneLockfile } = located;
	const session = new TrustSession({
		environment,
		log,
		settings: defaultSettings,
		trusted: true,
		cacheDir: args.cacheDir,
		offline: args.offline,
		networkBudgetMs: NETWORK_BUDGET_MS,
		noProvenance: args.noProvenance,
		...(args.advisoryDb ? { advisoryDbPath: resolve(args.advisoryDb) } : {}),
	});
	await session.advisoryDb.load();
	let analysis = await session.analyze(root, undefined, undefined, loneLockfile);
	// Input that exists but cannot be read is fatal: a report on part of a workspace would read as clean.
	if (analysis.unreadable.length) {
		await session.dispose();
		for (const file of analysis.unreadable) log.error(`cargo-trust: cannot read ${file.path}: ${file.reason}`);
		return { exitCode: 2, stdout: '' };
	}
	// The CLI waits for the data the editor fetches in the background (the same queues), then analyses again with it.
	await session.drain(analysis);
	analysis = await session.analyze(root, undefined, undefined, loneLockfile);
	if (args.deepProvenance && !args.noProvenance) {
		await session.checkCommitsReachable(analysis, undefined, new AbortController().signal);
		analysis = await session.analyze(root, undefined, undefined, loneLockfile);
	}
	const registries = session.registryStatuses(root);
	const publishAge = { notices: session.publishAgeNotices(root).map(({ key, origin, message }) => ({ key, origin, message })) };
	const provenance = args.noProvenance ? { status: 'disabled' as const, reason: PROVENANCE_SKIPPED } : { status: 'enabled' as const, reason: null };
	await session.dispose();
	const db = session.advisoryDb.currentStatus();
	const advisoryDb = { status: db.status, path: db.path, updatedAt: db.updatedAt, reason: db.reason };
	const stdout =
		args.format === 'json'
			? JSON.stringify(buildJsonReport(analysis, { toolVersion: session.toolVersion, generatedAt: environment.now(), data: { advisoryDb, registries, publishAge, provenance } }), null, 2) + '\n'
			: args.format === 'sarif'
				? JSON.stringify(buildSarifReport(analysis, session.toolVersion), null, 2) + '\n'
				: buildTextReport(analysis, { advisoryDb, registries, publishAge, provenance }, isTty) + (args.suggest ? suggestionText(analysis) : '');
	const threshold = args.failOn === 'never' ? Infinity : rank[args.failOn];
	// A CI gate must not pass because the advisory database could not be read.
	const failed = analysis.findings.some((finding) => rank[finding.severity] >= threshold) || (db.status !== 'known' && !args.allowUnknown);
	return { exitCode: failed ? 1 : 0, stdout };
}

/**
 * The workspace to check: as cargo finds it; else, as cargo-audit does, a Cargo.lock with no Cargo.toml beside or above it
 * (named, or in the directory named) on its own.
 */
async function locate(target: string): Promise<{ root: string; loneLockfile: string | undefined } | undefined> {
	const root = await findWorkspaceRoot(target);
	if (root) return { root, loneLockfile: undefined };
	const isDir = await stat(target).then((s) => s.isDirectory(), () => false);
	const lockfile = basename(target) === 'Cargo.lock' ? target : isDir ? join(target, 'Cargo.lock') : undefined;
	if (!lockfile || !(await stat(lockfile).then(() => true, () => false))) return undefined;
	return { root: resolve(lockfile, '..'), loneLockfile: lockfile };
}
