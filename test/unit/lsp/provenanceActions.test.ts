/**
 * The code action on `provenance-modified`, one provider of the code action registry: it runs the client's diff
 * command with the package its data names, after the fixes; nothing is offered for other findings or malformed data.
 */
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import type { PackageFix } from '../../../server/src/engine/findings';
import { offerCodeActions, resolveCodeAction } from '../../../server/src/lsp/codeActions';
import { ClientCommands } from '../../../server/src/protocol';

// Never created: nothing here reads a file.
const ROOT = join(tmpdir(), 'cargo-trust-provenance-actions-unit');
const MANIFEST = join(ROOT, 'Cargo.toml');
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const data = { signal: 'provenance', package: 'demo@1.0.0', kind: 'provenance', name: 'demo', version: '1.0.0', modified: ['src/lib.rs'], added: [] };
const UPGRADE: PackageFix = { action: 'upgrade', version: '1.0.1', title: 'Upgrade to 1.0.1 (matches its repository)', requirement: '=1.0.1', leavesRequirement: false, command: 'cargo update -p demo@1.0.0 --precise 1.0.1' };

function offer(diagnostics: Diagnostic[]): CodeAction[] {
	return offerCodeActions({ textDocument: { uri: pathToFileURL(MANIFEST).href }, range, context: { diagnostics } }, { root: ROOT, overlay: () => undefined, canCreateFiles: false });
}

function diagnostic(code: string, diagnosticData: unknown, source = 'cargo-trust'): Diagnostic {
	return { range, message: 'm', source, code, data: diagnosticData };
}

void describe('provenance code actions', () => {
	void it('offers the diff on provenance-modified, with the package, and resolving leaves it as it is', async () => {
		const modified = diagnostic('provenance-modified', data);
		const [action, ...rest] = offer([modified]);
		assert.equal(rest.length, 0);
		assert.equal(action!.title, 'Show how demo 1.0.0 differs from its repository');
		assert.equal(action!.command!.command, ClientCommands.showProvenanceDiff);
		assert.deepEqual(action!.command!.arguments, [{ file: MANIFEST, name: 'demo', version: '1.0.0' }]);
		assert.deepEqual(action!.diagnostics, [modified]);
		const resolved = await resolveCodeAction(action!, { overlay: () => undefined, canCreateFiles: false });
		assert.deepEqual(resolved, action);
	});

	void it('offers nothing for other codes, other sources or data without the package', () => {
		assert.deepEqual(offer([diagnostic('provenance-dirty', data)]), []);
		assert.deepEqual(offer([diagnostic('provenance-modified', data, 'other')]), []);
		assert.deepEqual(offer([diagnostic('provenance-modified', { ...data, name: 1 })]), []);
		assert.deepEqual(offer([diagnostic('provenance-modified', undefined)]), []);
	});

	void it('comes after every fix, whatever order the diagnostics come in', () => {
		const modified = diagnostic('provenance-modified', { ...data, fixes: [UPGRADE] });
		const advisory = diagnostic('RUSTSEC-2099-0001', { signal: 'advisory', package: 'demo@1.0.0', advisory: { id: 'RUSTSEC-2099-0001', kind: 'vulnerability', patched: ['>=1.0.1'], unaffected: [] }, fixes: [UPGRADE] });
		const titles = ['Upgrade to 1.0.1 (matches its repository)', 'Ignore RUSTSEC-2099-0001 in .cargo/audit.toml', 'Show how demo 1.0.0 differs from its repository'];
		assert.deepEqual(offer([modified, advisory]).map((action) => action.title), titles);
		assert.deepEqual(offer([advisory, modified]).map((action) => action.title), titles);
	});
});
