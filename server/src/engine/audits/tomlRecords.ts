/**
 * cargo-vet's files are mostly arrays of tables (`[[audits.foo]]`), which the manifest's key tree leaves out. This
 * flattens a parsed TOML program into records: a path (`['audits', 'foo']`) and the record's own keys with their
 * syntax, so readers can report a problem at the exact value. Every way TOML can write the same record is accepted:
 * `[[a.b]]` headers, `b = [{ ... }]` arrays of inline tables, `[a.b]` tables, `b = { ... }` inline tables and dotted keys.
 */
import type { AST } from 'toml-eslint-parser';
import type { Problem, TextRange } from '../text';
import { describeType, keyName, rangeOf } from '../toml/tomlAst';

export interface TomlRecord {
	path: string[];
	fields: Map<string, AST.TOMLContentNode>;
	/** The header or the inline table: where a problem about the record as a whole goes. */
	range: TextRange;
}

function isTableArray(node: AST.TOMLContentNode): node is AST.TOMLArray {
	return node.type === 'TOMLArray' && node.elements.length > 0 && node.elements.every((element) => element.type === 'TOMLInlineTable');
}

class RecordCollector {
	readonly records: TomlRecord[] = [];
	/** Standard tables and inline tables, merged by path so `[a]` + `a.b = 1` land in one record. */
	private readonly tables = new Map<string, TomlRecord>();

	table(path: string[], range: TextRange): TomlRecord {
		const id = JSON.stringify(path);
		let record = this.tables.get(id);
		if (!record) {
			record = { path, fields: new Map(), range };
			this.tables.set(id, record);
			this.records.push(record);
		}
		return record;
	}

	keyValues(path: string[], record: TomlRecord, body: readonly AST.TOMLKeyValue[]): void {
		for (const keyValue of body) {
			const names = keyValue.key.keys.map(keyName);
			const last = names.pop()!;
			const owner = names.length ? this.table([...path, ...names], rangeOf(keyValue)) : record;
			this.value([...path, ...names], owner, last, keyValue.value);
		}
	}

	value(path: string[], owner: TomlRecord, name: string, value: AST.TOMLContentNode): void {
		if (value.type === 'TOMLInlineTable') {
			this.keyValues([...path, name], this.table([...path, name], rangeOf(value)), value.body);
		} else if (isTableArray(value)) {
			for (const element of value.elements as AST.TOMLInlineTable[]) {
				const record: TomlRecord = { path: [...path, name], fields: new Map(), range: rangeOf(element) };
				this.records.push(record);
				this.keyValues([...path, name], record, element.body);
			}
		} else {
			owner.fields.set(name, value);
		}
	}
}

/** Every record of the program, in file order. */
export function tomlRecords(program: AST.TOMLProgram): TomlRecord[] {
	const collector = new RecordCollector();
	const root = collector.table([], { start: 0, end: 0 });
	for (const item of program.body[0].body) {
		if (item.type === 'TOMLKeyValue') {
			collector.keyValues([], root, [item]);
			continue;
		}
		// Numbers in a resolved key index arrays of tables: `[[a.b]]` then `[a.b.c]` is rare enough to read as `a.b.c`.
		const path = item.resolvedKey.filter((part): part is string => typeof part === 'string');
		const headerRange = rangeOf(item.key);
		if (item.kind === 'array') {
			const record: TomlRecord = { path, fields: new Map(), range: headerRange };
			collector.records.push(record);
			collector.keyValues(path, record, item.body);
		} else {
			collector.keyValues(path, collector.table(path, headerRange), item.body);
		}
	}
	return collector.records;
}

/** Typed access to a record's fields; a value of the wrong type is a problem at that value, and reads as absent. */
export class FieldReader {
	constructor(
		private readonly record: TomlRecord,
		private readonly problems: Problem[],
		private readonly label: string,
	) {}

	private wrongType(name: string, node: AST.TOMLContentNode, expected: string): void {
		this.problems.push({ code: 'audits-parse', severity: 'error', message: `${this.label}: \`${name}\` must be ${expected}, not ${describeType(node)}`, range: rangeOf(node) });
	}

	has(name: string): boolean {
		return this.record.fields.has(name);
	}

	range(name: string): TextRange {
		const node = this.record.fields.get(name);
		return node ? rangeOf(node) : this.record.range;
	}

	string(name: string): string | undefined {
		const node = this.record.fields.get(name);
		if (!node) return undefined;
		if (node.type === 'TOMLValue' && node.kind === 'string') return node.value;
		this.wrongType(name, node, 'a string');
		return undefined;
	}

	boolean(name: string): boolean | undefined {
		const node = this.record.fields.get(name);
		if (!node) return undefined;
		if (node.type === 'TOMLValue' && node.kind === 'boolean') return node.value;
		this.wrongType(name, node, 'true or false');
		return undefined;
	}

	integer(name: string): number | undefined {
		const node = this.record.fields.get(name);
		if (!node) return undefined;
		if (node.type === 'TOMLValue' && node.kind === 'integer' && typeof node.value === 'number') return node.value;
		this.wrongType(name, node, 'an integer');
		return undefined;
	}

	/** A string or an array of strings (cargo-vet's `StringOrVec`). */
	strings(name: string): string[] | undefined {
		const node = this.record.fields.get(name);
		if (!node) return undefined;
		if (node.type === 'TOMLValue' && node.kind === 'string') return [node.value];
		if (node.type === 'TOMLArray' && node.elements.every((element) => element.type === 'TOMLValue' && element.kind === 'string')) {
			return node.elements.map((element) => (element as AST.TOMLStringValue).value);
		}
		this.wrongType(name, node, 'a string or an array of strings');
		return undefined;
	}

	/** A TOML local date or a `YYYY-MM-DD` string, as `YYYY-MM-DD`. */
	date(name: string): string | undefined {
		const node = this.record.fields.get(name);
		if (!node) return undefined;
		if (node.type === 'TOMLValue' && (node.kind === 'local-date' || node.kind === 'string')) {
			const text = node.kind === 'string' ? node.value : String(node.datetime);
			if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
		}
		this.wrongType(name, node, 'a date (YYYY-MM-DD)');
		return undefined;
	}

	missing(name: string): void {
		this.problems.push({ code: 'audits-parse', severity: 'error', message: `${this.label}: \`${name}\` is missing; the entry is not used`, range: this.record.range });
	}

	/** Keys cargo-vet would reject (its entries have `deny_unknown_fields`): a warning, the entry is still read. */
	unknownKeys(known: readonly string[]): void {
		for (const [name, node] of this.record.fields) {
			if (!known.includes(name)) this.problems.push({ code: 'audits-parse', severity: 'warning', message: `${this.label}: unknown key \`${name}\``, range: rangeOf(node) });
		}
	}
}
