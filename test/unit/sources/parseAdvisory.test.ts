/** Parsing RustSec advisory files (formats.md §1.2-1.4) from texts written in the real format. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Advisory } from '../../../server/src/engine/advisory/types';
import { parseAdvisory } from '../../../server/src/sources/advisoryDb/parseAdvisory';

const V3 = `\`\`\`toml
[advisory]
id = "RUSTSEC-2099-0001"
package = "demo-crate"
date = "2099-01-02"
url = "https://example.com/advisory"
references = ["https://example.com/ref"]
categories = ["memory-corruption", "denial-of-service"]
keywords = ["overflow"]
aliases = ["CVE-2099-0001", "GHSA-abcd-efgh-ijkl"]
related = ["RUSTSEC-2098-0001"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
license = "CC0-1.0"

[affected]
arch = ["x86_64"]
os = ["windows", "linux"]

[affected.functions]
"demo_crate::Buffer::push" = [">= 1.0.0, < 1.4.2"]

[versions]
patched = [">= 1.4.2"]
unaffected = ["< 1.0.0"]
\`\`\`

# Buffer overflow in \`Buffer::push\`   

Affected versions of this crate wrote past the end of the buffer.

The flaw was corrected in 1.4.2.
`;

/** A V4 advisory: no \`[advisory]\` header. */
function v4(fields: string, versions = 'patched = []', body = '# Demo title\n\nDemo description.\n'): string {
	return `\`\`\`toml\nid = "RUSTSEC-2099-0002"\npackage = "old-crate"\ndate = "2099-02-03"\n${fields}\n\n[versions]\n${versions}\n\`\`\`\n\n${body}`;
}

function parsed(text: string): Advisory {
	const result = parseAdvisory(text, 'crates/demo/RUSTSEC-2099-0001.md');
	assert.ok('advisory' in result, JSON.stringify(result));
	return result.advisory;
}

describe('parseAdvisory: valid files', () => {
	function check(name: string, text: string, expected: Partial<Advisory>): void {
		test(name, () => {
			const advisory = parsed(text);
			assert.deepEqual({ ...advisory, ...expected }, advisory);
		});
	}
	check('V3 with [advisory] and every field', V3, {
		id: 'RUSTSEC-2099-0001',
		package: 'demo-crate',
		kind: 'vulnerability',
		title: 'Buffer overflow in `Buffer::push`',
		description: 'Affected versions of this crate wrote past the end of the buffer.\n\nThe flaw was corrected in 1.4.2.',
		date: '2099-01-02',
		url: 'https://example.com/advisory',
		aliases: ['CVE-2099-0001', 'GHSA-abcd-efgh-ijkl'],
		related: ['RUSTSEC-2098-0001'],
		categories: ['memory-corruption', 'denial-of-service'],
		cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
		informational: undefined,
		withdrawn: undefined,
		patched: ['>= 1.4.2'],
		unaffected: ['< 1.0.0'],
		affected: [{ introduced: '1.0.0', fixed: '1.4.2' }],
		affectedFunctions: { 'demo_crate::Buffer::push': ['>= 1.0.0, < 1.4.2'] },
		affectedOs: ['windows', 'linux'],
		affectedArch: ['x86_64'],
		source: undefined,
		file: 'crates/demo/RUSTSEC-2099-0001.md',
	});
	check('V4 without the [advisory] header, with defaults for what it leaves out', v4('informational = "unmaintained"'), {
		id: 'RUSTSEC-2099-0002',
		package: 'old-crate',
		kind: 'unmaintained',
		informational: 'unmaintained',
		title: 'Demo title',
		description: 'Demo description.',
		url: undefined,
		aliases: [],
		related: [],
		categories: [],
		cvss: undefined,
		unaffected: [],
		affected: [{ introduced: '0.0.0-0', fixed: undefined }],
		affectedFunctions: {},
		affectedOs: [],
		affectedArch: [],
	});
	check('informational "unsound"', v4('informational = "unsound"', 'patched = ["^0.2.1"]'), {
		kind: 'unsound',
		affected: [
			{ introduced: '0.0.0-0', fixed: '0.2.1' },
			{ introduced: '0.3.0-0', fixed: undefined },
		],
	});
	check('informational "notice"', v4('informational = "notice"'), { kind: 'notice', informational: 'notice' });
	check('an unknown informational value is a notice that keeps its raw value', v4('informational = "deprecated"'), { kind: 'notice', informational: 'deprecated' });
	check('withdrawn', v4('withdrawn = "2099-03-01"'), { kind: 'vulnerability', withdrawn: '2099-03-01' });
	check('source', v4('source = "sparse+https://example.com/index/"'), { source: 'sparse+https://example.com/index/' });
	check('[affected] functions as an inline key', v4('\n[affected]\nfunctions = { "old_crate::f" = ["< 1.2.0"] }'), { affectedFunctions: { 'old_crate::f': ['< 1.2.0'] } });
	check('a title with no description', v4('', 'patched = []', '# Only a title'), { title: 'Only a title', description: '' });
	check('blank lines before the title', v4('', 'patched = []', '\n\n\n# Late title\nText'), { title: 'Late title', description: 'Text' });
	check('a ``` inside the description does not matter', v4('', 'patched = []', '# T\n\n```rust\nfn main() {}\n```\n'), { description: '```rust\nfn main() {}\n```' });

	test('CRLF line endings give the same advisory', () => {
		assert.deepEqual(parsed(V3.replace(/\n/g, '\r\n')), parsed(V3));
	});
});

describe('parseAdvisory: errors', () => {
	function check(name: string, text: string, mentions: string): void {
		test(name, () => {
			const result = parseAdvisory(text, 'crates/demo/RUSTSEC-2099-0001.md');
			assert.ok('error' in result, JSON.stringify(result));
			assert.ok(result.error.includes(mentions), `"${result.error}" should mention "${mentions}"`);
		});
	}
	check('missing title', v4('', 'patched = []', 'No heading here.\n'), '"# " title');
	check('a second-level heading is not a title', v4('', 'patched = []', '## Subtitle\n'), '"# " title');
	check('no body at all', v4('', 'patched = []', ''), '"# " title');
	check('the file must start with ```toml', ` ${V3}`, 'does not start with ```toml');
	check('a plain TOML file', 'id = "RUSTSEC-2099-0001"\n', 'does not start with ```toml');
	check('an unclosed front matter', '```toml\nid = "x"\n', 'not closed');
	check('TOML syntax error, with its line in the file', V3.replace('package = "demo-crate"', 'package = "demo-crate'), 'TOML syntax error at line 4');
	check('TOML syntax error in a V4 file, with its line in the file', v4('cvss = "CVSS:3.1'), 'TOML syntax error at line 5');
	check('bad version string', v4('', 'patched = [">= 1.0.0-"]'), 'invalid version requirement ">= 1.0.0-"');
	check('overlapping ranges', v4('', 'patched = [">= 1.0.0"]\nunaffected = ["<= 1.0.0"]'), 'overlapping version ranges');
	check('wildcard', v4('', 'patched = ["1.*"]'), 'wildcards are not supported in "1.*"');
	check('bad requirement in [affected.functions]', v4('\n[affected.functions]\n"old_crate::f" = ["> 1.x.2"]'), '"old_crate::f": invalid version requirement "> 1.x.2"');
	check('title in the TOML', v4('title = "A title"'), '[advisory].title is not allowed');
	check('description in the TOML', v4('description = "Text"'), '[advisory].description is not allowed');
	check('missing id', V3.replace('id = "RUSTSEC-2099-0001"\n', ''), '[advisory].id is missing');
	check('missing package', V3.replace('package = "demo-crate"\n', ''), '[advisory].package is missing');
	check('missing date', V3.replace('date = "2099-01-02"\n', ''), '[advisory].date is missing');
	check('a date that is not YYYY-MM-DD', V3.replace('"2099-01-02"', '"2 January 2099"'), '[advisory].date must be a "YYYY-MM-DD" date');
	check('a bare TOML date is not a string', V3.replace('"2099-01-02"', '2099-01-02'), '[advisory].date must be a string');
	check('a bad withdrawn date', v4('withdrawn = "yesterday"'), '[advisory].withdrawn must be a "YYYY-MM-DD" date');
	check('missing [versions]', V3.replace(/\[versions\][^`]*/, ''), '[versions] is missing');
	check('missing patched', v4('', 'unaffected = ["< 1.0.0"]'), '[versions].patched is missing');
	check('patched not an array of strings', v4('', 'patched = ">= 1.0.0"'), '[versions].patched must be an array of strings');
	check('aliases not an array of strings', v4('aliases = [1]'), '[advisory].aliases must be an array of strings');
	check('os not an array of strings', v4('\n[affected]\nos = "windows"'), '[affected].os must be an array of strings');
	check('every problem is reported', V3.replace('id = "RUSTSEC-2099-0001"\n', '').replace('package = "demo-crate"\n', ''), '[advisory].id is missing; [advisory].package is missing');
});
