/**
 * The pin and upgrade quick fixes: offered from the fixes in `Diagnostic.data` (upgrade first, the preferred one
 * marked), resolved to the `=X.Y.Z` edit against the texts as they are at resolve time (open buffers win), with
 * "Update Cargo.lock" after it; a transitive package gets the command alone; forged data edits nothing.
 */
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FindingData, PackageFix } from '../../../server/src/engine/findings';
import { offerCodeActions, resolveCodeAction } from '../../../server/src/lsp/codeActions';
import { ClientCommands } from '../../../server/src/protocol';

// Never created: every file is served from the overlay, as open buffers are.
const ROOT = join(tmpdir(), 'cargo-trust-pin-actions-unit');
const ROOT_MANIFEST = join(ROOT, 'Cargo.toml');
const MEMBER_MANIFEST = join(ROOT, 'member', 'Cargo.toml');
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

const PIN: PackageFix = { action: 'pin', version: '1.2.0', title: 'Pin to 1.2.0 (audited safe-to-deploy by acme, leaves "1.3")', requirement: '=1.2.0', leavesRequirement: true, command: 'cargo update -p foo@1.3.2 --precise 1.2.0' };
const UPGRADE: PackageFix = { action: 'upgrade', version: '1.3.5', title: 'Upgrade to 1.3.5 (no advisories)', requirement: '=1.3.5', leavesRequirement: false, command: 'cargo update -p foo@1.3.2 --precise 1.3.5' };

function diagnostic(code: string, data: Partial<FindingData> & { signal: string }): Diagnostic {
	return { range, message: 'm', source: 'cargo-trust', code, data: { package: 'foo@1.3.2', ...data } };
}

function offer(diagnostics: Diagnostic[], file = ROOT_MANIFEST): CodeAction[] {
	return offerCodeActions({ textDocument: { uri: pathToFileURL(file).href }, range, context: { diagnostics } }, { root: ROOT, overlay: () => undefined, canCreateFiles: false });
}

function lockfile(): string {
	return ['version = 4', '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["foo"]', `[[package]]\nname = "foo"\nversion = "1.3.2"\nsource = "${CRATES_IO}"`].join('\n\n');
}

async function resolveWith(action: CodeAction, files: Record<string, string>): Promise<CodeAction> {
	return resolveCodeAction(action, { overlay: (path) => files[path], canCreateFiles: false });
}

/** Applies the resolved edits to the texts they were computed on. */
function applied(action: CodeAction, files: Record<string, string>): Record<string, string> {
	const result = { ...files };
	for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
		const path = Object.keys(files).find((file) => pathToFileURL(file).href === change.textDocument.uri)!;
		result[path] = TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'toml', 0, files[path]!), change.edits);
	}
	return result;
}

describe('pin and upgrade code actions', () => {
	it('offers upgrade then pin, the preferred one marked, once however many findings of the package the range covers', () => {
		const actions = offer([diagnostic('RUSTSEC-2099-0001', { signal: 'advisory', advisory: { id: 'RUSTSEC-2099-0001', kind: 'vulnerability', patched: ['>=1.3.5'], unaffected: [] }, fixes: [UPGRADE, PIN] } as Partial<FindingData> & { signal: string }), diagnostic('unaudited', { signal: 'audit', fixes: [UPGRADE, PIN] } as Partial<FindingData> & { signal: string })]);
		const fixes = actions.filter((action) => (action.data as { provider: string }).provider === 'pin');
		assert.deepEqual(fixes.map((action) => [action.title, action.kind, action.isPreferred ?? false, action.edit, action.command]), [
			[UPGRADE.title, 'quickfix', true, undefined, undefined],
			[PIN.title, 'quickfix', false, undefined, undefined],
		]);
		// The pin/upgrade fixes come before ignoring the advisory.
		assert.deepEqual(actions.map((action) => action.title).slice(2), ['Ignore RUSTSEC-2099-0001 in .cargo/audit.toml']);
	});

	it('offers nothing without fixes, for malformed fixes, or for signals the policy does not weigh', () => {
		assert.deepEqual(offer([diagnostic('unaudited', { signal: 'audit' })]), []);
		assert.deepEqual(offer([diagnostic('unaudited', { signal: 'audit', fixes: [{ ...PIN, version: '1.2.0"; evil = "x' }] } as Partial<FindingData> & { signal: string })]), []);
		// An advisory diagnostic whose data lost its advisory (a round trip through a client) offers nothing rather than failing the request.
		assert.deepEqual(offer([diagnostic('RUSTSEC-2099-0001', { signal: 'advisory' })]), []);
		assert.deepEqual(offer([diagnostic('unsafe-code', { signal: 'unsafe-code', fixes: [PIN] } as Partial<FindingData> & { signal: string })]), []);
	});

	it('a transitive package gets the cargo update command alone, to type in the workspace root', () => {
		const transitive = { ...PIN, title: 'Pin to 1.2.0 (audited)', requirement: null, leavesRequirement: false };
		const [action, ...rest] = offer([diagnostic('young-release', { signal: 'young-release', fixes: [transitive] } as Partial<FindingData> & { signal: string })], join(ROOT, 'Cargo.lock'));
		assert.equal(rest.length, 0);
		assert.equal(action!.edit, undefined);
		assert.deepEqual(action!.command, { title: 'Update Cargo.lock', command: ClientCommands.updateLockfile, arguments: [{ command: 'cargo update -p foo@1.3.2 --precise 1.2.0', cwd: ROOT }] });
	});

	it('resolves to =X.Y.Z on the current text of the entry, only the version string changing, then offers Update Cargo.lock', async () => {
		const [pin] = offer([diagnostic('unaudited', { signal: 'audit', fixes: [PIN] } as Partial<FindingData> & { signal: string })]);
		// The buffer gained lines above the entry since the diagnostic was computed: the edit follows the text now.
		const files = { [ROOT_MANIFEST]: '[package]\nname = "app"\nversion = "0.1.0"\n\n# added since\n[dependencies]\nfoo = { version = "1.3", features = ["x"] } # why\n', [join(ROOT, 'Cargo.lock')]: lockfile() };
		const resolved = await resolveWith(pin!, files);
		assert.equal(applied(resolved, files)[ROOT_MANIFEST], '[package]\nname = "app"\nversion = "0.1.0"\n\n# added since\n[dependencies]\nfoo = { version = "=1.2.0", features = ["x"] } # why\n');
		assert.deepEqual(resolved.command, { title: 'Update Cargo.lock', command: ClientCommands.updateLockfile, arguments: [{ command: 'cargo update -p foo@1.3.2 --precise 1.2.0', cwd: ROOT }] });
	});

	it('a member inheriting with foo.workspace = true edits the root [workspace.dependencies] entry', async () => {
		const [pin] = offer([diagnostic('young-release', { signal: 'young-release', fixes: [PIN] } as Partial<FindingData> & { signal: string })], MEMBER_MANIFEST);
		const files = {
			[ROOT_MANIFEST]: '[workspace]\nmembers = ["member"]\n\n[workspace.dependencies]\nfoo = "1.3" # shared\n',
			[MEMBER_MANIFEST]: '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo.workspace = true\n',
			[join(ROOT, 'Cargo.lock')]: lockfile(),
		};
		const after = applied(await resolveWith(pin!, files), files);
		assert.equal(after[ROOT_MANIFEST], '[workspace]\nmembers = ["member"]\n\n[workspace.dependencies]\nfoo = "=1.2.0" # shared\n');
		assert.equal(after[MEMBER_MANIFEST], files[MEMBER_MANIFEST]);
	});

	it('no edit when the entry has no version, the package is no longer locked, or the data is forged', async () => {
		const [pin] = offer([diagnostic('unaudited', { signal: 'audit', fixes: [PIN] } as Partial<FindingData> & { signal: string })]);
		const git = { [ROOT_MANIFEST]: '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = { git = "https://example.org/foo" }\n', [join(ROOT, 'Cargo.lock')]: lockfile() };
		assert.equal((await resolveWith(pin!, git)).edit, undefined);
		const relocked = { [ROOT_MANIFEST]: '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nfoo = "1.3"\n', [join(ROOT, 'Cargo.lock')]: lockfile().replace('1.3.2', '1.3.3') };
		assert.equal((await resolveWith(pin!, relocked)).edit, undefined);
		const forged = { ...pin!, data: { provider: 'pin', args: { name: 'foo', locked: '1.3.2', version: '1.2.0"\nevil = "1', root: ROOT } } };
		assert.equal((await resolveWith(forged, { ...relocked, [join(ROOT, 'Cargo.lock')]: lockfile() })).edit, undefined);
	});
});
