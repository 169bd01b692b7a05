/**
 * The audit side of one analysis, computed once: whether audits are required (`cargoTrust.policy.requireAudits`,
 * `auto` = when there is audit data), each locked package's vetting verdict, and the problems the store's files have.
 */
import type { AuditData } from '../audits/auditData';
import type { AuditStore } from '../audits/types';
import { AuditIndex, type AuditProblem } from '../audits/auditGraph';
import { apiPublisherRecords, type PublisherLookup } from '../audits/apiPublishers';
import { auditStatuses, type AuditStatuses } from '../audits/auditStatus';
import type { MemberDeps } from '../audits/requirements';
import type { Lockfile } from '../lockfile/types';
import type { TrustPolicyOptions } from '../policy';
import { auditsRequired } from './trustPolicy';

export interface AuditView {
	data: AuditData;
	required: boolean;
	/** Undefined without audit data or without a lockfile. */
	statuses: AuditStatuses | undefined;
	/** The store files' own problems and those found while vetting, by absolute path (or the source's name). */
	problems: AuditProblem[];
}

export const AUDITS_NOT_READ = 'audit data was not read';

/** `publisherOf` gives crates.io's publishers of a crate's versions (locked or candidates) for wildcard and trusted entries that imports.lock lacks. */
export function prepareAudits(data: AuditData | undefined, lockfile: Lockfile | undefined, members: readonly MemberDeps[], options: TrustPolicyOptions, publisherOf: PublisherLookup = () => undefined): AuditView {
	const audits: AuditData = data ?? { status: 'none', reason: AUDITS_NOT_READ };
	const required = auditsRequired(options.requireAudits, audits.status === 'known');
	if (audits.status !== 'known') return { data: audits, required, statuses: undefined, problems: [] };
	const statuses = lockfile ? statusesFor(audits.store, lockfile, members, publisherOf) : undefined;
	const problems: AuditProblem[] = audits.store.files.flatMap((file) => file.problems.map((problem) => ({ file: file.path, problem })));
	if (statuses) problems.push(...statuses.index.problems);
	return { data: audits, required, statuses, problems };
}

/**
 * The last verdicts per store, kept while the lockfile (the parse cache's object), every member's dependencies and
 * the publishers vetting may use are the same: most edits change none of them, and vetting a large workspace again
 * was a fifth of the work of each keystroke. A pure function's memo: the same inputs give the same verdicts.
 */
const lastStatuses = new WeakMap<AuditStore, { lockfile: Lockfile; key: string; statuses: AuditStatuses }>();

function statusesFor(store: AuditStore, lockfile: Lockfile, members: readonly MemberDeps[], publisherOf: PublisherLookup): AuditStatuses {
	const records = apiPublisherRecords(store, lockfile, publisherOf);
	const memberKey = members.map((member) => `${member.lockIndex}:${member.deps.map((dep) => `${dep.kind[0]}${dep.lockIndex}`).join(',')}`).join(';');
	const key = JSON.stringify([memberKey, [...records]]);
	const last = lastStatuses.get(store);
	if (last && last.lockfile === lockfile && last.key === key) return last.statuses;
	const statuses = auditStatuses(store, lockfile, members, new AuditIndex(store, records));
	lastStatuses.set(store, { lockfile, key, statuses });
	return statuses;
}
