/**
 * The client starts the server process with the allocator setting the wasmtime benchmark measured (`serverProcess`
 * in protocol.ts), and the test harness starts `dist/server.js` the same way, so protocol tests and benchmarks run
 * the server as VS Code does.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { activate } from '../../client/src/extension';
import { serverProcess } from '../../server/src/protocol';
import { createdClients } from '../support/fakeLanguageClient';

interface NodeModule {
	module: string;
	options?: { env?: Record<string, string> };
}

void describe('the server process', () => {
	void it('is started with the measured allocator setting, in run and debug mode', async () => {
		const context = { subscriptions: [], asAbsolutePath: (path: string) => path, globalStorageUri: { fsPath: '/tmp/cargo-trust-client-test' } };
		await activate(context as never);
		const { run, debug } = createdClients.at(-1)!.serverOptions as { run: NodeModule; debug: NodeModule };
		assert.equal(run.module, 'dist/server.js');
		for (const mode of [run, debug]) assert.deepEqual(mode.options?.env, serverProcess.env);
	});
});
