/**
 * Reads an `audits.toml` (formats.md §4.1): criteria, full, delta and violation audits, wildcard audits and trusted
 * entries. The same reader serves each import's section of `imports.lock` and `cargoTrust.audits.sources` files.
 * Pure and total: a broken entry is a problem at its spot and is left out; every other entry is still used.
 */
import type { AST } from 'toml-eslint-parser';
import type { Parsed, Problem } from '../text';
import { parseTomlRecovering } from '../toml/parseTomlRecovering';
import { emptyAuditsFile, type AuditEntry, type AuditsFile, type PublisherEntry, type PublisherId } from './types';
import { FieldReader, tomlRecords, type TomlRecord } from './tomlRecords';
import { parseVetVersion } from './vetVersion';

const AUDIT_KEYS = ['who', 'criteria', 'version', 'delta', 'violation', 'notes', 'importable', 'aggregated-from'];
const PUBLISHER_KEYS = ['who', 'criteria', 'user-id', 'trusted-publisher', 'start', 'end', 'renew', 'notes', 'aggregated-from'];
const CRITERION_KEYS = ['description', 'description-url', 'implies', 'aggregated-from'];

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

function readAudit(crate: string, record: TomlRecord, problems: Problem[]): AuditEntry | undefined {
	const fields = new FieldReader(record, problems, `audit of ${crate}`);
	fields.unknownKeys(AUDIT_KEYS);
	const criteria = fields.strings('criteria');
	if (!criteria) {
		if (!fields.has('criteria')) fields.missing('criteria');
		return undefined;
	}
	const who = fields.strings('who') ?? [];
	const aggregatedFrom = fields.strings('aggregated-from') ?? [];
	const forms = ['version', 'delta', 'violation'].filter((name) => fields.has(name));
	if (forms.length !== 1) {
		problems.push({ code: 'audits-parse', severity: 'error', message: `audit of ${crate}: needs exactly one of \`version\`, \`delta\` or \`violation\` (has ${forms.length}); the entry is not used`, range: record.range });
		return undefined;
	}
	const bad = (name: string, message: string): undefined => {
		problems.push({ code: 'audits-parse', severity: 'error', message: `audit of ${crate}: ${message}; the entry is not used`, range: fields.range(name) });
		return undefined;
	};
	if (fields.has('version')) {
		const text = fields.string('version');
		if (text === undefined) return undefined;
		const version = parseVetVersion(text);
		if (!version) return bad('version', `"${text}" is not a version`);
		return { kind: 'full', criteria, who, version, aggregatedFrom, range: record.range };
	}
	if (fields.has('delta')) {
		const text = fields.string('delta');
		if (text === undefined) return undefined;
		const parts = text.split('->').map((part) => part.trim());
		const from = parts.length === 2 ? parseVetVersion(parts[0]!) : undefined;
		const to = parts.length === 2 ? parseVetVersion(parts[1]!) : undefined;
		if (!from || !to) return bad('delta', `"${text}" is not of the form "A -> B"`);
		return { kind: 'delta', criteria, who, from, to, aggregatedFrom, range: record.range };
	}
	const requirement = fields.string('violation');
	if (requirement === undefined) return undefined;
	// The requirement is checked when vetting, where a bad one is reported and skipped.
	return { kind: 'violation', criteria, who, requirement, aggregatedFrom, range: record.range };
}

/** A wildcard audit or a trusted entry. */
export function readPublisherEntry(label: string, record: TomlRecord, problems: Problem[]): PublisherEntry | undefined {
	const fields = new FieldReader(record, problems, label);
	fields.unknownKeys(PUBLISHER_KEYS);
	const criteria = fields.strings('criteria');
	const publisher = readPublisherId(fields, label, record, problems);
	const start = fields.date('start');
	const end = fields.date('end');
	for (const name of ['criteria', 'start', 'end']) if (!fields.has(name)) fields.missing(name);
	if (!criteria || !publisher || !start || !end) return undefined;
	return { criteria, who: fields.strings('who') ?? [], publisher, start, end, range: record.range };
}

/** `user-id` or (cargo-vet 0.10.2+) `trusted-publisher`; exactly one. Undefined (with a problem) otherwise. */
export function readPublisherId(fields: FieldReader, label: string, record: TomlRecord, problems: Problem[], optional = false): PublisherId | undefined {
	const hasUser = fields.has('user-id');
	const hasTrusted = fields.has('trusted-publisher');
	if (hasUser && hasTrusted) {
		problems.push({ code: 'audits-parse', severity: 'error', message: `${label}: both \`user-id\` and \`trusted-publisher\`; the entry is not used`, range: record.range });
		return undefined;
	}
	if (hasUser) {
		const userId = fields.integer('user-id');
		return userId === undefined ? undefined : { userId };
	}
	if (hasTrusted) {
		const trustedPublisher = fields.string('trusted-publisher');
		return trustedPublisher === undefined ? undefined : { trustedPublisher };
	}
	if (!optional) problems.push({ code: 'audits-parse', severity: 'error', message: `${label}: needs \`user-id\` or \`trusted-publisher\`; the entry is not used`, range: record.range });
	return undefined;
}

/** Reads the audits-file records under `prefix` (empty for audits.toml, `['audits', NAME]` inside imports.lock). */
export function readAuditRecords(records: readonly TomlRecord[], prefix: readonly string[], problems: Problem[]): AuditsFile {
	const file = emptyAuditsFile();
	for (const record of records) {
		if (record.path.length !== prefix.length + 2 || prefix.some((part, i) => record.path[i] !== part)) continue;
		const section = record.path[prefix.length]!;
		const name = record.path[prefix.length + 1]!;
		if (section === 'criteria') {
			const fields = new FieldReader(record, problems, `criterion ${name}`);
			fields.unknownKeys(CRITERION_KEYS);
			file.criteria.set(name, { name, implies: fields.strings('implies') ?? [], range: record.range });
		} else if (section === 'audits') {
			const audit = readAudit(name, record, problems);
			if (audit) push(file.audits, name, audit);
		} else if (section === 'wildcard-audits') {
			const entry = readPublisherEntry(`wildcard audit of ${name}`, record, problems);
			if (entry) push(file.wildcardAudits, name, entry);
		} else if (section === 'trusted') {
			const entry = readPublisherEntry(`trusted entry for ${name}`, record, problems);
			if (entry) push(file.trusted, name, entry);
		}
	}
	return file;
}

export function parseAuditsToml(text: string): Parsed<AuditsFile> {
	const parsed = parseTomlRecovering(text);
	const problems = parsed.problems.map(asAuditProblem);
	if (!parsed.value) return { value: emptyAuditsFile(), problems };
	return { value: readAuditRecords(tomlRecords(parsed.value as AST.TOMLProgram), [], problems), problems };
}

/** Syntax errors keep their message; the code says which kind of file they are in. */
export function asAuditProblem(problem: Problem): Problem {
	return { ...problem, code: 'audits-parse' };
}
