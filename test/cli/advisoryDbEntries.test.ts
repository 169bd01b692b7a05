/**
 * `cargo-trust check` with an advisory database that has a bad entry or a damaged cache: the advisories of every
 * other file are still found. (Exit codes are the contract's business and are tested in check.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

interface JsonReport {
	data: { advisoryDb: { status: string; reason: string | null } };
	packages: { name: string; advisories: { id: string }[] | null }[];
}

const bases: string[] = [];
after(() => {
	for (const base of bases) rmSync(base, { recursive: true, force: true });
});

/** The example workspace and a copy of the example advisory database beside it. */
function setup(): { ws: TempWorkspace; db: string } {
	const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
	bases.push(dirname(ws.dir));
	const db = join(dirname(ws.dir), 'advisory-db');
	cpSync(join(repoRoot, 'examples', 'advisory-db'), db, { recursive: true });
	return { ws, db };
}

function check(ws: TempWorkspace, db: string) {
	const run = runCli(['check', ws.dir, '--advisory-db', db, '--offline', '--format', 'json'], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir });
	assert.ok(run.stdout.startsWith('{'), `no report: ${run.stderr}`);
	return { run, report: JSON.parse(run.stdout) as JsonReport };
}

function advisoriesOf(report: JsonReport, name: string): string[] | null {
	return report.packages.find((p) => p.name === name)!.advisories?.map((a) => a.id) ?? null;
}

void describe('cargo-trust check with a damaged advisory database', () => {
	void it('a dangling symbolic link costs only itself: the other files\' advisories are found', () => {
		const { ws, db } = setup();
		symlinkSync(join(db, 'missing.md'), join(db, 'crates', 'time', 'RUSTSEC-2099-0001.md'));
		const { run, report } = check(ws, db);
		assert.equal(report.data.advisoryDb.status, 'known', report.data.advisoryDb.reason ?? '');
		assert.deepEqual(advisoriesOf(report, 'smallvec'), ['RUSTSEC-2021-0003']);
		assert.deepEqual(advisoriesOf(report, 'time'), ['RUSTSEC-2020-0071']);
		assert.match(run.stderr, /Skipped advisory .*RUSTSEC-2099-0001\.md: is a dangling symbolic link/);
	});

	void it('a malformed entry in the advisory cache is discarded and rebuilt, not trusted and not a crash', () => {
		const { ws, db } = setup();
		check(ws, db);
		const [name] = readdirSync(join(ws.cacheDir, 'advisory-index'));
		const cachePath = join(ws.cacheDir, 'advisory-index', name!);
		// Damage an entry's shape and keep the checksum consistent, as a buggy writer would.
		const text = readFileSync(cachePath, 'utf8');
		const newline = text.indexOf('\n');
		const body = text.slice(newline + 1).replace(/"affected":\[[^\]]*\]/g, '"affected":{}');
		const header = { ...(JSON.parse(text.slice(0, newline)) as object), sha256: createHash('sha256').update(body).digest('hex') };
		writeFileSync(cachePath, `${JSON.stringify(header)}\n${body}`);
		const { run, report } = check(ws, db);
		assert.doesNotMatch(run.stderr, /TypeError/);
		assert.match(run.stderr, /Discarded the advisory cache/);
		assert.equal(report.data.advisoryDb.status, 'known');
		assert.deepEqual(advisoriesOf(report, 'smallvec'), ['RUSTSEC-2021-0003']);
	});
});
