/**
 * The first minutes in a multi-member workspace (issue 16), in a real VS Code: the status bar says "loading" (never
 * "no findings") until the first findings, then the counts the Problems panel shows; clicking it lists the data
 * sources; a `[workspace.dependencies]` entry has the card of the package it chooses, used by both members; the
 * advisory of a package chosen there is one row, on the root's entry; and typing a new dependency into a member,
 * key by key, shows at most one parse problem, on that line, once typing pauses, with every other finding kept.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cargoTrustStatusBarId, offlineExampleSettings, scratchDir, waitFor, withEditor, type Editor, type ProblemRow } from './support';

const fixture = join(process.cwd(), 'test', 'e2e', 'fixtures', 'workspace-typing');
const manifestRows = (rows: ProblemRow[]) => rows.filter((r) => r.file?.endsWith('Cargo.toml')).map((r) => `${r.file} ${r.code} ${r.line}`);
/** The findings other than parse problems, without positions (typing a line moves those below it). */
const findings = (rows: ProblemRow[]) => rows.filter((r) => r.code !== 'toml-parse').map((r) => `${r.file} ${r.code}`).sort();
const parseRows = (rows: ProblemRow[]) => rows.filter((r) => r.code === 'toml-parse');

/** Every text the status bar shows until it shows counts. */
async function statusTextsUntilCounts(editor: Editor): Promise<string[]> {
	const item = editor.page.locator(`.part.statusbar .statusbar-item[id="${cargoTrustStatusBarId}"]`);
	const seen: string[] = [];
	await waitFor(
		'the status bar to show counts',
		async () => {
			const text = (await item.isVisible()) ? (await item.innerText()).trim() : '';
			if (text && seen[seen.length - 1] !== text) seen.push(text);
			return text;
		},
		(text) => /Cargo Trust: \d+ errors?/.test(text),
	);
	return seen;
}

void test('workspace: loading status, data sources, workspace.dependencies card, one row per problem, typing a dependency', async () => {
	await withEditor(
		{ scenario: 'workspace-typing', workspace: fixture, settings: offlineExampleSettings(), env: { CARGO_HOME: scratchDir('ct-e2e-cargo-home') } },
		async (editor) => {
			const texts = await editor.step('status-loading', () => statusTextsUntilCounts(editor));
			for (const text of texts.slice(0, -1)) assert.match(text, /^Cargo Trust: (starting|loading…)$/, `before the counts: ${JSON.stringify(texts)}`);

			await editor.step('status-summary', async () => {
				// Once the work is done (no spinner), the registries have been asked.
				await editor.statusBarLabel(cargoTrustStatusBarId, /^(error|warning|shield)\s+Cargo Trust/);
				await editor.page.locator(`.part.statusbar .statusbar-item[id="${cargoTrustStatusBarId}"]`).click();
				const list = editor.page.locator('.quick-input-widget .quick-input-list');
				await list.locator('.monaco-list-row', { hasText: 'Registry crates-io' }).first().waitFor({ state: 'visible' });
				const summary = await list.innerText();
				assert.match(summary, /Advisories[\s\S]*RustSec advisory-db at .*advisory-db/);
				assert.match(summary, /Registry crates-io[\s\S]*offline.*7 locked packages checked/);
				assert.match(summary, /release age, yanked and checksum checks/);
				assert.match(summary, /Show Log/);
				await editor.page.keyboard.press('Escape');
			});

			await editor.step('open-member', () => editor.openFile('app/Cargo.toml'));
			const before = findings(await editor.readProblems());
			// A new line under [dependencies] (line 7), typed key by key as a user does.
			await editor.step('type-key', async () => {
				await editor.goToLine(7);
				await editor.page.keyboard.press('End');
				await editor.page.keyboard.press('Enter');
				await editor.page.keyboard.type('instant');
			});
			// Every look at the panel, while typing and after the pause, sees at most one parse problem, on the new line,
			// and every other finding.
			const violations: string[] = [];
			const observed = await editor.step('pause-shows-one-parse-problem', () =>
				editor.waitForProblems('the parse problem of the half-typed line, after the pause', (r) => {
					const parse = parseRows(r);
					if (parse.length > 1 || parse.some((row) => `${row.file} ${row.line}` !== 'app/Cargo.toml 8')) violations.push(`parse problems: ${JSON.stringify(parse)}`);
					if (JSON.stringify(findings(r)) !== JSON.stringify(before)) violations.push(`findings: ${JSON.stringify(findings(r))}`);
					return parse.length === 1;
				}),
			);
			assert.deepEqual(violations, [], `before: ${JSON.stringify(before)}`);
			assert.equal(parseRows(observed)[0]?.severity, 'error');
			await editor.step('type-value', async () => {
				await editor.page.keyboard.type(' = "0.1"');
				await editor.save();
			});
			assert.equal(readFileSync(join(editor.workspaceDir, 'app', 'Cargo.toml'), 'utf8').split('\n')[7], 'instant = "0.1"');
			const after = await editor.step('line-complete', () => editor.waitForProblems('no parse problem once the line is complete', (r) => parseRows(r).length === 0 && r.length > 0));
			for (const finding of before) assert.ok(findings(after).includes(finding), `${finding} is kept: ${JSON.stringify(findings(after))}`);
			// The count agrees with the Problems panel (instant is not in Cargo.lock: one more finding on its line).
			const count = (severity: ProblemRow['severity'], word: string) => {
				const n = after.filter((r) => r.severity === severity).length;
				return n ? [`${n} ${word}${n === 1 ? '' : 's'}`] : [];
			};
			const expected = [...count('error', 'error'), ...count('warning', 'warning')].join(', ');
			await editor.step('status-after-typing', () => editor.statusBarText(cargoTrustStatusBarId, `Cargo Trust: ${expected}`));

			await editor.step('remove-typed-line', async () => {
				await editor.deleteLine(8);
				await editor.save();
			});
			const rows = await editor.step('one-row-per-problem', () =>
				editor.waitForProblems('one row per problem in the manifests', (r) => manifestRows(r).length === 2 && r.filter((row) => row.file === 'Cargo.lock').length === 2),
			);
			// time is chosen in [workspace.dependencies]: its advisory is reported there, once, not on both members.
			assert.deepEqual(manifestRows(rows), ['Cargo.toml RUSTSEC-2020-0071 10', 'app/Cargo.toml RUSTSEC-2021-0145 9']);
			await editor.step('status-counts', () => editor.statusBarLabel(cargoTrustStatusBarId, /^error\s+Cargo Trust: 2 errors, 2 warnings(,|$)/));

			await editor.step('open-root', () => editor.openFile('Cargo.toml'));
			const card = await editor.step('hover-workspace-dependency', () => editor.hoverText('time = "0.1"', 'time', /Used by 2 members: app, cli/));
			assert.match(card, /^time 0\.1\.43/);
			assert.match(card, /RUSTSEC-2020-0071/);
		},
	);
});
