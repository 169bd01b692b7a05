import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { exampleWorkspace, offlineExampleSettings, scratchDir, withEditor } from './support';

void test('probe', async () => {
	await withEditor({ scenario: 'probe', workspace: exampleWorkspace, settings: offlineExampleSettings(), env: { CARGO_HOME: scratchDir('ct-probe') } }, async (editor) => {
		await editor.openFile('Cargo.toml');
		await editor.waitForProblems('x', (rows) => rows.length >= 8);
		const html = await editor.page.locator('.part.panel').evaluate((e: any) => e.outerHTML);
		writeFileSync('/tmp/panel.html', html);
		const input = editor.page.locator('.part.panel .viewpane-filter input');
		console.log('count', await input.count());
		await input.fill('RUSTSEC-2021-0145');
		await editor.waitForProblems('filtered', (rows) => rows.length === 2);
		writeFileSync('/tmp/panel2.html', await editor.page.locator('.part.panel').evaluate((e: any) => e.outerHTML));
		await editor.step('filtered', async () => undefined);
	});
});
