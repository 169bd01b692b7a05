import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { auditIgnoreInsertion } from '../../../server/src/lsp/auditIgnoreEdit';

const apply = (text: string, id: string): string | undefined => {
	const insertion = auditIgnoreInsertion(text, id);
	return insertion && text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
};

void describe('auditIgnoreInsertion', () => {
	const cases: { name: string; text: string; expected: string | undefined }[] = [
		{ name: 'an empty file gets the table', text: '', expected: '[advisories]\nignore = ["RUSTSEC-2020-0071"]\n' },
		{ name: 'another table keeps a blank line before ours', text: '[output]\nquiet = true\n', expected: '[output]\nquiet = true\n\n[advisories]\nignore = ["RUSTSEC-2020-0071"]\n' },
		{ name: 'appended to an existing list', text: '[advisories]\nignore = ["A-1"]\n', expected: '[advisories]\nignore = ["A-1", "RUSTSEC-2020-0071"]\n' },
		{ name: 'an empty list', text: '[advisories]\nignore = []\n', expected: '[advisories]\nignore = ["RUSTSEC-2020-0071"]\n' },
		{ name: 'a multi-line list with a trailing comma', text: '[advisories]\nignore = [\n  "A-1",\n]\n', expected: '[advisories]\nignore = [\n  "A-1", "RUSTSEC-2020-0071",\n]\n' },
		{ name: 'a dotted key at the top level', text: 'advisories.ignore = ["A-1"]\n', expected: 'advisories.ignore = ["A-1", "RUSTSEC-2020-0071"]\n' },
		{ name: 'the table without the key', text: '[advisories]\nyanked = "warn"\n', expected: '[advisories]\nignore = ["RUSTSEC-2020-0071"]\nyanked = "warn"\n' },
		{ name: 'already ignored', text: '[advisories]\nignore = ["RUSTSEC-2020-0071"]\n', expected: undefined },
		{ name: 'not TOML: left alone', text: '[advisories\nignore = [', expected: undefined },
		{ name: 'ignore is not an array: left alone', text: '[advisories]\nignore = "A-1"\n', expected: undefined },
	];
	for (const c of cases) void it(c.name, () => assert.equal(apply(c.text, 'RUSTSEC-2020-0071'), c.expected));
});
