/**
 * Code actions, answered from `Diagnostic.data` (the facts each finding was computed from) without analysing again.
 * `textDocument/codeAction` offers titles only; `codeAction/resolve` computes the edit when the user picks one.
 * Each provider registers its actions in `providers` below (the pin and upgrade quick fixes in `pinActions.ts`, ignoring an
 * advisory, the provenance diff in `provenanceActions.ts`).
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FindingData, IssueData } from '../engine/findings';
import { readText, type Overlay } from '../sources/workspace/readWorkspace';
import { auditIgnoreInsertion } from './auditIgnoreEdit';
import { pinActions } from './pinActions';
import { provenanceDiff } from './provenanceActions';

/** What a provider needs besides the diagnostic: the workspace it belongs to and how files are read. */
export interface ActionContext {
	/** The workspace root holding the file, when it is tracked. */
	root: string | undefined;
	/** Open editor buffers win over the disk. */
	overlay: Overlay;
	/** The client can create files in a WorkspaceEdit (`resourceOperations` includes `create`). */
	canCreateFiles: boolean;
}

/** When offering: also the document the actions are asked for. */
export type OfferContext = ActionContext & { file: string };

/** Travels in `CodeAction.data` from the offer to the resolve: everything resolve needs, nothing recomputed. */
interface ActionData {
	provider: string;
	args: Record<string, string>;
}

/** An action as a provider offers it: without its edit; a command-only action carries its command already. */
export interface ActionOffer {
	title: string;
	kind: string;
	args: Record<string, string>;
	isPreferred?: boolean;
	command?: Command;
}

export interface ActionProvider {
	/** Names the provider in `CodeAction.data`, so resolve finds it again. */
	name: string;
	signals: readonly IssueData['signal'][];
	/** Shows something without changing the workspace: offered after every fix, whatever order the diagnostics come in. */
	viewOnly?: boolean;
	/** The actions for one diagnostic, without edits. */
	offer(data: FindingData, diagnostic: Diagnostic, context: OfferContext): ActionOffer[];
	/** The edit (and a command to run after it) for an offered action; undefined when it can no longer be made (the file changed meanwhile). */
	resolve(args: Record<string, string>, context: ActionContext): Promise<{ edit?: WorkspaceEdit; command?: Command } | undefined>;
}

/** A plain advisory id, safe to write into TOML and a title (the id comes from the advisory database, which we do not trust). */
const advisoryId = /^[A-Za-z]+-[A-Za-z0-9-]{1,40}$/;

const ignoreAdvisory: ActionProvider = {
	name: 'advisory',
	signals: ['advisory'],
	offer(data, _diagnostic, { root }) {
		// The data made a round trip through the client: a diagnostic without the advisory offers nothing.
		if (data.signal !== 'advisory' || !root || typeof data.advisory?.id !== 'string' || !advisoryId.test(data.advisory.id)) return [];
		const file = join(root, '.cargo', 'audit.toml');
		return [{ title: `Ignore ${data.advisory.id} in .cargo/audit.toml`, kind: CodeActionKind.QuickFix, args: { id: data.advisory.id, file } }];
	},
	async resolve({ id, file }, { overlay, canCreateFiles }) {
		// Both come back from the client: only ever edit an audit.toml, whatever the data says.
		if (!id || !file || !advisoryId.test(id) || basename(file) !== 'audit.toml' || basename(dirname(file)) !== '.cargo') return undefined;
		const existing = await readText(file, overlay);
		const uri = pathToFileURL(file).href;
		const insertion = auditIgnoreInsertion(existing?.text ?? '', id);
		if (!insertion) return undefined;
		const document = TextDocument.create(uri, 'toml', 0, existing?.text ?? '');
		const position = document.positionAt(insertion.offset);
		const edit = { textDocument: { uri, version: null }, edits: [{ range: { start: position, end: position }, newText: insertion.text }] };
		if (existing) return { edit: { documentChanges: [edit] } };
		return canCreateFiles ? { edit: { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }, edit] } } : undefined;
	},
};

/** In the order offered: the pin and upgrade fixes before ignoring an advisory; views after both. */
const providers: readonly ActionProvider[] = [pinActions, ignoreAdvisory, provenanceDiff];

/** Our diagnostics in the request's context that carry finding data. */
function findingData(diagnostic: Diagnostic): FindingData | undefined {
	const data = diagnostic.data as Partial<FindingData> | undefined;
	return diagnostic.source === 'cargo-trust' && data && typeof data.signal === 'string' && typeof data.package === 'string' ? (data as FindingData) : undefined;
}

export function offerCodeActions(params: CodeActionParams, context: ActionContext): CodeAction[] {
	if (!params.textDocument.uri.startsWith('file:')) return [];
	const offerContext: OfferContext = { ...context, file: fileURLToPath(params.textDocument.uri) };
	const fixes: CodeAction[] = [];
	const views: CodeAction[] = [];
	const seen = new Set<string>();
	for (const diagnostic of params.context.diagnostics) {
		const data = findingData(diagnostic);
		if (!data) continue;
		for (const provider of providers) {
			if (!provider.signals.includes(data.signal)) continue;
			for (const offer of provider.offer(data, diagnostic, offerContext)) {
				// One action per distinct edit, however many rows (an advisory's, a package's several findings) the range covers.
				const key = `${provider.name}:${JSON.stringify(offer.args)}`;
				if (seen.has(key)) continue;
				seen.add(key);
				const actionData: ActionData = { provider: provider.name, args: offer.args };
				(provider.viewOnly ? views : fixes).push({ title: offer.title, kind: offer.kind, diagnostics: [diagnostic], ...(offer.isPreferred ? { isPreferred: true } : {}), ...(offer.command ? { command: offer.command } : {}), data: actionData });
			}
		}
	}
	return [...fixes, ...views];
}

export async function resolveCodeAction(action: CodeAction, context: Omit<ActionContext, 'root'>): Promise<CodeAction> {
	const data = action.data as Partial<ActionData> | undefined;
	const provider = providers.find((candidate) => candidate.name === data?.provider);
	if (!provider || !data?.args || typeof data.args !== 'object') return action;
	const args = Object.fromEntries(Object.entries(data.args).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
	const resolved = await provider.resolve(args, { ...context, root: undefined });
	return resolved?.edit ? { ...action, edit: resolved.edit, ...(resolved.command ? { command: resolved.command } : {}) } : action;
}
