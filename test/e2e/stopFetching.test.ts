/**
 * Stop Fetching in a real VS Code: the example workspace's crates come from a registry on 127.0.0.1 (cargo's source
 * replacement) that holds every download, so four unsafe counts run and the rest wait in the queue. VS Code shows the
 * fetching progress in the status bar, without a cancel button: the user clicks the status bar item and picks Stop
 * Fetching; a dependency whose fetch was dropped says "fetching cancelled" in hover, and Refresh Data from the same
 * summary fetches it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleCrates, exampleWithRegistry } from '../support/exampleRegistry';
import { cargoTrustStatusBarId, exampleAdvisoryDb, waitFor, withEditor } from './support';

/** The example's direct dependencies, each with the text of its line in Cargo.toml. */
const direct: Record<string, string> = { time: 'time = "0.1"', smallvec: 'smallvec = "1.6"', tokio: 'tokio = {', serde: 'serde = {', atty: 'atty = "0.2"', ansi_term: 'ansi_term = "0.12"' };
const cancelled = 'Unsafe: unknown (fetching cancelled (run Cargo Trust: Refresh Data to fetch again))';

void test('Stop Fetching from the status summary drops queued fetches, and Refresh Data fetches them', async () => {
	const { ws, registry } = await exampleWithRegistry(exampleCrates());
	try {
		// Downloads (and crates.io API requests) are held until released: what runs stays running, the rest stays queued.
		registry.fault({ kind: 'hold', path: '/api/v1/crates/' });
		const downloads = (paths: readonly string[]): string[] => paths.filter((path) => path.endsWith('/download')).map((path) => path.split('/')[4]!);
		await withEditor(
			{ scenario: 'stop-fetching', workspace: ws.dir, settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb }, env: { CARGO_HOME: ws.cargoHome } },
			async (editor) => {
				await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
				const running = await editor.step('downloads-held', () =>
					waitFor('four downloads held by the registry', () => Promise.resolve(downloads(registry.heldPaths())), (names) => names.length === 4),
				);
				const dropped = Object.keys(direct).find((name) => !running.includes(name))!;
				const offered = await editor.step('stop-fetching', () => editor.pickFromStatusItem(cargoTrustStatusBarId, 'Stop Fetching'));
				assert.ok(offered.some((label) => label.includes('Refresh Data')), JSON.stringify(offered));
				// Shown while the four downloads are still held: the cancel dropped what was queued, not what ran.
				await editor.step('hover-cancelled', () => editor.hoverText(direct[dropped]!, dropped, cancelled));
				registry.clearFaults();
				registry.releaseHeld();
				await editor.step('quiescent', () => editor.statusBarLabel(cargoTrustStatusBarId, /^(error|warning|shield)\s+Cargo Trust: /));
				assert.deepEqual(downloads(registry.requests.map((request) => request.path)).sort(), [...running].sort(), 'nothing was downloaded after the cancel');
				await editor.step('hover-still-cancelled', () => editor.hoverText(direct[dropped]!, dropped, cancelled));

				await editor.step('refresh-data', () => editor.pickFromStatusItem(cargoTrustStatusBarId, 'Refresh Data'));
				// The example's .crate bytes are no archives: fetched, the count is unknown for that reason, not the cancel's.
				const fetched = await editor.step('hover-fetched', () => editor.hoverText(direct[dropped]!, dropped, /Unsafe: unknown \(downloaded /));
				assert.ok(!fetched.includes('fetching cancelled'), fetched);
			},
		);
	} finally {
		await registry.close();
	}
});
