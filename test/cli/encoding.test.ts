/**
 * Files as they are on disk: a UTF-8 byte-order mark (which cargo accepts and editors hide) changes no finding and
 * no position; invalid UTF-8 is one `encoding` finding where the bad bytes are, and everything else still checks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths';
import { runCli } from '../support/runCli';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

const advisoryDb = join(repoRoot, 'examples', 'advisory-db');

function findings(ws: TempWorkspace): Record<string, unknown>[] {
	const run = runCli(['check', ws.dir, '--advisory-db', advisoryDb, '--offline', '--format', 'json'], { CARGO_HOME: ws.cargoHome, CARGO_TRUST_CACHE_DIR: ws.cacheDir });
	assert.equal(run.status, 1, run.stderr);
	return (JSON.parse(run.stdout) as { findings: Record<string, unknown>[] }).findings;
}

void describe('cargo-trust check: encodings on disk', () => {
	void it('a byte-order mark changes nothing; an invalid byte is one `encoding` finding on its line and column', () => {
		const plain = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		const marked = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		try {
			const expected = findings(plain);
			assert.ok(expected.some((f) => f.file === 'Cargo.toml' && f.line === 8 && f.column === 1 && f.code === 'RUSTSEC-2020-0071'));
			const bom = Buffer.from([0xef, 0xbb, 0xbf]);
			const lock = join(marked.dir, 'Cargo.lock');
			writeFileSync(lock, Buffer.concat([bom, readFileSync(lock)]));
			const manifest = join(marked.dir, 'Cargo.toml');
			const [before, after] = readFileSync(manifest, 'utf8').split('edition = "20');
			assert.ok(after !== undefined, 'the example manifest has an edition');
			writeFileSync(manifest, Buffer.concat([bom, Buffer.from(`${before}edition = "20`), Buffer.from([0xff]), Buffer.from(after)]));
			const actual = findings(marked);
			const encoding = actual.filter((f) => f.code === 'encoding');
			assert.deepEqual(
				encoding.map(({ file, line, column, endLine, endColumn, severity }) => ({ file, line, column, endLine, endColumn, severity })),
				[{ file: 'Cargo.toml', line: 4, column: 14, endLine: 4, endColumn: 15, severity: 'error' }],
			);
			assert.deepEqual(
				actual.filter((f) => f.code !== 'encoding'),
				expected,
			);
		} finally {
			rmSync(dirname(plain.dir), { recursive: true, force: true });
			rmSync(dirname(marked.dir), { recursive: true, force: true });
		}
	});
});
