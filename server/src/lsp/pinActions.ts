/**
 * The quick fixes the product is named for: "Upgrade to X.Y.Z (…)" and "Pin to X.Y.Z (…)" on every finding of a
 * package that fails the trust policy, from the fixes its `Diagnostic.data` carries (preferred first).
 * A package a manifest entry names gets the `=X.Y.Z` edit, computed in resolve against the texts as they are then
 * (open buffers win), plus "Update Cargo.lock" to run after it; a transitive package gets only the command.
 * The command is typed in a terminal by the client, never run by us.
 */
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type Command, type TextDocumentEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cargoUpdateCommand } from '../engine/fixes/cargoUpdateCommand';
import { pinEditsFromTexts } from '../engine/fixes/pinEditsFromTexts';
import type { FileEdit } from '../engine/fixes/requirementEdits';
import type { PackageFix } from '../engine/findings';
import { ClientCommands, type UpdateLockfileArgs } from '../protocol';
import { readWorkspace } from '../sources/workspace/readWorkspace';
import type { ActionOffer, ActionProvider } from './codeActions';

/** A plain semver version: the only thing ever written into a requirement (the data comes back from the client). */
const VERSION = /^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?(?:\+[0-9A-Za-z.-]{1,64})?$/;

/** The fixes of a diagnostic's data, keeping only well-formed ones: the data makes a round trip through the client. */
function fixesOf(fixes: unknown): PackageFix[] {
	if (!Array.isArray(fixes)) return [];
	return fixes.filter((fix): fix is PackageFix => {
		const candidate = fix as Partial<PackageFix> | null;
		return (candidate?.action === 'pin' || candidate?.action === 'upgrade') && typeof candidate.version === 'string' && VERSION.test(candidate.version) && typeof candidate.title === 'string' && (candidate.requirement === null || typeof candidate.requirement === 'string');
	});
}

/** `name@version`, split at the last `@`. */
function nameAndVersion(pkg: string): { name: string; locked: string } | undefined {
	const at = pkg.lastIndexOf('@');
	return at > 0 ? { name: pkg.slice(0, at), locked: pkg.slice(at + 1) } : undefined;
}

export function updateLockfileCommand(command: string, cwd: string): Command {
	const args: UpdateLockfileArgs = { command, cwd };
	return { title: 'Update Cargo.lock', command: ClientCommands.updateLockfile, arguments: [args] };
}

/** LSP edits per file, with positions computed on the texts the offsets were computed on. */
function documentChanges(edits: readonly FileEdit[], texts: ReadonlyMap<string, string>): TextDocumentEdit[] {
	const byFile = new Map<string, FileEdit[]>();
	for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
	return [...byFile].map(([file, fileEdits]) => {
		const uri = pathToFileURL(file).href;
		const document = TextDocument.create(uri, 'toml', 0, texts.get(file) ?? '');
		return { textDocument: { uri, version: null }, edits: fileEdits.map((edit) => ({ range: { start: document.positionAt(edit.range.start), end: document.positionAt(edit.range.end) }, newText: edit.newText })) };
	});
}

export const pinActions: ActionProvider = {
	name: 'pin',
	signals: ['advisory', 'young-release', 'yanked', 'audit', 'provenance'],
	offer(data, _diagnostic, { root }) {
		const pkg = nameAndVersion(data.package);
		if (!pkg || !root) return [];
		return fixesOf(data.fixes).flatMap((fix, index): ActionOffer[] => {
			const command = cargoUpdateCommand(pkg.name, pkg.locked, fix.version);
			const base = { title: fix.title, kind: CodeActionKind.QuickFix, ...(index === 0 ? { isPreferred: true } : {}) };
			// A manifest entry names the package: the edit, then the command (resolve adds both).
			if (fix.requirement !== null) return [{ ...base, args: { name: pkg.name, locked: pkg.locked, version: fix.version, root } }];
			// A transitive package: only cargo moves it, with the command alone.
			return command ? [{ ...base, args: { name: pkg.name, locked: pkg.locked, version: fix.version, root, only: 'command' }, command: updateLockfileCommand(command, root) }] : [];
		});
	},
	async resolve({ name, locked, version, root, only }, { overlay }) {
		if (only === 'command' || !name || !locked || !version || !root || !VERSION.test(version)) return undefined;
		const workspace = await readWorkspace(root, overlay);
		const edits = pinEditsFromTexts(workspace, name, locked, version);
		if (edits.length === 0) return undefined;
		const texts = new Map(workspace.manifests.map((file) => [file.path, file.text]));
		const command = cargoUpdateCommand(name, locked, version);
		return { edit: { documentChanges: documentChanges(edits, texts) }, ...(command ? { command: updateLockfileCommand(command, root) } : {}) };
	},
};
