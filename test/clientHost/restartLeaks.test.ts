/**
 * "Restart Server" must not leak: before the fix each restart created four more file watchers and kept the old
 * client's two subscriptions (issue 12, item 21). The client runs against recording fakes of `vscode` and
 * `vscode-languageclient` (see esbuild.mjs), so what it creates and disposes of can be counted.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { activate } from '../../client/src/extension';
import { ClientCommands } from '../../server/src/protocol';
import { createdClients } from '../support/fakeLanguageClient';
import { fakeState } from '../support/fakeVscode';

void describe('the client across restarts', () => {
	void it('creates its watchers once, disposes of each replaced client\'s subscriptions, and of everything with the extension', async () => {
		const subscriptions: { dispose(): void }[] = [];
		const context = { subscriptions, asAbsolutePath: (path: string) => path, globalStorageUri: { fsPath: '/tmp/cargo-trust-client-test' } };
		await activate(context as never);
		const watchers = fakeState.watchers.length;
		assert.ok(watchers >= 6, `the client watches manifests, lockfiles, ignore files, cargo configuration and supply-chain (${watchers})`);
		assert.equal(createdClients.length, 1);

		const restart = fakeState.commands.get(ClientCommands.restartServer);
		assert.ok(restart, 'Restart Server is registered');
		for (let i = 0; i < 3; i++) await restart();

		assert.equal(fakeState.watchers.length, watchers, 'no watcher is created by a restart');
		assert.equal(createdClients.length, 4);
		for (const replaced of createdClients.slice(0, 3)) {
			assert.equal(replaced.running, false, 'a replaced client is stopped');
			assert.ok(replaced.subscriptions.length > 0);
			assert.deepEqual(replaced.subscriptions.map((s) => s.disposed), replaced.subscriptions.map(() => true), 'a replaced client\'s subscriptions are disposed');
		}
		const current = createdClients[3]!;
		assert.ok(current.subscriptions.every((s) => !s.disposed), 'the running client keeps its subscriptions');

		for (const subscription of subscriptions) subscription.dispose();
		assert.ok(fakeState.watchers.every((w) => w.disposed), 'every watcher is disposed with the extension');
		assert.ok(current.subscriptions.every((s) => s.disposed), 'the running client\'s subscriptions are disposed with the extension');
	});
});
