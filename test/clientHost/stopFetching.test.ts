/**
 * "Stop Fetching" in the client: VS Code shows the server's fetching progress in the status bar, which has no cancel
 * button, so the status summary (a click on the status bar item) offers Stop Fetching while the last status says
 * facts are being fetched, and the command asks the server to cancel. The client runs against recording fakes of
 * `vscode` and `vscode-languageclient` (esbuild.mjs).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { activate } from '../../client/src/extension';
import { ClientCommands, ServerCommands, StatusNotification, type StatusParams } from '../../server/src/protocol';
import { createdClients } from '../support/fakeLanguageClient';
import { fakeState, type FakeQuickPickItem } from '../support/fakeVscode';

const status = (fetching: boolean): StatusParams => ({ health: 'ok', quiescent: !fetching, fetching, counts: { error: 0, warning: 0, information: 0 }, message: 'Advisories from /db', loading: false, sources: [], received: 1 });
const stopLabel = '$(debug-stop) Stop Fetching';

void describe('Stop Fetching', () => {
	void it('is offered in the status summary only while fetching, and picking it asks the server to cancel', async () => {
		await activate({ subscriptions: [], asAbsolutePath: (path: string) => path, globalStorageUri: { fsPath: '/tmp/cargo-trust-client-test' } } as never);
		const client = createdClients.at(-1)!;
		const notify = client.notificationHandlers.get(StatusNotification)!;
		const showStatus = fakeState.commands.get(ClientCommands.showStatus)!;
		const offered: string[][] = [];
		fakeState.quickPick = (items: readonly FakeQuickPickItem[]) => {
			offered.push(items.map((item) => item.label));
			return items.find((item) => item.label === stopLabel);
		};

		notify(status(false));
		assert.equal(fakeState.contexts.get('cargoTrust.fetching'), undefined, 'not fetching: the context key stays unset (false)');
		await showStatus();
		assert.ok(!offered[0]!.includes(stopLabel), `nothing to stop: ${JSON.stringify(offered[0])}`);

		notify(status(true));
		assert.equal(fakeState.contexts.get('cargoTrust.fetching'), true, 'the Command Palette lists Stop Fetching while fetching');
		await showStatus();
		assert.ok(offered[1]!.includes(stopLabel), JSON.stringify(offered[1]));
		assert.deepEqual(client.requests.at(-1), { method: 'workspace/executeCommand', params: { command: ServerCommands.cancelFetching, arguments: [] } });

		notify(status(false));
		assert.equal(fakeState.contexts.get('cargoTrust.fetching'), false);
	});
});
