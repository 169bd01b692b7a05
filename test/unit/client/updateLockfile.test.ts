/**
 * "Update Cargo.lock": a terminal named Cargo Trust in the workspace root, the command typed and not run; any
 * argument that is not exactly a safe `cargo update -p NAME@VERSION --precise VERSION` types nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { updateLockfile, updateLockfileArgs } from '../../../client/src/updateLockfile';

function fakeApi(): { api: typeof vscode; terminals: { options: unknown; sent: [string, boolean | undefined][]; shown: boolean }[]; warnings: string[] } {
	const terminals: { options: unknown; sent: [string, boolean | undefined][]; shown: boolean }[] = [];
	const warnings: string[] = [];
	const api = {
		window: {
			createTerminal(options: unknown) {
				const terminal = { options, sent: [] as [string, boolean | undefined][], shown: false };
				terminals.push(terminal);
				return { show: () => (terminal.shown = true), sendText: (text: string, addNewLine?: boolean) => terminal.sent.push([text, addNewLine]) };
			},
			showWarningMessage: (message: string) => {
				warnings.push(message);
				return Promise.resolve(undefined);
			},
		},
	} as unknown as typeof vscode;
	return { api, terminals, warnings };
}

test('opens a terminal in the workspace root with the command typed, not run', () => {
	const { api, terminals } = fakeApi();
	updateLockfile(api, { command: 'cargo update -p foo@1.3.2 --precise 1.2.0', cwd: '/ws' });
	assert.deepEqual(terminals, [{ options: { name: 'Cargo Trust', cwd: '/ws' }, sent: [['cargo update -p foo@1.3.2 --precise 1.2.0', false]], shown: true }]);
});

test('types nothing for anything but a plain cargo update --precise', () => {
	for (const command of ['cargo update -p foo@1.3.2 --precise 1.2.0; rm -rf ~', 'cargo update -p foo@1.3.2 --precise 1.2.0\n', 'cargo build', 'cargo update -p $(id)@1 --precise 1', 42]) {
		assert.equal(updateLockfileArgs({ command, cwd: '/ws' }), undefined, String(command));
		const { api, terminals, warnings } = fakeApi();
		updateLockfile(api, { command, cwd: '/ws' });
		assert.deepEqual([terminals.length, warnings.length], [0, 1]);
	}
	assert.equal(updateLockfileArgs(undefined), undefined);
	assert.equal(updateLockfileArgs({ command: 'cargo update -p foo@1.3.2 --precise 1.2.0' }), undefined);
});
