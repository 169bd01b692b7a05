/**
 * Reads cargo-vet's `imports.lock` (formats.md §4.1): publisher records, unpublished entries, and each import's
 * cached audits (`[[audits.NAME.audits.X]]`, `[audits.NAME.criteria.X]`, ...), read by the audits.toml reader.
 */
import type { AST } from 'toml-eslint-parser';
import type { Parsed, Problem } from '../text';
import { parseTomlRecovering } from '../toml/parseTomlRecovering';
import { asAuditProblem, readAuditRecords, readPublisherId } from './parseAuditsToml';
import { emptyImportsLock, type ImportsLock } from './types';
import { FieldReader, tomlRecords, type TomlRecord } from './tomlRecords';
import { parseVetVersion } from './vetVersion';

function readVersion(fields: FieldReader, name: string, label: string, problems: Problem[]): string | undefined {
	const text = fields.string(name);
	if (text === undefined) {
		if (!fields.has(name)) fields.missing(name);
		return undefined;
	}
	const version = parseVetVersion(text);
	if (!version) problems.push({ code: 'audits-parse', severity: 'error', message: `${label}: "${text}" is not a version; the entry is not used`, range: fields.range(name) });
	return version;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

export function parseImportsLock(text: string): Parsed<ImportsLock> {
	const parsed = parseTomlRecovering(text);
	const problems = parsed.problems.map(asAuditProblem);
	const lock = emptyImportsLock();
	if (!parsed.value) return { value: lock, problems };
	const records = tomlRecords(parsed.value as AST.TOMLProgram);
	const importNames = new Set<string>();
	for (const record of records) readRecord(record, lock, importNames, problems);
	for (const name of importNames) lock.audits.set(name, readAuditRecords(records, ['audits', name], problems));
	return { value: lock, problems };
}

function readRecord(record: TomlRecord, lock: ImportsLock, importNames: Set<string>, problems: Problem[]): void {
	const [section, name] = record.path;
	if (name === undefined) return;
	if (section === 'audits') {
		importNames.add(name);
	} else if (section === 'publisher' && record.path.length === 2) {
		const label = `publisher record of ${name}`;
		const fields = new FieldReader(record, problems, label);
		const version = readVersion(fields, 'version', label, problems);
		const when = fields.date('when');
		if (!fields.has('when')) fields.missing('when');
		// A version without a publisher (published by GitLab, say) is recorded as such: it matches no entry.
		const publisher = readPublisherId(fields, label, record, problems, true);
		if (version && when) push(lock.publishers, name, { version, when, publisher });
	} else if (section === 'unpublished' && record.path.length === 2) {
		const label = `unpublished entry of ${name}`;
		const fields = new FieldReader(record, problems, label);
		const version = readVersion(fields, 'version', label, problems);
		const auditedAs = readVersion(fields, 'audited_as', label, problems);
		if (version && auditedAs) push(lock.unpublished, name, { version, auditedAs });
	}
}
