/**
 * Reads cargo-vet's `config.toml` (formats.md §4.1): `default-criteria`, `[imports.NAME]`, `[policy.CRATE]` and
 * `[[exemptions.CRATE]]` (alias `unaudited`). Pure and total, like every parser.
 */
import type { AST } from 'toml-eslint-parser';
import type { Parsed, Problem } from '../text';
import { parseTomlRecovering } from '../toml/parseTomlRecovering';
import { asAuditProblem } from './parseAuditsToml';
import { emptyVetConfig, type VetConfig } from './types';
import { FieldReader, tomlRecords, type TomlRecord } from './tomlRecords';
import { parseVetVersion } from './vetVersion';

const IMPORT_KEYS = ['url', 'exclude', 'criteria-map'];
const POLICY_KEYS = ['criteria', 'dev-criteria', 'dependency-criteria', 'audit-as-crates-io', 'notes'];
const EXEMPTION_KEYS = ['version', 'criteria', 'suggest', 'notes'];

function criteriaMap(records: readonly TomlRecord[], name: string, problems: Problem[]): Map<string, string[]> {
	const map = new Map<string, string[]>();
	const record = records.find((candidate) => candidate.path.length === 3 && candidate.path[0] === 'imports' && candidate.path[1] === name && candidate.path[2] === 'criteria-map');
	if (!record) return map;
	const fields = new FieldReader(record, problems, `criteria-map of import ${name}`);
	for (const theirs of record.fields.keys()) {
		const ours = fields.strings(theirs);
		if (ours) map.set(theirs, ours);
	}
	return map;
}

export function parseVetConfig(text: string): Parsed<VetConfig> {
	const parsed = parseTomlRecovering(text);
	const problems = parsed.problems.map(asAuditProblem);
	const config = emptyVetConfig();
	if (!parsed.value) return { value: config, problems };
	const records = tomlRecords(parsed.value as AST.TOMLProgram);
	for (const record of records) {
		const [section, name, more] = record.path;
		if (record.path.length === 0) {
			config.defaultCriteria = new FieldReader(record, problems, 'config.toml').strings('default-criteria');
		} else if (section === 'imports' && name !== undefined && more === undefined) {
			const fields = new FieldReader(record, problems, `import ${name}`);
			fields.unknownKeys(IMPORT_KEYS);
			const urls = fields.strings('url');
			if (!urls) fields.missing('url');
			config.imports.set(name, { name, urls: urls ?? [], exclude: fields.strings('exclude') ?? [], criteriaMap: criteriaMap(records, name, problems) });
		} else if (section === 'policy' && name !== undefined && more === undefined) {
			const fields = new FieldReader(record, problems, `policy of ${name}`);
			fields.unknownKeys(POLICY_KEYS);
			config.policy.set(name, { criteria: fields.strings('criteria'), devCriteria: fields.strings('dev-criteria'), auditAsCratesIo: fields.boolean('audit-as-crates-io'), range: record.range });
		} else if ((section === 'exemptions' || section === 'unaudited') && name !== undefined && more === undefined) {
			const fields = new FieldReader(record, problems, `exemption of ${name}`);
			fields.unknownKeys(EXEMPTION_KEYS);
			const versionText = fields.string('version');
			const criteria = fields.strings('criteria');
			if (!fields.has('version')) fields.missing('version');
			if (!fields.has('criteria')) fields.missing('criteria');
			if (versionText === undefined || !criteria) continue;
			const version = parseVetVersion(versionText);
			if (!version) {
				problems.push({ code: 'audits-parse', severity: 'error', message: `exemption of ${name}: "${versionText}" is not a version; the entry is not used`, range: fields.range('version') });
				continue;
			}
			const list = config.exemptions.get(name) ?? [];
			list.push({ version, criteria, range: record.range });
			config.exemptions.set(name, list);
		}
	}
	return { value: config, problems };
}
