/**
 * Reading an advisory-db directory: a file that fails to parse is skipped and reported while the rest load,
 * and a second read with the same cache answers from it without parsing (and notices a changed file).
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readAdvisoryDb } from '../../../server/src/sources/advisoryDb/readAdvisoryDb';
import type { Logger } from '../../../server/src/sources/log';
import { repoRoot } from '../../support/paths';
import { tempDir } from '../../support/tempWorkspace';

function recordingLogger(): Logger & { warnings: string[] } {
	const warnings: string[] = [];
	return { warnings, info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
}

void describe('readAdvisoryDb', () => {
	void it('skips and reports files that do not parse, and loads the rest', async () => {
		const dir = join(tempDir(), 'db');
		cpSync(join(repoRoot, 'examples', 'advisory-db'), dir, { recursive: true });
		mkdirSync(join(dir, 'crates', 'broken'));
		writeFileSync(join(dir, 'crates', 'broken', 'RUSTSEC-2099-0001.md'), '```toml\n[advisory]\nid = "RUSTSEC-2099-0001"\npackage = "broken"\ndate = "2099-01-01"\n[versions]\npatched = [">= 1.0.0", ">= 1.2.0"]\n```\n\n# Overlapping ranges\n');
		writeFileSync(join(dir, 'crates', 'broken', 'RUSTSEC-2099-0002.md'), '```toml\n[advisory]\nid = "RUSTSEC-2099-0002"\npackage = "broken"\ndate = "2099-01-01"\n[versions]\npatched = [">= one.two"]\n```\n\n# Bad version\n');
		const log = recordingLogger();
		const contents = await readAdvisoryDb(dir, undefined, log);
		assert.deepEqual(contents.advisories.map((a) => a.id).sort(), ['RUSTSEC-2020-0071', 'RUSTSEC-2021-0003', 'RUSTSEC-2021-0139', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019']);
		assert.deepEqual(contents.errors.map((e) => e.file), ['crates/broken/RUSTSEC-2099-0001.md', 'crates/broken/RUSTSEC-2099-0002.md']);
		assert.equal(log.warnings.length, 2);
		assert.ok(log.warnings.every((w) => w.includes(join(dir, 'crates', 'broken'))), 'the log names the file');
	});

	void it('answers a second read from the cache, and re-reads when a file changes', async () => {
		const dir = join(tempDir(), 'db');
		const cache = join(tempDir(), 'cache');
		cpSync(join(repoRoot, 'examples', 'advisory-db'), dir, { recursive: true });
		const first = await readAdvisoryDb(dir, cache, recordingLogger());
		// Mark the cached copy: a second read that shows the mark was answered from the cache, not by parsing.
		const [cacheFile] = readdirSync(join(cache, 'advisory-index'));
		const cachePath = join(cache, 'advisory-index', cacheFile!);
		writeFileSync(cachePath, readFileSync(cachePath, 'utf8').replace('Potential segfault in the time crate', 'from the cache'));
		const second = await readAdvisoryDb(dir, cache, recordingLogger());
		assert.equal(second.advisories.find((a) => a.id === 'RUSTSEC-2020-0071')!.title, 'from the cache');
		assert.equal(second.advisories.length, first.advisories.length);
		writeFileSync(join(dir, 'crates', 'time', 'RUSTSEC-2020-0071.md'), 'not an advisory');
		const third = await readAdvisoryDb(dir, cache, recordingLogger());
		assert.equal(third.advisories.length, first.advisories.length - 1);
		assert.deepEqual(third.errors.map((e) => e.file), ['crates/time/RUSTSEC-2020-0071.md']);
	});
});
