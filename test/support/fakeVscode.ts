/**
 * The slice of the `vscode` API the client uses, recording what it creates, for tests of the client's own
 * bookkeeping (what it creates and disposes of). Bundled in place of `vscode` for `test/clientHost/` only
 * (esbuild.mjs); the client's behaviour in a real editor is tested in `test/e2e/`.
 */
export class FakeDisposable {
	disposed = false;
	dispose(): void {
		this.disposed = true;
	}
}

export interface FakeQuickPickItem {
	label: string;
	kind?: number;
}

export const fakeState = {
	watchers: [] as FakeDisposable[],
	commands: new Map<string, (...args: unknown[]) => unknown>(),
	/** Context keys set with the `setContext` command. */
	contexts: new Map<string, unknown>(),
	/** What `showQuickPick` answers (the user's pick); by default the pick is dismissed. */
	quickPick: (_items: readonly FakeQuickPickItem[]): FakeQuickPickItem | undefined => undefined,
};

const disposable = (): FakeDisposable => new FakeDisposable();
const channel = { debug() {}, info() {}, warn() {}, error() {}, trace() {}, appendLine() {}, show() {}, dispose() {} };

export const workspace = {
	isTrusted: true,
	createFileSystemWatcher(): FakeDisposable {
		const watcher = Object.assign(new FakeDisposable(), { onDidCreate: disposable, onDidChange: disposable, onDidDelete: disposable });
		fakeState.watchers.push(watcher);
		return watcher;
	},
	getConfiguration: () => ({ get: () => undefined }),
	onDidGrantWorkspaceTrust: disposable,
	onDidChangeConfiguration: disposable,
	onDidChangeWorkspaceFolders: disposable,
	registerTextDocumentContentProvider: disposable,
	workspaceFolders: [],
};

export const window = {
	createOutputChannel: () => channel,
	createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
	showErrorMessage: () => Promise.resolve(undefined),
	showWarningMessage: () => Promise.resolve(undefined),
	showInformationMessage: () => Promise.resolve(undefined),
	showQuickPick: (items: readonly FakeQuickPickItem[]) => Promise.resolve(fakeState.quickPick(items)),
};

export const languages = {
	getDiagnostics: () => [],
	registerCodeActionsProvider: disposable,
};

export const commands = {
	registerCommand(id: string, handler: (...args: unknown[]) => unknown): FakeDisposable {
		fakeState.commands.set(id, handler);
		return disposable();
	},
	executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
		if (id === 'setContext') fakeState.contexts.set(args[0] as string, args[1]);
		return Promise.resolve(fakeState.commands.get(id)?.(...args));
	},
};

export class RelativePattern {
	constructor(
		readonly base: unknown,
		readonly pattern: string,
	) {}
}
export const Uri = { file: (fsPath: string) => ({ fsPath, scheme: 'file' }) };
export class MarkdownString {
	value = '';
	appendText(text: string): this {
		this.value += text;
		return this;
	}
	appendMarkdown(text: string): this {
		this.value += text;
		return this;
	}
}
export class ThemeColor {
	constructor(readonly id: string) {}
}
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const QuickPickItemKind = { Separator: -1, Default: 0 };
