/** Every advisory of the shared RustSec snapshot parses, and known facts about it hold (formats.md §1). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Advisory } from '../../server/src/engine/advisory/types';
import { isAffected } from '../../server/src/engine/advisory/ranges';
import { parseAdvisory } from '../../server/src/sources/advisoryDb/parseAdvisory';
import { sharedDataDir } from '../support/paths';

const dataDir = sharedDataDir();
const skip = dataDir ? false : '../shared/data is absent';

/** `crates/<name>/*.md` and `rust/<component>/*.md`, relative to the database root, with their text. */
function advisoryFiles(root: string): { file: string; text: string }[] {
	const files: { file: string; text: string }[] = [];
	for (const collection of ['crates', 'rust']) {
		for (const dir of readdirSync(join(root, collection))) {
			for (const name of readdirSync(join(root, collection, dir))) {
				if (!name.endsWith('.md')) continue;
				const file = `${collection}/${dir}/${name}`;
				files.push({ file, text: readFileSync(join(root, file), 'utf8') });
			}
		}
	}
	return files;
}

test('the advisory database snapshot', { skip }, async (t) => {
	const files = advisoryFiles(join(dataDir ?? '', 'advisory-db'));
	const advisories: Advisory[] = [];
	const failures: string[] = [];
	const started = performance.now();
	for (const { file, text } of files) {
		const parsed = parseAdvisory(text, file);
		if ('error' in parsed) failures.push(`${file}: ${parsed.error}`);
		else advisories.push(parsed.advisory);
	}
	t.diagnostic(`parsed ${files.length} files in ${Math.round(performance.now() - started)} ms`);
	const byId = new Map(advisories.map((advisory) => [advisory.id, advisory]));
	const count = (predicate: (advisory: Advisory) => boolean): number => advisories.filter(predicate).length;

	await t.test('every file parses', () => {
		assert.deepEqual(failures, []);
		assert.equal(files.filter((f) => f.file.startsWith('crates/')).length, 1205);
		assert.equal(files.filter((f) => f.file.startsWith('rust/')).length, 20);
	});

	await t.test('ids are unique and match their file names', () => {
		assert.equal(byId.size, advisories.length);
		for (const advisory of advisories) assert.ok(advisory.file.endsWith(`/${advisory.id}.md`), advisory.file);
	});

	await t.test('counts from formats.md §1.3', () => {
		assert.equal(count((a) => a.withdrawn !== undefined), 13);
		assert.equal(count((a) => a.informational === 'unmaintained'), 267);
		assert.equal(count((a) => a.informational === 'unsound'), 203);
		assert.equal(count((a) => a.informational === 'notice'), 6);
		assert.equal(count((a) => a.informational !== undefined && a.kind !== a.informational), 0);
		assert.equal(count((a) => a.source !== undefined), 0);
	});

	await t.test('counts from formats.md §1.4', () => {
		assert.equal(count((a) => a.affectedOs.length === 1 && a.affectedOs[0] === 'windows'), 19);
		// formats.md says 169; the snapshot has 173 `[affected.functions]` tables and 87 inline `functions = {...}` keys.
		assert.equal(count((a) => Object.keys(a.affectedFunctions).length > 0), 260);
	});

	await t.test('RUSTSEC-2021-0081 (actix-http)', () => {
		const advisory = byId.get('RUSTSEC-2021-0081');
		assert.ok(advisory);
		assert.equal(advisory.package, 'actix-http');
		assert.equal(advisory.kind, 'vulnerability');
		assert.equal(advisory.title, 'Potential request smuggling capabilities due to lack of input validation');
		assert.deepEqual(advisory.aliases, ['CVE-2021-38512', 'GHSA-8928-2fgm-6x9x']);
		assert.deepEqual(advisory.affected, [
			{ introduced: '0.0.0-0', fixed: '2.2.1' },
			{ introduced: '3.0.0-0', fixed: '3.0.0-beta.9' },
		]);
		assert.equal(isAffected(advisory.affected, '3.0.0-beta.8'), true);
		assert.equal(isAffected(advisory.affected, '2.2.5'), false);
	});

	await t.test('RUSTSEC-2023-0096 (aes-gcm)', () => {
		const advisory = byId.get('RUSTSEC-2023-0096');
		assert.ok(advisory);
		assert.equal(advisory.file, 'crates/aes-gcm/RUSTSEC-2023-0096.md');
		assert.deepEqual(advisory.affected, [{ introduced: '0.10.0', fixed: '0.10.3' }]);
		assert.deepEqual(advisory.affectedFunctions['aes_gcm::AesGcm::decrypt_in_place_detached'], ['>= 0.10.0, < 0.10.3']);
		assert.equal(advisory.cvss, 'CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:U/C:L/I:H/A:N');
	});

	await t.test('a withdrawn advisory: RUSTSEC-2021-0147 (daemonize)', () => {
		const advisory = byId.get('RUSTSEC-2021-0147');
		assert.ok(advisory?.withdrawn);
		assert.match(advisory.withdrawn, /^\d{4}-\d{2}-\d{2}$/);
	});

	await t.test('a malicious crate: RUSTSEC-2023-0100 (xrvrv) affects every version', () => {
		const advisory = byId.get('RUSTSEC-2023-0100');
		assert.ok(advisory);
		assert.deepEqual(advisory.categories, ['malicious']);
		assert.deepEqual(advisory.affected, [{ introduced: '0.0.0-0', fixed: undefined }]);
	});

	await t.test('the rust/ collection uses CVE ids', () => {
		const rust = advisories.filter((a) => a.file.startsWith('rust/'));
		assert.ok(rust.every((a) => a.id.startsWith('CVE-') && ['std', 'cargo', 'rustdoc'].includes(a.package)));
	});
});
