/**
 * The provenance diff through the real server over stdio: a tampered crate's `provenance-modified` diagnostic,
 * its code action, then the two requests behind the diff view. The repository side of the file is fetched on
 * demand (one blob) from the git server on 127.0.0.1, reached through the user's insteadOf rewrite. Then the
 * on-demand check that the commit is on a branch or tag, whose answer the hover shows.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol';
import { CheckCommitReachableRequest, ClientCommands, type CheckCommitReachableResult, ProvenanceDiffFilesRequest, ProvenanceFileRequest, type ProvenanceDiffFilesResult, type ProvenanceFileResult } from '../../server/src/protocol';
import { startServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { type ProvenanceFixture, repositoryLine, startProvenanceFixture, tamperedLine } from '../support/provenanceFixture';
import { tempDir } from '../support/tempWorkspace';

void describe('provenance diff over LSP', () => {
	let fixture: ProvenanceFixture;
	let client: LspTestClient;
	let manifest: string;

	before(async () => {
		const base = tempDir();
		fixture = await startProvenanceFixture(base);
		manifest = join(fixture.workspace, 'Cargo.toml');
		client = startServer({ env: { ...fixture.gitEnv, CARGO_HOME: join(base, 'cargo-home') }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
		await client.initialize(fixture.workspace, { cacheDir: join(base, 'cache'), trusted: true });
		client.open(manifest);
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
		await fixture.close();
	});

	void it('offers the diff on provenance-modified and serves both sides of the tampered file', async () => {
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'provenance-modified'), 'the provenance-modified diagnostic');
		const finding = diagnostics.find((d) => d.code === 'provenance-modified')!;
		assert.deepEqual(
			diagnostics.filter((d) => String(d.code).startsWith('provenance')).map((d) => d.code),
			['provenance-modified'],
			'verified-lib has no finding',
		);
		const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(manifest) }, range: finding.range, context: { diagnostics: [finding] } });
		const diff = actions.find((action) => action.command?.command === ClientCommands.showProvenanceDiff);
		assert.ok(diff, `the diff action among ${JSON.stringify(actions.map((a) => a.title))}`);
		const args = diff.command!.arguments![0] as { file: string; name: string; version: string };
		assert.deepEqual(args, { file: manifest, name: 'tampered-lib', version: '1.0.0' });

		const files: ProvenanceDiffFilesResult = await client.connection.sendRequest(ProvenanceDiffFilesRequest, args);
		assert.deepEqual(files, { modified: ['src/lib.rs'], added: [], repository: 'https://github.com/o/tampered-lib', commit: fixture.commits.tampered });

		const requests = fixture.git.requests;
		const repository: ProvenanceFileResult = await client.connection.sendRequest(ProvenanceFileRequest, { ...args, path: 'src/lib.rs', side: 'repository' });
		const published: ProvenanceFileResult = await client.connection.sendRequest(ProvenanceFileRequest, { ...args, path: 'src/lib.rs', side: 'published' });
		assert.deepEqual(repository, { text: `//! Sums bytes.\n\n${repositoryLine}\n` });
		assert.deepEqual(published, { text: `//! Sums bytes.\n\n${tamperedLine}\n` });
		assert.ok(fixture.git.requests > requests, 'the repository blob was fetched on demand from the git server');
	});

	void it('checks on request that the commit is on a branch or tag, and the hover then shows it', async () => {
		const text = readFileSync(manifest, 'utf8');
		const before = ((await client.hover(manifest, text.indexOf('tampered-lib')))?.contents as MarkupContent).value;
		assert.match(before, /\[Check that this commit is on a branch or tag\]\(command:cargoTrust\.checkCommitReachable\?/);
		const answer: CheckCommitReachableResult = await client.connection.sendRequest(CheckCommitReachableRequest, { file: manifest, name: 'tampered-lib', version: '1.0.0' });
		assert.deepEqual(answer, { reachable: true, via: 'refs/heads/main', reason: null });
		await client.waitForQuiescent();
		const after = ((await client.hover(manifest, text.indexOf('tampered-lib')))?.contents as MarkupContent).value;
		assert.match(after, /On a branch or tag: `refs\/heads\/main`/);
	});
});
