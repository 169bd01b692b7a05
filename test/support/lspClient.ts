/**
 * A real LSP client for tests: spawns the shipped `dist/server.js --stdio` and talks JSON-RPC to it with
 * vscode-languageserver-protocol, the same library VS Code's client uses. Waits are event-driven (diagnostics,
 * `cargoTrust/status` with quiescent: true), each with a timeout that fails with what was last seen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
	ConfigurationRequest,
	WorkDoneProgressCreateRequest,
	PublishDiagnosticsNotification,
	type Diagnostic,
	type InitializeResult,
	type Hover,
	type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { serverProcess, StatusNotification, type StatusParams } from '../../server/src/protocol';
import { exampleAdvisoryDb, repoRoot } from './paths';
import type { TempWorkspace } from './tempWorkspace';

export interface StartOptions {
	env?: Record<string, string>;
	initializationOptions?: Record<string, unknown>;
	/** What the client answers to `workspace/configuration` for `cargoTrust`. */
	settings?: Record<string, unknown>;
	/** `cli` starts `dist/cli.js lsp --stdio`, as other editors do; the default is the extension's `dist/server.js --stdio`. */
	entry?: 'server' | 'cli';
	/** Another build of `dist/server.js` (the benchmarks measure the minified one the `.vsix` ships). */
	serverBundle?: string;
}

export class LspTestClient {
	readonly diagnostics = new Map<string, Diagnostic[]>();
	/** The URI of every publishDiagnostics, in order: tests check that unchanged files are not sent again. */
	readonly publications: string[] = [];
	lastStatus: StatusParams | undefined;
	/** Every status in order, with the diagnostics the client held when it arrived. */
	readonly statuses: { status: StatusParams; diagnostics: Map<string, Diagnostic[]> }[] = [];
	readonly progressTitles: string[] = [];
	/** Every `$/progress` notification, in order, with its token. */
	readonly progress: { token: string | number; kind: string; title?: string; message?: string; cancellable?: boolean }[] = [];
	/** Every `window/logMessage` the server sent. */
	readonly logs: string[] = [];
	stderr = '';
	/** Per-scope answers to `workspace/configuration` (a folder's own settings); `settings` otherwise. */
	settingsForScope: ((scopeUri: string | undefined) => Record<string, unknown>) | undefined;
	private readonly listeners = new Set<() => void>();
	private versions = new Map<string, number>();
	/** Notifications sent that the server counts in `StatusParams.received` (initialized, documents, files, folders, configuration). */
	private sent = 0;

	constructor(
		readonly connection: ProtocolConnection,
		/** The server's process; undefined for a server running in this process (`inProcessServer.ts`). */
		readonly process: ChildProcess | undefined,
		public settings: Record<string, unknown>,
	) {
		connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
			this.diagnostics.set(params.uri, params.diagnostics);
			this.publications.push(params.uri);
			this.wakeWaiters();
		});
		connection.onNotification(StatusNotification, (params: StatusParams) => {
			this.lastStatus = params;
			this.statuses.push({ status: params, diagnostics: new Map(this.diagnostics) });
			this.wakeWaiters();
		});
		connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => this.settingsForScope?.(item.scopeUri) ?? this.settings));
		connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
		connection.onNotification('$/progress', (params: { token: string | number; value?: { kind?: string; title?: string; message?: string; cancellable?: boolean } }) => {
			if (params.value?.kind === 'begin' && params.value.title) this.progressTitles.push(params.value.title);
			if (params.value?.kind)
				this.progress.push({
					token: params.token,
					kind: params.value.kind,
					...(params.value.title ? { title: params.value.title } : {}),
					...(params.value.message ? { message: params.value.message } : {}),
					...(params.value.cancellable !== undefined ? { cancellable: params.value.cancellable } : {}),
				});
			this.wakeWaiters();
		});
		connection.onRequest('client/registerCapability', () => null);
		connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
	}

	/** Returns the server's `InitializeResult` (its capabilities). */
	async initialize(folder: string | readonly string[], initializationOptions: Record<string, unknown> = {}): Promise<InitializeResult> {
		const folders = typeof folder === 'string' ? [folder] : folder;
		const result = await this.connection.sendRequest<InitializeResult>('initialize', {
			// In-process, no parent to watch: the server would poll it every 3 s and keep this process alive.
			processId: this.process ? process.pid : null,
			rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
			workspaceFolders: folders.map((path, i) => ({ uri: pathToFileURL(path).href, name: `folder${i}` })),
			capabilities: {
				workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, workspaceFolders: true },
				window: { workDoneProgress: true },
				textDocument: { hover: { contentFormat: ['markdown'] }, codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } },
			},
			initializationOptions,
		});
		this.sent++;
		await this.connection.sendNotification('initialized', {});
		return result;
	}

	open(path: string, text = readFileSync(path, 'utf8')): void {
		this.versions.set(path, 1);
		this.sent++;
		void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(path), languageId: 'toml', version: 1, text } });
	}

	change(path: string, text: string): void {
		const version = (this.versions.get(path) ?? 1) + 1;
		this.versions.set(path, version);
		this.sent++;
		void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: [{ text }] });
	}

	/** A notification the server counts (a raw didChange, a malformed didChangeWatchedFiles), sent as is. */
	notify(method: string, params: unknown): void {
		this.sent++;
		void this.connection.sendNotification(method, params);
	}

	close(path: string): void {
		this.sent++;
		void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(path) } });
	}

	/** Sets what `workspace/configuration` answers (per scope when `forScope` is given) and tells the server. */
	changeSettings(settings: Record<string, unknown>, forScope?: (scopeUri: string | undefined) => Record<string, unknown>): void {
		this.settings = settings;
		this.settingsForScope = forScope;
		this.sent++;
		void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
	}

	foldersChanged(added: string[], removed: string[]): void {
		this.sent++;
		const folders = (paths: string[]) => paths.map((path) => ({ uri: uri(path), name: path }));
		void this.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: folders(added), removed: folders(removed) } });
	}

	filesChanged(paths: string[]): void {
		this.sent++;
		void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: paths.map((path) => ({ uri: uri(path), type: 2 })) });
	}

	hover(path: string, offset: number): Promise<Hover | null> {
		const text = readFileSync(path, 'utf8');
		return this.hoverIn(path, text, offset);
	}

	/** Hover at an offset of the text the client has open (which may differ from the disk). */
	hoverIn(path: string, text: string, offset: number): Promise<Hover | null> {
		const before = text.slice(0, offset).split('\n');
		const position = { line: before.length - 1, character: before[before.length - 1]!.length };
		return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(path) }, position });
	}

	/** Waits until `predicate` holds, re-checking on every diagnostic, status or progress notification. */
	waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
		return new Promise((resolve, reject) => {
			const check = (): boolean => {
				const value = predicate();
				if (value === undefined || value === false) return false;
				cleanup();
				resolve(value);
				return true;
			};
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`Timed out waiting for ${what}. Last status: ${JSON.stringify(this.lastStatus)}; diagnostics: ${JSON.stringify([...this.diagnostics])}; stderr: ${this.stderr}`));
			}, timeoutMs);
			const cleanup = (): void => {
				clearTimeout(timer);
				this.listeners.delete(listener);
			};
			const listener = (): void => void check();
			this.listeners.add(listener);
			check();
		});
	}

	/** A quiescent status sent after the server received every notification this client sent, never an older one. */
	waitForQuiescent(): Promise<StatusParams> {
		const sent = this.sent;
		return this.waitFor(`a quiescent status after ${sent} notifications`, () => (this.lastStatus?.quiescent && this.lastStatus.received >= sent ? this.lastStatus : undefined));
	}

	waitForDiagnostics(path: string, predicate: (diagnostics: Diagnostic[]) => boolean, what = `diagnostics for ${path}`): Promise<Diagnostic[]> {
		return this.waitFor(what, () => {
			const diagnostics = this.diagnostics.get(uri(path));
			return diagnostics && predicate(diagnostics) ? diagnostics : undefined;
		});
	}

	/** Set by the in-process harness: closes the server's end (there is no process to exit). */
	closeInProcess: (() => void) | undefined;

	async shutdown(): Promise<number | null> {
		if (!this.process) {
			// `exit` would end this very process: shut down, then close both ends.
			await this.connection.sendRequest('shutdown');
			this.connection.dispose();
			this.closeInProcess?.();
			return 0;
		}
		const child = this.process;
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		await this.connection.sendRequest('shutdown');
		await this.connection.sendNotification('exit');
		const code = await exited;
		this.connection.dispose();
		return code;
	}

	private wakeWaiters(): void {
		for (const listener of [...this.listeners]) listener();
	}
}

export function uri(path: string): string {
	return pathToFileURL(path).href;
}

export function startServer(options: StartOptions = {}): LspTestClient {
	// The server bundle runs as the VS Code client starts it; `cargo-trust lsp` as another editor would.
	const args = options.entry === 'cli' ? [join(repoRoot, 'dist', 'cli.js'), 'lsp', '--stdio'] : [options.serverBundle ?? join(repoRoot, 'dist', 'server.js'), '--stdio'];
	const processEnv = options.entry === 'cli' ? {} : serverProcess.env;
	const child = spawn(process.execPath, args, {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...processEnv, ...options.env },
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
	const client = new LspTestClient(connection, child, options.settings ?? {});
	child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
	connection.listen();
	return client;
}

/**
 * The server most protocol tests start: offline, with the workspace's empty CARGO_HOME and an advisory database
 * on disk (the example one unless `advisoryDb` says otherwise).
 */
export function startOfflineServer(ws: TempWorkspace, options: { advisoryDb?: string; entry?: StartOptions['entry'] } = {}): LspTestClient {
	return startServer({ ...(options.entry ? { entry: options.entry } : {}), env: { CARGO_HOME: ws.cargoHome }, settings: { advisoryDb: { path: options.advisoryDb ?? exampleAdvisoryDb }, network: { offline: true } } });
}
