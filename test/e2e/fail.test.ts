// THROWAWAY: a deliberately failing scenario, to check failure artifacts and stack traces.
import { test } from 'node:test';
import { withEditor } from './support';

void test('probe: failing step', async () => {
	await withEditor({ scenario: 'probe-fail', vsix: '/tmp/probe/probe.vsix', files: { 'Cargo.toml': '[dependencies]\nserde = "1"\n' } }, async (editor) => {
		await editor.step('activated', () => editor.statusBarText('probe.probe.status', 'Probe ready'));
		await editor.step('never', () => editor.statusBarText('probe.probe.status', 'something else'));
	});
});
