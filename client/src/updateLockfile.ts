/**
 * "Update Cargo.lock", run after a pin/upgrade fix is applied (or as the fix itself for a transitive package):
 * opens a terminal in the workspace root with `cargo update -p NAME@LOCKED --precise X.Y.Z` typed and not run.
 * We never run cargo ourselves (it runs build scripts' neighbours: the user decides). The arguments come through a
 * code action, so the text is checked again here: only that command, with plain names and versions, is ever typed.
 */
import type * as vscode from 'vscode';
import type { UpdateLockfileArgs } from '../../server/src/protocol';

const COMMAND = /^cargo update -p [A-Za-z0-9_-]{1,64}@[0-9A-Za-z.+-]{1,128} --precise [0-9A-Za-z.+-]{1,128}$/;

/** The command to type and where, or undefined when the arguments are not exactly a safe `cargo update --precise`. */
export function updateLockfileArgs(args: unknown): UpdateLockfileArgs | undefined {
	const candidate = args as Partial<UpdateLockfileArgs> | undefined;
	if (typeof candidate?.command !== 'string' || typeof candidate.cwd !== 'string' || !COMMAND.test(candidate.command) || candidate.cwd.length === 0) return undefined;
	return { command: candidate.command, cwd: candidate.cwd };
}

/** `api` is the `vscode` module (passed in, so this file stays loadable by unit tests). */
export function updateLockfile(api: typeof vscode, args: unknown): void {
	const checked = updateLockfileArgs(args);
	if (!checked) {
		void api.window.showWarningMessage('Cargo Trust: not a cargo update command; nothing was typed.');
		return;
	}
	const terminal = api.window.createTerminal({ name: 'Cargo Trust', cwd: checked.cwd });
	terminal.show();
	// Typed, not run: no newline.
	terminal.sendText(checked.command, false);
}
