/** Decoding files from disk: invalid UTF-8 is found and placed, a byte-order mark is dropped, the rest still reads. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encodingProblems } from '../../../server/src/engine/toml/sourceText';
import { decodeUtf8 } from '../../../server/src/sources/workspace/decodeUtf8';
import { readWorkspace } from '../../../server/src/sources/workspace/readWorkspace';
import { tempDir } from '../../support/tempWorkspace';

const BOM = [0xef, 0xbb, 0xbf];

function bytes(...parts: (string | number[])[]): Uint8Array {
	return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));
}

describe('decodeUtf8', () => {
	test('valid UTF-8 decodes as is, with no flag', () => {
		assert.deepEqual(decodeUtf8('Cargo.toml', bytes('name = "é😀"\n')), { path: 'Cargo.toml', text: 'name = "é😀"\n' });
	});

	// Each is a sequence the WHATWG decoder rejects: a stray continuation byte, a truncated sequence, an overlong
	// encoding, an encoded surrogate, a code point past U+10FFFF, a byte never used in UTF-8.
	for (const [name, invalid] of [
		['a stray continuation byte', [0x80]],
		['a truncated sequence', [0xe2, 0x82]],
		['an overlong encoding', [0xc0, 0xaf]],
		['an overlong three-byte encoding', [0xe0, 0x80, 0xaf]],
		['an encoded surrogate', [0xed, 0xa0, 0x80]],
		['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
		['a byte never used', [0xff]],
	] as const) {
		test(`${name} inside a string value is flagged where its U+FFFD is, after multi-byte characters`, () => {
			const decoded = decodeUtf8('Cargo.toml', bytes('# é😀\ndescription = "a', [...invalid], 'b"\nname = "x"\n'));
			assert.equal(decoded.text.slice(0, decoded.invalidUtf8At), '# é😀\ndescription = "a');
			assert.equal(decoded.text[decoded.invalidUtf8At!], '\ufffd');
			// The rest of the file still reads.
			assert.ok(decoded.text.endsWith('b"\nname = "x"\n'));
		});
	}

	test('a byte-order mark is dropped, as editors drop it, and offsets count from after it', () => {
		assert.deepEqual(decodeUtf8('Cargo.toml', bytes(BOM, '[package]\n')), { path: 'Cargo.toml', text: '[package]\n' });
		const decoded = decodeUtf8('Cargo.toml', bytes(BOM, 'a = "', [0xff], '"\n'));
		assert.deepEqual(decoded, { path: 'Cargo.toml', text: 'a = "\ufffd"\n', invalidUtf8At: 5 });
	});

	test('the flag becomes an `encoding` problem on the replaced character', () => {
		const decoded = decodeUtf8('/ws/Cargo.toml', bytes('[package]\nname = "', [0xff], '"\n'));
		assert.deepEqual(encodingProblems(decoded), [
			{
				code: 'encoding',
				severity: 'error',
				message: 'Cargo.toml is not valid UTF-8 (first invalid byte sequence on line 2); cargo rejects it, and the invalid bytes are read as U+FFFD',
				range: { start: 18, end: 19 },
			},
		]);
		assert.deepEqual(encodingProblems(decodeUtf8('/ws/Cargo.toml', bytes('[package]\n'))), []);
	});
});

describe('readWorkspace: encodings', () => {
	test('manifests and the lockfile are decoded from bytes: BOM dropped, invalid UTF-8 flagged; open buffers are taken as they are', async () => {
		const root = tempDir();
		try {
			mkdirSync(join(root, 'member'));
			writeFileSync(join(root, 'Cargo.toml'), bytes(BOM, '[workspace]\nmembers = ["member"]\n'));
			writeFileSync(join(root, 'member', 'Cargo.toml'), bytes('[package]\nname = "m', [0xfe], '"\n'));
			writeFileSync(join(root, 'Cargo.lock'), bytes(BOM, 'version = 4\n'));
			const files = await readWorkspace(root);
			assert.deepEqual(files.manifests, [
				{ path: join(root, 'Cargo.toml'), text: '[workspace]\nmembers = ["member"]\n' },
				{ path: join(root, 'member', 'Cargo.toml'), text: '[package]\nname = "m\ufffd"\n', invalidUtf8At: 19 },
			]);
			assert.deepEqual(files.lockfile, { path: join(root, 'Cargo.lock'), text: 'version = 4\n' });
			const open = await readWorkspace(root, (path) => (path === join(root, 'member', 'Cargo.toml') ? '[package]\nname = "m"\n' : undefined));
			assert.deepEqual(open.manifests[1], { path: join(root, 'member', 'Cargo.toml'), text: '[package]\nname = "m"\n' });
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
