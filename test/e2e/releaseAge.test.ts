/**
 * Release age and yanked versions in a real VS Code, from a real-protocol registry on 127.0.0.1 that the example
 * reaches through cargo's source replacement (.cargo/config.toml): tokio was published 3 days ago, under the
 * default 7 days policy, and atty is yanked. The Problems panel shows both warnings, the hover on tokio says when
 * it was published and when it is old enough, and the status bar counts them with the advisories.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { exampleCrates, examplePackages, exampleWithRegistry } from '../support/exampleRegistry';
import type { FakeVersion } from '../support/registryServer';
import { cargoTrustStatusBarId, exampleAdvisoryDb, exampleWorkspace, withEditor, type ProblemRow } from './support';

const dayMs = 86_400_000;
const row = (r: ProblemRow) => `${r.file} ${r.severity} ${r.code} ${r.line}:${r.column} ${r.message}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Real .crate archives for every package of the example (the example's checksums are of placeholder bytes, which
 * the hover's unsafe section would report as unreadable archives), and the Cargo.lock text that pins them.
 */
function realCrates(lockfile: string): { crates: Record<string, Uint8Array>; lockfile: string } {
	const crates: Record<string, Uint8Array> = {};
	for (const { name, version } of examplePackages()) {
		const lib = name === 'tokio' ? 'pub struct Handle;\nunsafe impl Send for Handle {}\npub unsafe fn from_raw(p: *const u8) -> u8 { unsafe { *p } }\n' : '#![forbid(unsafe_code)]\npub fn f() {}\n';
		const crate = buildCrate(name, version, { 'src/lib.rs': lib });
		crates[name] = crate;
		const entry = new RegExp(`(\nname = "${escape(name)}"\nversion = "${escape(version)}"\nsource = "[^"]+"\nchecksum = ")[0-9a-f]{64}"`);
		assert.match(lockfile, entry, `${name} ${version} in Cargo.lock`);
		lockfile = lockfile.replace(entry, `$1${sha256(crate)}"`);
	}
	return { crates, lockfile };
}

void test('release age: a 3 days old tokio and a yanked atty, from a registry on 127.0.0.1', async () => {
	const published = new Date(Date.now() - 3 * dayMs).toISOString().replace(/\.\d+Z$/, 'Z');
	const oldEnough = new Date(Date.parse(published) + 7 * dayMs).toISOString().slice(0, 10);
	const { crates, lockfile } = realCrates(readFileSync(join(exampleWorkspace, 'Cargo.lock'), 'utf8'));
	const overrides: Record<string, Partial<FakeVersion>> = Object.fromEntries(Object.entries(crates).map(([name, crate]) => [name, { crate }]));
	Object.assign(overrides.tokio!, { pubtime: published });
	Object.assign(overrides.atty!, { yanked: true });
	const { ws, registry } = await exampleWithRegistry(exampleCrates(overrides));
	writeFileSync(join(ws.dir, 'Cargo.lock'), lockfile);
	try {
		await withEditor(
			{
				scenario: 'release-age',
				// The example with .cargo/config.toml replacing crates.io by the registry; the harness opens a copy.
				workspace: ws.dir,
				// Online: the registry is the only server there is to reach.
				settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb },
				env: { CARGO_HOME: ws.cargoHome },
			},
			async (editor) => {
				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));

				// The example's 8 advisory findings, plus young-release and yanked on Cargo.toml and on Cargo.lock.
				await editor.step('status-bar', () => editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 6 errors, 6 warnings(,|$)/));

				// More findings than the panel's height shows: filter it, as a user would.
				await editor.filterProblems('young-release');
				const young = await editor.step('problems-young-release', () =>
					editor.waitForProblems('the young-release warnings', (rows) => rows.length === 2 && rows.every((r) => r.code === 'young-release')),
				);
				const message = `tokio 1.20.0 was published 3 days ago (${published.slice(0, 10)}); it is old enough on ${oldEnough} under your 7 days policy (cargoTrust.releaseAge.minimum)`;
				assert.deepEqual(young.map(row), [`Cargo.lock warning young-release 118:8 ${message}`, `Cargo.toml warning young-release 10:1 ${message}`]);

				await editor.filterProblems('yanked');
				const yanked = await editor.step('problems-yanked', () =>
					editor.waitForProblems('the yanked warnings', (rows) => rows.length === 2 && rows.every((r) => r.code === 'yanked')),
				);
				assert.deepEqual(yanked.map(row), ['Cargo.lock warning yanked 15:8 atty 0.2.14 is yanked from crates.io', 'Cargo.toml warning yanked 12:1 atty 0.2.14 is yanked from crates.io']);
				await editor.filterProblems('');

				const hover = await editor.step('hover-tokio', () => editor.hoverText('tokio = {', 'tokio', /Published 3 days ago[\s\S]*Unsafe: \d/));
				assert.match(hover, new RegExp(`Published 3 days ago, ${published.slice(0, 10)}; old enough on ${oldEnough} under your 7 days policy \\(cargoTrust\\.releaseAge\\.minimum\\)`));
				assert.match(hover, /Unsafe: 3 \(.*\) in 1 file/, 'the unsafe section read the archive the registry served');
			},
		);
		assert.ok(registry.count('/index/') > 0, 'the registry answered the index requests');
	} finally {
		await registry.close();
		rmSync(dirname(ws.dir), { recursive: true, force: true });
	}
});
