/**
 * Keeps one analysis per Cargo workspace the editor shows, recomputes it when a Cargo.toml, Cargo.lock or ignore file
 * changes (on disk or in an editor buffer), and publishes its diagnostics for every manifest and lockfile of the
 * workspace, so the Problems panel lists them even for files that are not open.
 * Data loads run in the background with progress: the advisory database here, the facts each analysis lacks in
 * the session's facts service (`want`); analyses use what is loaded and re-run when the service says facts landed.
 * Cancelling the fetching progress, or the "Stop Fetching" command, drops what is queued (`TrustSession.cancelFetching`); "Refresh Data" resumes it.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, dirname, sep } from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceAnalysis } from '../engine/analyze';
import type { Settings, StatusParams } from '../protocol';
import { StatusNotification } from '../protocol';
import type { Logger } from '../sources/log';
import { discoverWorkspaces } from '../sources/workspace/discoverWorkspaces';
import { findWorkspaceRoot } from '../sources/workspace/readWorkspace';
import type { TrustSession } from '../trustSession';
import { toDiagnostic } from './convert';
import { ParseHoldBack, realSchedule, typingPauseMs as typingPauseDefaultMs, type Schedule } from './parseHoldBack';
import { progressPeriods, withProgress } from './progress';
import { diagnosticsToPublish, type Publication } from './publishedDiagnostics';
import { statusSources } from './statusSources';

interface RootState {
	analysis: WorkspaceAnalysis | undefined;
	/** What we published for each file that has diagnostics: cleared when a finding goes away, counted in the status. */
	published: Map<string, Publication>;
	/** The documents of the last publish, by file, reused while a file's text is the same. */
	documents: Map<string, TextDocument>;
	running: Promise<WorkspaceAnalysis> | undefined;
	/** Set when a change arrives during a run: the run is repeated once it finishes. */
	dirty: boolean;
	/** Cancels the pending debounced run. */
	timer: (() => void) | undefined;
	/** The root's own resource-scoped settings (pulled with its `scopeUri`); undefined until pulled again. */
	settings: Settings | undefined;
}

export interface TrackerOptions {
	/** The settings of one workspace root (`workspace/configuration` with the root as `scopeUri`). */
	settingsFor: (root: string) => Promise<Settings>;
	/** Timers for debouncing and holding back parse problems: tests inject a manual clock. */
	schedule?: Schedule;
	typingPauseMs?: number;
	/** The client reports every change to Cargo files in the folders: their texts are kept and only changed ones re-read. */
	keepDiskTexts?: boolean;
}

/** Coalesces bursts of edits (typing) into one analysis. */
const debounceMs = 150;
const cargoFiles = new Set(['Cargo.toml', 'Cargo.lock']);
const ignoreFiles = new Set(['audit.toml', 'deny.toml', '.deny.toml']);

export class WorkspaceTracker {
	private readonly roots = new Map<string, RootState>();
	private loadingData = 0;
	private disposed = false;
	/** The facts service's last progress said work is queued or running: the status offers "Stop Fetching". */
	private fetching = false;
	/** Until an analysis with advisory data (loaded, or known to be unavailable) is published, counts mean nothing. */
	private dataPublished = false;
	private readonly holdBack: ParseHoldBack;
	private readonly scheduleTimer: Schedule;
	/** The editor's workspace folders: every Cargo workspace inside one is tracked. */
	private folders: string[] = [];
	private receivedCount = 0;
	private statusQueued = false;
	/** Texts read from disk for files inside the folders, until a watched-file event says they changed. */
	private readonly diskTexts = new Map<string, string>();
	/** Notifications whose handling has not reached a schedule yet (a root being looked up, settings being pulled). */
	private handling = 0;
	private readonly subscriptions: { dispose(): void }[];

	constructor(
		private readonly connection: Connection,
		private readonly documents: TextDocuments<TextDocument>,
		private readonly session: TrustSession,
		private readonly log: Logger,
		private readonly options: TrackerOptions,
	) {
		this.scheduleTimer = options.schedule ?? realSchedule;
		this.holdBack = new ParseHoldBack((file) => this.republish(file), this.scheduleTimer, options.typingPauseMs ?? typingPauseDefaultMs);
		const progress = progressPeriods(connection, 'Cargo Trust: fetching registry data and counting unsafe code', () => this.cancelFetching());
		this.subscriptions = [
			// Coalesced by the session (at most every 250 ms), then debounced per root like any change.
			session.onFactsLanded((roots) => {
				for (const root of roots) if (this.roots.has(root)) this.schedule(root);
				this.reportStatus();
			}),
			session.onProgress((state) => {
				this.fetching = state.active;
				if (!this.disposed) progress(state);
				this.reportStatus();
			}),
		];
	}

	/** Counts a notification from the client; the status says how many were received, so tests wait for theirs. */
	received(): void {
		this.receivedCount++;
	}

	/** Runs the handling of a notification; until it is done, no status says quiescent. */
	async whileHandling(work: () => Promise<void>): Promise<void> {
		this.handling++;
		try {
			await work();
		} catch (error) {
			this.log.error(`Handling a notification failed: ${(error as Error).stack ?? String(error)}`);
		} finally {
			this.handling--;
			this.reportStatus();
		}
	}

	/** Tracks the workspaces of the editor's folders and starts loading data in the background. */
	async start(folders: readonly string[]): Promise<void> {
		this.reportStatus();
		void this.loadData();
		await this.foldersChanged(folders, []);
	}

	/** `workspace/didChangeWorkspaceFolders`: workspaces of added folders are found; those of removed ones dropped. */
	async foldersChanged(added: readonly string[], removed: readonly string[]): Promise<void> {
		this.folders = [...this.folders.filter((folder) => !removed.includes(folder)), ...added.filter((folder) => !this.folders.includes(folder))];
		for (const root of [...this.roots.keys()]) if (!this.isKept(root)) this.dropRoot(root);
		for (const folder of added) for (const root of await discoverWorkspaces(folder, this.overlay)) this.schedule(root);
	}

	/** Settings changed: window-scoped ones go to the session, and every root pulls its own again. */
	async updateSettings(settings: Settings): Promise<void> {
		const replaced = this.session.updateSettings(settings);
		if (replaced) void this.loadData();
		for (const state of this.roots.values()) state.settings = undefined;
		this.scheduleAll();
	}

	/** A closed file's workspace stays only while it is inside a folder or another of its files is open. */
	documentClosed(uri: string): void {
		if (!uri.startsWith('file:')) return;
		const path = fileURLToPath(uri);
		this.holdBack.settled(path);
		const root = this.knownRootOf(path);
		if (root !== undefined && !this.isKept(root)) this.dropRoot(root);
		else void this.whileHandling(() => this.fileChanged(path));
	}

	/** "Refresh Data": cargo's configuration and files read again, the advisory database fetched again and every fact revalidated (or fetched after a cancel), now. */
	async refreshData(): Promise<void> {
		this.diskTexts.clear();
		await this.loadData('Cargo Trust: refreshing advisories and registry data', () => this.session.refreshAll());
	}

	/** The fetching progress's cancel, or "Stop Fetching" (VS Code shows the progress without a cancel button). */
	cancelFetching(): void {
		// The roots are analysed again when the cancel lands, showing what was not fetched as unknown.
		if (!this.disposed) this.session.cancelFetching();
		this.reportStatus();
	}

	documentChanged(uri: string): void {
		if (!uri.startsWith('file:')) return;
		void this.whileHandling(() => this.fileChanged(fileURLToPath(uri)));
	}

	/** Every `didChange`, with the text before and after it: the lines being typed hold back their parse problems. */
	documentEdited(uri: string, before: string, after: string): void {
		if (uri.startsWith('file:')) this.holdBack.edited(fileURLToPath(uri), before, after);
	}

	/** Saved or closed: the user is done with the lines they were typing, so their parse problems are shown. */
	documentSettled(uri: string): void {
		if (uri.startsWith('file:')) this.holdBack.settled(fileURLToPath(uri));
	}

	filesChanged(paths: readonly string[]): void {
		for (const path of paths) void this.whileHandling(() => this.fileChanged(path));
	}

	/** The current analysis of the workspace holding `path`, recomputed first if an open buffer is ahead of it. */
	async analysisFor(path: string): Promise<WorkspaceAnalysis | undefined> {
		const root = this.knownRootOf(path) ?? (await findWorkspaceRoot(path, this.overlay));
		if (!root) return undefined;
		const state = this.roots.get(root);
		const open = this.overlay(path);
		if (state?.analysis && !state.running && !state.timer && (open === undefined || state.analysis.texts.get(path) === open)) return state.analysis;
		return this.run(root);
	}

	/** A hover on a package whose publisher is not known yet asks for it first; the card updates on the next hover. */
	requestPublisher(analysis: WorkspaceAnalysis, lockIndex: number): void {
		if (this.roots.has(analysis.root)) this.session.want(analysis, { open: this.openFiles(analysis), hovered: lockIndex });
	}

	/** Checks whether a package's recorded commit is on a branch or tag (asked from the hover), then re-analyses. */
	async checkCommitReachable(analysis: WorkspaceAnalysis, lockIndex: number, signal: AbortSignal): Promise<void> {
		await this.session.checkCommitsReachable(analysis, [lockIndex], signal);
		this.schedule(analysis.root);
	}

	dispose(): void {
		this.disposed = true;
		this.holdBack.dispose();
		for (const state of this.roots.values()) state.timer?.();
		for (const subscription of this.subscriptions) subscription.dispose();
		void this.session.dispose();
	}

	/** The paths of the open documents this analysis read: their direct dependencies are fetched first. */
	private openFiles(analysis: WorkspaceAnalysis): string[] {
		return this.documents.all().flatMap((document) => {
			if (!document.uri.startsWith('file:')) return [];
			const path = fileURLToPath(document.uri);
			return analysis.texts.has(path) ? [path] : [];
		});
	}

	readonly overlay = (path: string): string | undefined => this.documents.get(pathToFileURL(path).href)?.getText();

	/** Open buffers, then the disk texts kept from earlier analyses. */
	private readonly analysisOverlay = (path: string): string | undefined => this.overlay(path) ?? this.diskTexts.get(path);

	/** Keeps what this analysis read from disk inside the folders, except files that did not decode cleanly (their problem must be found again). */
	private keepDiskTexts(analysis: WorkspaceAnalysis): void {
		if (!this.options.keepDiskTexts) return;
		const badlyEncoded = new Set(analysis.findings.filter((finding) => finding.code === 'encoding').map((finding) => finding.file));
		for (const [path, text] of analysis.texts) {
			if (badlyEncoded.has(path) || this.overlay(path) !== undefined || !this.inFolder(path)) continue;
			this.diskTexts.set(path, text);
		}
	}

	private inFolder(path: string): boolean {
		return this.folders.some((folder) => path.startsWith(folder.endsWith(sep) ? folder : folder + sep));
	}

	/** Inside a workspace folder, or one of its files is open. */
	private isKept(root: string): boolean {
		if (this.folders.includes(root) || this.inFolder(root)) return true;
		const texts = this.roots.get(root)?.analysis?.texts;
		return this.documents.all().some((document) => {
			if (!document.uri.startsWith('file:')) return false;
			const path = fileURLToPath(document.uri);
			return texts ? texts.has(path) : dirname(path) === root;
		});
	}

	/** Stops tracking a workspace: its diagnostics are cleared and the session forgets it. */
	private dropRoot(root: string): void {
		const state = this.roots.get(root);
		if (!state) return;
		state.timer?.();
		this.roots.delete(root);
		for (const file of state.analysis?.texts.keys() ?? []) this.diskTexts.delete(file);
		for (const file of state.published.keys()) void this.connection.sendDiagnostics({ uri: pathToFileURL(file).href, diagnostics: [] });
		this.session.closeRoot(root);
		this.reportStatus();
	}

	private async fileChanged(path: string): Promise<void> {
		this.diskTexts.delete(path);
		const name = basename(path);
		// cargo-vet's supply-chain files change what is audited: analyse again.
		if (ignoreFiles.has(name) || basename(dirname(path)) === 'supply-chain') return this.scheduleAll();
		if (name === 'config.toml' || name === 'config' || name === 'credentials.toml' || name === 'credentials') {
			// Cargo's configuration decides registries, proxies and publish ages: read it again.
			this.session.forgetRoots();
			return this.scheduleAll();
		}
		if (!cargoFiles.has(name)) return;
		const known = this.knownRootOf(path);
		const root = known ?? (await findWorkspaceRoot(path, this.overlay));
		if (root) this.schedule(root);
		// A manifest no workspace read before (a new one, or one that left a workspace) may take members from others.
		if (name === 'Cargo.toml' && known === undefined) this.scheduleOthers(root);
	}

	/** Other tracked roots re-check which members they have. */
	private scheduleOthers(root: string | undefined): void {
		for (const other of this.roots.keys()) if (other !== root) this.schedule(other);
	}

	/** The tracked workspace whose last analysis read `path`. */
	rootOf(path: string): string | undefined {
		return this.knownRootOf(path);
	}

	private knownRootOf(path: string): string | undefined {
		for (const [root, state] of this.roots) if (state.analysis?.texts.has(path)) return root;
		return undefined;
	}

	private scheduleAll(): void {
		for (const root of this.roots.keys()) this.schedule(root);
	}

	private schedule(root: string): void {
		const state = this.stateOf(root);
		state.timer?.();
		state.timer = this.scheduleTimer(debounceMs, () => {
			state.timer = undefined;
			void this.run(root);
		});
		this.reportStatus();
	}

	private stateOf(root: string): RootState {
		let state = this.roots.get(root);
		if (!state) {
			state = { analysis: undefined, published: new Map(), documents: new Map(), running: undefined, dirty: false, timer: undefined, settings: undefined };
			this.roots.set(root, state);
		}
		return state;
	}

	private run(root: string): Promise<WorkspaceAnalysis> {
		const state = this.stateOf(root);
		state.timer?.();
		state.timer = undefined;
		if (state.running) {
			state.dirty = true;
			return state.running.then(() => this.run(root));
		}
		// Whether this analysis sees the advisory database as it will be, not as "still loading".
		const withData = this.loadingData === 0 || this.session.advisoryDb.currentStatus().status === 'known';
		state.running = this.rootSettings(root, state)
			.then((settings) => this.session.analyze(root, this.analysisOverlay, settings))
			.then((analysis) => {
				this.keepDiskTexts(analysis);
				// A root whose members or excludes changed may have taken members from other roots, or given some back.
				if (state.analysis && membership(state.analysis) !== membership(analysis)) this.scheduleOthers(root);
				state.analysis = analysis;
				// Dropped while it ran (its folder removed, its last file closed): nothing is published for it.
				if (this.roots.get(root) !== state) return analysis;
				this.publish(state, analysis);
				if (withData) this.dataPublished = true;
				// Never waits: what the analysis lacks lands through `onFactsLanded`.
				if (!this.disposed) this.session.want(analysis, { open: this.openFiles(analysis) });
				return analysis;
			})
			.finally(() => {
				state.running = undefined;
				if (state.dirty) {
					state.dirty = false;
					this.schedule(root);
				}
				this.reportStatus();
			});
		return state.running;
	}

	private async rootSettings(root: string, state: RootState): Promise<Settings> {
		state.settings ??= await this.options.settingsFor(root);
		return state.settings;
	}

	private publish(state: RootState, analysis: WorkspaceAnalysis): void {
		if (this.disposed) return;
		const byFile = new Map<string, typeof analysis.findings>();
		for (const file of analysis.texts.keys()) byFile.set(file, []);
		for (const finding of analysis.findings) byFile.get(finding.file)?.push(finding);
		for (const file of state.published.keys()) if (!byFile.has(file)) byFile.set(file, []);
		const published = new Map<string, Publication>();
		const documents = new Map<string, TextDocument>();
		for (const [file, findings] of byFile) {
			// The document of the last publish while its text is the same: its URI and line offsets are not computed again.
			const last = state.documents.get(file);
			const uri = last?.uri ?? pathToFileURL(file).href;
			const text = analysis.texts.get(file) ?? '';
			const document = last?.getText() === text ? last : TextDocument.create(uri, 'toml', 0, text);
			documents.set(file, document);
			const fresh = findings.map((finding) => toDiagnostic(document, finding, analysis.texts));
			const previous = state.published.get(file);
			const diagnostics = diagnosticsToPublish(previous, text, fresh, (line) => this.holdBack.isHeld(file, line));
			// Only what changed is sent: a keystroke in one manifest must not resend a hundred files' diagnostics.
			if (!sameDiagnostics(previous?.diagnostics ?? [], diagnostics)) void this.connection.sendDiagnostics({ uri, diagnostics });
			if (diagnostics.length) published.set(file, { text, diagnostics });
		}
		state.published = published;
		state.documents = documents;
	}

	/** Held lines of `file` were released: publish its workspace's diagnostics again, now with them. */
	private republish(file: string): void {
		const root = this.knownRootOf(file);
		const state = root === undefined ? undefined : this.roots.get(root);
		if (!state?.analysis) return;
		this.publish(state, state.analysis);
		this.reportStatus();
	}

	private async loadData(title = 'Cargo Trust: loading the RustSec advisory database', load = () => this.session.advisoryDb.load(() => this.scheduleAll())): Promise<void> {
		this.loadingData++;
		this.reportStatus();
		try {
			await withProgress(this.connection, title, load);
		} catch (error) {
			this.log.error(`Loading the advisory database failed: ${(error as Error).stack ?? String(error)}`);
		} finally {
			this.loadingData--;
			this.scheduleAll();
		}
	}

	/** Coalesced: a burst of changes in one turn sends one status, computed from the state at the end of it. */
	private reportStatus(): void {
		if (this.statusQueued) return;
		this.statusQueued = true;
		queueMicrotask(() => {
			this.statusQueued = false;
			this.sendStatus();
		});
	}

	private sendStatus(): void {
		if (this.disposed) return;
		const counts = { error: 0, warning: 0, information: 0 };
		// Facts queued or running for any root (or landed and not yet analysed): not quiescent.
		let pending = this.loadingData > 0 || this.handling > 0 || this.session.busy();
		for (const state of this.roots.values()) {
			if (state.running || state.timer || !state.analysis) pending = true;
			// Counted from what was sent, after any hold-back, so the status bar and the Problems panel agree.
			for (const { diagnostics } of state.published.values()) for (const diagnostic of diagnostics) {
				const severity = severityName(diagnostic.severity);
				if (severity !== 'hint') counts[severity]++;
			}
		}
		const db = this.session.advisoryDb.currentStatus();
		const loading = !this.dataPublished;
		const health: StatusParams['health'] = loading || (db.status === 'known' && !db.stale) ? 'ok' : 'warning';
		const message = this.loadingData > 0
			? 'Loading the RustSec advisory database…'
			: db.status === 'known'
				? `Advisories from ${db.path}${db.stale ? ' (stale: not updated for more than 90 days)' : ''}`
				: `Advisory data unavailable: ${db.reason}`;
		const roots = [...this.roots].map(([root, state]) => ({ root, registries: this.session.registryStatuses(root), packages: state.analysis?.packages.length, fetching: this.session.busy(root) }));
		const sources = statusSources(db, this.loadingData > 0, roots, this.session.offline);
		const params: StatusParams = { health, quiescent: !pending, fetching: this.fetching, counts, message, loading, sources, received: this.receivedCount };
		void this.connection.sendNotification(StatusNotification, params);
	}
}

/** Hints are not counted: the Problems panel does not list them either. */
function severityName(severity: DiagnosticSeverity | undefined): 'error' | 'warning' | 'information' | 'hint' {
	return severity === DiagnosticSeverity.Error ? 'error' : severity === DiagnosticSeverity.Warning ? 'warning' : severity === DiagnosticSeverity.Information ? 'information' : 'hint';
}

function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
	return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/** What decides which manifests belong to a workspace: the root's members, excludes and the files read. */
function membership(analysis: WorkspaceAnalysis): string {
	const workspace = analysis.manifests[0]?.manifest.workspace;
	return JSON.stringify([workspace?.members, workspace?.exclude, analysis.manifests.map((m) => m.path)]);
}
