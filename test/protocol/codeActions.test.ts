/**
 * Code actions answered from Diagnostic.data: an advisory diagnostic offers "Ignore … in .cargo/audit.toml", and
 * resolving it yields the edit (a new file, or an entry appended to an existing ignore list) without a new analysis.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { startOfflineServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace } from '../support/tempWorkspace';


async function openExample(): Promise<{ client: LspTestClient; dir: string; manifest: string; time: Diagnostic }> {
	const ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
	const manifest = join(ws.dir, 'Cargo.toml');
	const client = startOfflineServer(ws);
	await client.initialize(ws.dir, { cacheDir: ws.cacheDir, trusted: true });
	client.open(manifest);
	const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
	return { client, dir: ws.dir, manifest, time: diagnostics.find((d) => d.code === 'RUSTSEC-2020-0071')! };
}

function codeActions(client: LspTestClient, manifest: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
	return client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(manifest) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
}

void describe('code actions from Diagnostic.data', () => {
	void it('carries the package, the signal and the advisory facts in Diagnostic.data', async () => {
		const { client, time } = await openExample();
		try {
			assert.deepEqual(time.data, { signal: 'advisory', package: 'time@0.1.43', advisory: { id: 'RUSTSEC-2020-0071', kind: 'vulnerability', patched: ['>= 0.2.23'], unaffected: ['= 0.2.0', '= 0.2.1', '= 0.2.2', '= 0.2.3', '= 0.2.4', '= 0.2.5', '= 0.2.6'] } });
		} finally {
			await client.shutdown();
		}
	});

	void it('offers to ignore the advisory and resolves to a new .cargo/audit.toml', async () => {
		const { client, dir, manifest, time } = await openExample();
		try {
			const actions = await codeActions(client, manifest, time);
			assert.deepEqual(actions.map((a) => [a.title, a.kind, a.edit]), [['Ignore RUSTSEC-2020-0071 in .cargo/audit.toml', 'quickfix', undefined]]);
			const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', actions[0]);
			const auditToml = uri(join(dir, '.cargo', 'audit.toml'));
			assert.deepEqual(resolved.edit?.documentChanges?.[0], { kind: 'create', uri: auditToml, options: { ignoreIfExists: true } });
			const edit = resolved.edit?.documentChanges?.[1] as TextDocumentEdit;
			assert.deepEqual(edit.edits.map((e) => e.newText), ['[advisories]\nignore = ["RUSTSEC-2020-0071"]\n']);
		} finally {
			await client.shutdown();
		}
	});

	void it('appends to the ignore list of an existing audit.toml', async () => {
		const { client, dir, manifest, time } = await openExample();
		try {
			mkdirSync(join(dir, '.cargo'));
			writeFileSync(join(dir, '.cargo', 'audit.toml'), '# ours\n[advisories]\nignore = ["RUSTSEC-2021-0145"]\n');
			const [action] = await codeActions(client, manifest, time);
			const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', action);
			const [edit] = resolved.edit!.documentChanges! as TextDocumentEdit[];
			assert.deepEqual(edit!.edits, [{ range: { start: { line: 2, character: 29 }, end: { line: 2, character: 29 } }, newText: ', "RUSTSEC-2020-0071"' }]);
		} finally {
			await client.shutdown();
		}
	});

	void it('offers nothing for a diagnostic without finding data, and never edits a file other than an audit.toml', async () => {
		const { client, dir, manifest, time } = await openExample();
		try {
			assert.deepEqual(await codeActions(client, manifest, { ...time, data: { package: 'time@0.1.43' } }), []);
			const forged = { title: 'x', data: { provider: 'advisory', args: { id: 'RUSTSEC-2020-0071', file: join(dir, 'Cargo.toml') } } };
			const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', forged);
			assert.equal(resolved.edit, undefined);
		} finally {
			await client.shutdown();
		}
	});
});
