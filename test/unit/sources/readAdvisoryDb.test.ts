/**
 * Reading an advisory-db directory: an entry that fails to parse or is not a regular file (a dangling link, a loop,
 * a FIFO, a link out of the database) is skipped and reported while the rest load; a second read with the same cache
 * answers from it without parsing (and notices a changed file); a damaged cache is discarded, logged and rebuilt.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAdvisoryDb } from '../../../server/src/sources/advisoryDb/readAdvisoryDb';
import type { Logger } from '../../../server/src/sources/log';
import { repoRoot } from '../../support/paths';
import { tempDir as makeTempDir } from '../../support/tempWorkspace';

const temps: string[] = [];
after(() => {
	for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
	const dir = makeTempDir();
	temps.push(dir);
	return dir;
}

const exampleIds = ['RUSTSEC-2020-0071', 'RUSTSEC-2021-0003', 'RUSTSEC-2021-0139', 'RUSTSEC-2021-0145', 'RUSTSEC-2024-0019'];

function exampleDb(): string {
	const dir = join(tempDir(), 'db');
	cpSync(join(repoRoot, 'examples', 'advisory-db'), dir, { recursive: true });
	return dir;
}

function cacheFileIn(cache: string): string {
	const [name] = readdirSync(join(cache, 'advisory-index'));
	return join(cache, 'advisory-index', name!);
}

/**
 * Edits the cached contents as text; when the cache carries a checksum of its contents (a header line, then the
 * contents), `reseal` recomputes it, as a cache written by a buggy version of us would be: consistent but malformed.
 */
function editCache(path: string, edit: (text: string) => string, reseal: boolean): void {
	const text = readFileSync(path, 'utf8');
	const newline = text.indexOf('\n');
	if (newline === -1 || !reseal) return writeFileSync(path, edit(text));
	const header = JSON.parse(text.slice(0, newline)) as { sha256: string };
	const body = edit(text.slice(newline + 1));
	header.sha256 = createHash('sha256').update(body).digest('hex');
	writeFileSync(path, `${JSON.stringify(header)}\n${body}`);
}

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
		const dir = exampleDb();
		const cache = join(tempDir(), 'cache');
		// A whole-second modification time, so that setting it again restores it exactly.
		const timeFile = join(dir, 'crates', 'time', 'RUSTSEC-2020-0071.md');
		utimesSync(timeFile, 1_600_000_000, 1_600_000_000);
		const first = await readAdvisoryDb(dir, cache, recordingLogger());
		// Spoil the file behind the fingerprint's back (same size, same modification time): a second read that still
		// has its advisory was answered from the cache, not by parsing.
		writeFileSync(timeFile, 'x'.repeat(statSync(timeFile).size));
		utimesSync(timeFile, 1_600_000_000, 1_600_000_000);
		const second = await readAdvisoryDb(dir, cache, recordingLogger());
		assert.equal(second.advisories.find((a) => a.id === 'RUSTSEC-2020-0071')!.title, 'Potential segfault in the time crate');
		assert.equal(second.advisories.length, first.advisories.length);
		writeFileSync(timeFile, 'not an advisory');
		const third = await readAdvisoryDb(dir, cache, recordingLogger());
		assert.equal(third.advisories.length, first.advisories.length - 1);
		assert.deepEqual(third.errors.map((e) => e.file), ['crates/time/RUSTSEC-2020-0071.md']);
	});

	void it('skips and reports a dangling symbolic link and a symbolic link loop, and loads the rest', async () => {
		const dir = exampleDb();
		symlinkSync(join(dir, 'crates', 'nowhere', 'RUSTSEC-2099-0001.md'), join(dir, 'crates', 'smallvec', 'RUSTSEC-2099-0001.md'));
		symlinkSync('loop-b.md', join(dir, 'crates', 'time', 'loop-a.md'));
		symlinkSync('loop-a.md', join(dir, 'crates', 'time', 'loop-b.md'));
		symlinkSync(join(dir, 'crates', 'gone'), join(dir, 'crates', 'dangling-crate'));
		const log = recordingLogger();
		const contents = await readAdvisoryDb(dir, join(tempDir(), 'cache'), log);
		assert.deepEqual(contents.advisories.map((a) => a.id).sort(), exampleIds);
		assert.deepEqual(contents.errors, [
			{ file: 'crates/dangling-crate', error: 'is a dangling symbolic link' },
			{ file: 'crates/smallvec/RUSTSEC-2099-0001.md', error: 'is a dangling symbolic link' },
			{ file: 'crates/time/loop-a.md', error: 'is a symbolic link loop' },
			{ file: 'crates/time/loop-b.md', error: 'is a symbolic link loop' },
		]);
		assert.equal(log.warnings.length, 4);
		assert.ok(log.warnings[1]!.includes(join(dir, 'crates', 'smallvec', 'RUSTSEC-2099-0001.md')), log.warnings[1]);
	});

	void it('reads only regular files: a FIFO, and links to a FIFO or out of the database, are skipped without blocking', { skip: process.platform === 'win32' }, async () => {
		const dir = exampleDb();
		const outside = join(tempDir(), 'RUSTSEC-2099-0002.md');
		writeFileSync(outside, readFileSync(join(dir, 'crates', 'time', 'RUSTSEC-2020-0071.md')));
		execFileSync('mkfifo', [join(dir, 'crates', 'time', 'RUSTSEC-2099-0001.md')]);
		symlinkSync('RUSTSEC-2099-0001.md', join(dir, 'crates', 'time', 'RUSTSEC-2099-0003.md'));
		symlinkSync(outside, join(dir, 'crates', 'time', 'RUSTSEC-2099-0002.md'));
		mkdirSync(join(dir, 'crates', 'time', 'RUSTSEC-2099-0004.md'));
		// A link inside the database to a regular file is followed, as git checkouts may hold them.
		symlinkSync('../time/RUSTSEC-2020-0071.md', join(dir, 'crates', 'smallvec', 'RUSTSEC-2020-0071.md'));
		const contents = await readAdvisoryDb(dir, undefined, recordingLogger());
		assert.deepEqual(contents.advisories.map((a) => `${a.file} ${a.id}`).sort(), [
			'crates/ansi_term/RUSTSEC-2021-0139.md RUSTSEC-2021-0139',
			'crates/atty/RUSTSEC-2021-0145.md RUSTSEC-2021-0145',
			'crates/mio/RUSTSEC-2024-0019.md RUSTSEC-2024-0019',
			'crates/smallvec/RUSTSEC-2020-0071.md RUSTSEC-2020-0071',
			'crates/smallvec/RUSTSEC-2021-0003.md RUSTSEC-2021-0003',
			'crates/time/RUSTSEC-2020-0071.md RUSTSEC-2020-0071',
		]);
		assert.deepEqual(
			contents.errors.map((e) => `${e.file}: ${e.error.replace(outside, '<outside>')}`),
			[
				'crates/time/RUSTSEC-2099-0001.md: is not a regular file (a FIFO)',
				'crates/time/RUSTSEC-2099-0002.md: is a symbolic link to <outside>, outside the database',
				'crates/time/RUSTSEC-2099-0003.md: is not a regular file (a FIFO)',
				'crates/time/RUSTSEC-2099-0004.md: is not a regular file (a directory)',
			],
		);
	});

	void it('discards a cache whose contents were changed behind its fingerprint, says so, and rebuilds it', async () => {
		const dir = exampleDb();
		const cache = join(tempDir(), 'cache');
		await readAdvisoryDb(dir, cache, recordingLogger());
		const cachePath = cacheFileIn(cache);
		// Well-formed but wrong: an advisory renamed to one that matches nothing.
		editCache(cachePath, (text) => text.replaceAll('RUSTSEC-2021-0003', 'RUSTSEC-2099-9999'), false);
		const log = recordingLogger();
		const contents = await readAdvisoryDb(dir, cache, log);
		assert.deepEqual(contents.advisories.map((a) => a.id).sort(), exampleIds);
		assert.equal(log.warnings.length, 1, log.warnings.join('\n'));
		assert.match(log.warnings[0]!, /^Discarded the advisory cache .* \(the contents do not match their checksum\); re-reading /);
		assert.doesNotMatch(readFileSync(cachePath, 'utf8'), /RUSTSEC-2099-9999/, 'the cache was rewritten');
		assert.deepEqual((await readAdvisoryDb(dir, cache, recordingLogger())).advisories.map((a) => a.id).sort(), exampleIds);
	});

	void it('discards a cache with a malformed entry, even under a matching checksum, and rebuilds it', async () => {
		const dir = exampleDb();
		const cache = join(tempDir(), 'cache');
		const first = await readAdvisoryDb(dir, cache, recordingLogger());
		const cachePath = cacheFileIn(cache);
		for (const damage of [
			(text: string) => text.replace(/"affected":\[[^\]]*\]/, '"affected":"0.1.0"'),
			(text: string) => text.replace(/"kind":"vulnerability"/, '"kind":"exploit"'),
			(text: string) => text.replace(/"advisories":\[/, '"advisories":[null,'),
			(text: string) => text.slice(0, text.length / 2),
		]) {
			editCache(cachePath, damage, true);
			const log = recordingLogger();
			const contents = await readAdvisoryDb(dir, cache, log);
			assert.deepEqual(contents.advisories, first.advisories);
			assert.match(log.warnings.join('\n'), /^Discarded the advisory cache /);
		}
	});
});
