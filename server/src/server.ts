/**
 * Builds the language server on a connection: capabilities, documents, settings, and the handlers in lsp/.
 * Knows the protocol only through lsp/; the analysis itself is the engine's, run by a TrustSession.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, DidChangeConfigurationNotification, TextDocuments, TextDocumentSyncKind, type CodeAction, type CodeActionParams, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CheckCommitReachableRequest, ProvenanceDiffFilesRequest, ProvenanceFileRequest, ServerCommands, type CheckCommitReachableResult, type InitializationOptions, type ProvenanceDiffFilesResult, type ProvenanceFileParams, type ProvenanceFileResult, type ProvenancePackageArgs, type Settings } from './protocol';
import { checkCommitReachable, provenanceDiffFiles, provenanceFile, provenanceFileParams, provenancePackageParams } from './lsp/provenanceRequests';
import type { Schedule } from './lsp/parseHoldBack';
import type { Environment } from './sources/environment';
import { connectionLogger } from './lsp/logger';
import { codeActionParams, codeActionResolveParams, executeCommandParams, guard, textDocumentPositionParams } from './lsp/guard';
import { resolveSettings } from './lsp/settings';
import { WorkspaceTracker } from './lsp/workspaceTracker';
import { hoverHandler } from './lsp/hover';
import { offerCodeActions, resolveCodeAction } from './lsp/codeActions';
import { TrustSession } from './trustSession';

export interface ServerOptions {
	/** Timers for debouncing and holding back parse problems; the in-process test harness injects a manual clock. */
	schedule?: Schedule;
	/** False in-process (tests): the host process's own handlers stay in charge. */
	handleProcessErrors?: boolean;
}

export function startServer(connection: Connection, environment: Environment, serverOptions: ServerOptions = {}): void {
	const log = connectionLogger(connection);
	const documents = new TextDocuments({
		create: TextDocument.create,
		// The tracker learns which lines each change touched, to hold back parse problems on the line being typed.
		update: (document, changes, version) => {
			const before = document.getText();
			tracker?.received();
			const updated = TextDocument.update(document, changes, version);
			tracker?.documentEdited(document.uri, before, updated.getText());
			return updated;
		},
	});
	let tracker: WorkspaceTracker | undefined;
	let session: TrustSession | undefined;
	let hasConfigurationPull = false;
	let registerConfigurationChanges = false;
	let hasFolderChanges = false;
	let trusted = true;
	let canCreateFiles = false;
	let workspaceFolders: string[] = [];
	/** The last settings a client pushed (clients without `workspace/configuration`); every root uses them. */
	let pushedSettings: unknown;

	if (serverOptions.handleProcessErrors !== false) {
		process.on('uncaughtException', (error) => log.error(`Uncaught exception: ${error.stack ?? error.message}`));
		process.on('unhandledRejection', (reason) => log.error(`Unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
	}

	connection.onInitialize((params): InitializeResult => {
		const options = (params.initializationOptions ?? {}) as InitializationOptions;
		trusted = options.trusted !== false;
		hasConfigurationPull = params.capabilities.workspace?.configuration === true;
		// One source of configuration change notifications: our registration when the client allows it, else what it pushes.
		registerConfigurationChanges = hasConfigurationPull && params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
		hasFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
		canCreateFiles = params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true;
		workspaceFolders = folderPaths(params.workspaceFolders ?? []);
		if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [fileURLToPath(params.rootUri)];
		pushedSettings = options.settings;
		session = new TrustSession({ environment, log, settings: resolveSettings(options.settings, trusted, log), trusted, cacheDir: options.cacheDir, offline: false });
		const typingPauseMs = typeof options.typingPauseMs === 'number' && options.typingPauseMs >= 0 ? options.typingPauseMs : undefined;
		tracker = new WorkspaceTracker(connection, documents, session, log, {
			settingsFor: rootSettings,
			keepDiskTexts: options.watchesCargoFiles === true,
			...(serverOptions.schedule ? { schedule: serverOptions.schedule } : {}),
			...(typingPauseMs !== undefined ? { typingPauseMs } : {}),
		});
		if (!trusted) log.warn('Restricted mode: the workspace is not trusted, so settings that redirect paths or network traffic are ignored.');
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
				hoverProvider: true,
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
				executeCommandProvider: { commands: [ServerCommands.refreshData, ServerCommands.cancelFetching] },
				workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
			},
			serverInfo: { name: 'cargo-trust', version: session.toolVersion },
		};
	});

	connection.onInitialized(() => {
		tracker?.received();
		if (hasFolderChanges) {
			connection.workspace.onDidChangeWorkspaceFolders((event) => {
				tracker?.received();
				void tracker?.whileHandling(() => tracker!.foldersChanged(folderPaths(event.added), folderPaths(event.removed)));
			});
		}
		void tracker?.whileHandling(async () => {
			if (registerConfigurationChanges) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'cargoTrust' });
			await pullSettings();
			await tracker!.start(workspaceFolders);
		});
	});

	/** The settings of one root: pulled with the root as `scopeUri`, so a folder's own `.vscode/settings.json` applies. */
	async function rootSettings(root: string): Promise<Settings> {
		const raw: unknown = hasConfigurationPull ? await connection.workspace.getConfiguration({ section: 'cargoTrust', scopeUri: pathToFileURL(root).href }) : pushedSettings;
		return resolveSettings(raw, trusted, log);
	}

	/** Window-scoped settings (the advisory database, the network, cargo's home) for the whole session. */
	async function pullSettings(): Promise<void> {
		if (!hasConfigurationPull || !tracker) return;
		const raw: unknown = await connection.workspace.getConfiguration({ section: 'cargoTrust', ...(workspaceFolders[0] ? { scopeUri: pathToFileURL(workspaceFolders[0]).href } : {}) });
		await tracker.updateSettings(resolveSettings(raw, trusted, log));
	}

	connection.onDidChangeConfiguration((change) => {
		tracker?.received();
		void tracker?.whileHandling(async () => {
			if (hasConfigurationPull) await pullSettings();
			else if (tracker) {
				pushedSettings = (change.settings as { cargoTrust?: unknown } | undefined)?.cargoTrust;
				await tracker.updateSettings(resolveSettings(pushedSettings, trusted, log));
			}
		});
	});

	connection.onDidChangeWatchedFiles((params) => {
		// A notification cannot be answered with an error: malformed entries are logged and skipped.
		const changes: unknown[] = Array.isArray(params?.changes) ? params.changes : [];
		const paths = changes.flatMap((change) => {
			const uri = (change as { uri?: unknown } | null)?.uri;
			try {
				if (typeof uri === 'string' && uri.startsWith('file:')) return [fileURLToPath(uri)];
			} catch {
				// A file URL with a remote host: not a path we can read.
			}
			log.warn(`didChangeWatchedFiles: ignoring a change without a file URI: ${JSON.stringify(change)}`);
			return [];
		});
		tracker?.received();
		tracker?.filesChanged(paths);
	});
	documents.onDidOpen((event) => {
		tracker?.received();
		tracker?.documentChanged(event.document.uri);
	});
	documents.onDidChangeContent((event) => tracker?.documentChanged(event.document.uri));
	documents.onDidClose((event) => {
		tracker?.received();
		tracker?.documentClosed(event.document.uri);
	});
	documents.onDidSave((event) => tracker?.documentSettled(event.document.uri));

	connection.onHover(guard(log, 'hover', textDocumentPositionParams, null, (params) => (tracker ? hoverHandler(tracker, documents, params) : null)));
	connection.onCodeAction(
		guard(log, 'codeAction', codeActionParams, [], (params: CodeActionParams): CodeAction[] => {
			const path = params.textDocument.uri.startsWith('file:') ? fileURLToPath(params.textDocument.uri) : undefined;
			return tracker && path ? offerCodeActions(params, { root: tracker.rootOf(path), overlay: tracker.overlay, canCreateFiles }) : [];
		}),
	);
	// A failed resolve answers with the action as it came, without an edit.
	connection.onCodeActionResolve((action, token) =>
		guard(log, 'codeAction/resolve', codeActionResolveParams, action, (params: typeof action) => (tracker ? resolveCodeAction(params, { overlay: tracker.overlay, canCreateFiles }) : params))(action, token),
	);
	connection.onExecuteCommand(
		guard(log, 'executeCommand', executeCommandParams, null, async (params) => {
			if (params.command === ServerCommands.refreshData) await tracker?.refreshData();
			else if (params.command === ServerCommands.cancelFetching) tracker?.cancelFetching();
			return null;
		}),
	);
	connection.onRequest(
		ProvenanceDiffFilesRequest,
		guard(log, ProvenanceDiffFilesRequest, provenancePackageParams, { error: 'internal error' }, (params: ProvenancePackageArgs): Promise<ProvenanceDiffFilesResult> | ProvenanceDiffFilesResult => (tracker ? provenanceDiffFiles(tracker, params) : { error: 'not initialized' })),
	);
	connection.onRequest(
		ProvenanceFileRequest,
		guard(log, ProvenanceFileRequest, provenanceFileParams, { error: 'internal error' }, (params: ProvenanceFileParams, token): Promise<ProvenanceFileResult> | ProvenanceFileResult =>
			tracker && session ? provenanceFile(tracker, session, params, token) : { error: 'not initialized' },
		),
	);
	connection.onRequest(
		CheckCommitReachableRequest,
		guard(log, CheckCommitReachableRequest, provenancePackageParams, { error: 'internal error' }, (params: ProvenancePackageArgs, token): Promise<CheckCommitReachableResult> | CheckCommitReachableResult =>
			tracker ? checkCommitReachable(tracker, params, token) : { error: 'not initialized' },
		),
	);
	connection.onShutdown(() => tracker?.dispose());
	documents.listen(connection);
}

function folderPaths(folders: readonly { uri: string }[]): string[] {
	return folders.flatMap((folder) => (folder.uri.startsWith('file:') ? [fileURLToPath(folder.uri)] : []));
}
