/**
 * RustSec advisories on the example workspace in a real VS Code: the Problems panel lists the findings of
 * Cargo.toml and Cargo.lock with their exact messages, severities and codes; hovering a vulnerable dependency
 * shows the advisory card and hovering a Cargo.lock entry its transitive path; the status bar counts them; and
 * editing Cargo.lock to a patched version in the editor makes the diagnostic go.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cargoTrustStatusBarId, exampleWorkspace, offlineExampleSettings, scratchDir, withEditor, type ProblemRow } from './support';

const row = (r: ProblemRow) => `${r.severity} ${r.code} ${r.line}:${r.column} ${r.message}`;
const rowsOf = (rows: ProblemRow[], file: string) => rows.filter((r) => r.file === file).map(row);

const time = 'time 0.1.43 vulnerable, fixed in 0.2.23: Potential segfault in the time crate';
const smallvec = 'smallvec 1.6.0 vulnerable, fixed in 1.6.1: Buffer overflow in SmallVec::insert_many';
const mio = 'mio 0.8.4 vulnerable, fixed in 0.8.11: Tokens for named pipes may be delivered after deregistration';
const atty = 'atty 0.2.14 unsound, no fixed version: Potential unaligned read';

/** The Problems panel lists each file's errors first, then its warnings, each by position. */
const manifestRows = [
	`error RUSTSEC-2020-0071 8:1 ${time}`,
	`error RUSTSEC-2021-0003 9:1 ${smallvec}`,
	`error RUSTSEC-2024-0019 10:1 ${mio.replace('mio 0.8.4', 'mio 0.8.4 (via tokio)')}`,
	`warning RUSTSEC-2021-0145 12:1 ${atty}`,
];
/** On Cargo.lock each finding underlines the package's name in its `[[package]]` entry. */
const lockfileRows = [
	`error RUSTSEC-2024-0019 59:8 ${mio}`,
	`error RUSTSEC-2021-0003 92:8 ${smallvec}`,
	`error RUSTSEC-2020-0071 108:8 ${time}`,
	`warning RUSTSEC-2021-0145 15:8 ${atty}`,
];

void test('advisories: Problems panel, hover cards, status bar, and a lockfile edit that fixes one', async () => {
	await withEditor(
		{
			scenario: 'advisories',
			workspace: exampleWorkspace,
			settings: offlineExampleSettings(),
			env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home') },
		},
		async (editor) => {
			await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));

			const rows = await editor.step('problems', () =>
				editor.waitForProblems('the findings of Cargo.toml and Cargo.lock', (rows) => rowsOf(rows, 'Cargo.toml').length === 4 && rowsOf(rows, 'Cargo.lock').length === 4),
			);
			assert.deepEqual(rowsOf(rows, 'Cargo.toml'), manifestRows);
			assert.deepEqual(rowsOf(rows, 'Cargo.lock'), lockfileRows);
			assert.deepEqual([...new Set(rows.map((r) => r.file))], ['Cargo.lock', 'Cargo.toml'], 'no other file has findings');
			for (const r of rows) assert.equal(r.source, 'cargo-trust', r.text);
			const timeRow = rows.find((r) => r.file === 'Cargo.toml' && r.code === 'RUSTSEC-2020-0071');
			assert.equal(timeRow?.codeHref, 'https://rustsec.org/advisories/RUSTSEC-2020-0071.html');

			// The label names the icon: `error`, not the `sync~spin` shown while the server is still working.
			await editor.step('status-bar', () => editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 6 errors, 2 warnings(,|$)/));
			assert.equal(await editor.statusBarText(cargoTrustStatusBarId), 'Cargo Trust: 6 errors, 2 warnings');

			const card = await editor.step('hover-time', () => editor.hover('time = "0.1"', 'time', 'RUSTSEC-2020-0071'));
			const timeHover = card.markdown.join('\n\n');
			assert.match(timeHover, /^time 0\.1\.43 · crates\.io · requirement 0\.1/);
			assert.match(timeHover, /vulnerability RUSTSEC-2020-0071: Potential segfault in the time crate/);
			assert.match(timeHover, /patched: 0\.2\.23 or later/);
			assert.match(timeHover, /affected functions: time::OffsetDateTime::now_local, time::at/);
			assert.ok(card.markers.includes(time), `the hover shows the diagnostic too: ${JSON.stringify(card.markers)}`);

			await editor.step('open-lockfile', () => editor.openFile('Cargo.lock'));
			// mio's entry starts on line 58: `[[package]]`, then `name = "mio"`.
			const mioHover = await editor.step('hover-lockfile-mio', () => editor.hoverText({ line: 58 }, '[[package]]', 'transitive dependency'));
			assert.match(mioHover, /^mio 0\.8\.4 · crates\.io · transitive dependency/);
			assert.match(mioHover, /Brought in by\n+tokio → mio/);
			assert.match(mioHover, /vulnerability RUSTSEC-2024-0019/);

			await editor.step('edit-lockfile', async () => {
				// smallvec's entry: `name = "smallvec"` on line 92, its version on line 93.
				await editor.replaceLine(93, 'version = "1.6.1"');
				await editor.save();
			});
			const fixed = await editor.step('smallvec-fixed', () =>
				editor.waitForProblems('the smallvec findings to go', (rows) => rows.length > 0 && !rows.some((r) => r.code === 'RUSTSEC-2021-0003')),
			);
			assert.deepEqual(rowsOf(fixed, 'Cargo.toml'), manifestRows.filter((r) => !r.includes('smallvec')));
			assert.deepEqual(rowsOf(fixed, 'Cargo.lock'), lockfileRows.filter((r) => !r.includes('smallvec')));
			await editor.step('status-bar-after-fix', () => editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 4 errors, 2 warnings(,|$)/));
		},
	);
});
