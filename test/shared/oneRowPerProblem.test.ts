/**
 * One problem, one row, on the real workspaces (rust-analyzer, wasmtime, an older wasmtime) with the advisory
 * database snapshot, through the CLI: no (code, package) pair twice in one manifest, and a package chosen in
 * `[workspace.dependencies]` has no row in the member manifests that inherit it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/runCli';
import { sharedDataDir } from '../support/paths';

const dataDir = sharedDataDir();
const skip = dataDir ? false : '../shared/data is absent';

interface Row {
	file: string;
	line: number;
	code: string;
	package: string | null;
	related: { file: string; line: number; message: string }[];
}

for (const name of ['rust-analyzer', 'wasmtime', 'wasmtime-2024-01']) {
	test(`${name}: each problem is one row per manifest, on [workspace.dependencies] when the version is chosen there`, { skip }, () => {
		const root = join(dataDir!, 'workspaces', name);
		const run = runCli(['check', root, '--advisory-db', join(dataDir!, 'advisory-db'), '--offline', '--format', 'json']);
		const findings = (JSON.parse(run.stdout) as { findings: Row[] }).findings.filter((f) => f.package !== null);
		const seen = new Set<string>();
		for (const f of findings) {
			const key = `${f.file} ${f.code} ${f.package}`;
			assert.ok(!seen.has(key), `${key} appears twice`);
			seen.add(key);
		}
		// A member that inherits the entry where the version is chosen is related information there, never a row of its own.
		let moved = 0;
		for (const f of findings.filter((row) => row.file === 'Cargo.toml')) {
			for (const member of new Set(f.related.filter((r) => r.file !== 'Cargo.toml' && r.message.startsWith('uses [workspace.dependencies]')).map((r) => r.file))) {
				moved++;
				const rows = findings.filter((row) => row.file === member && row.code === f.code && row.package === f.package);
				assert.deepEqual(rows, [], `${f.code} ${f.package} is chosen in [workspace.dependencies], yet has a row in ${member}`);
			}
		}
		assert.ok(moved > 0, 'some rows sit on [workspace.dependencies]');
	});
}
