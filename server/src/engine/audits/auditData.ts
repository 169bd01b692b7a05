/**
 * What the engine is given about audits: the store as read (with the texts of its files, so problems can be shown
 * on them), or why there is none. `none` is not "unaudited": the JSON's `audit` is null with this reason.
 */
import type { AuditStore } from './types';

export type AuditData = { status: 'known'; store: AuditStore; notes: string[]; /** By absolute path, the store files read. */ texts: ReadonlyMap<string, string> } | { status: 'none'; reason: string };
