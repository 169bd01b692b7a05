/**
 * Input too large or too deep for a recursive reader, through the real server: the manifest keeps every dependency
 * it can, the one statement that cannot be read costs one diagnostic, and hover still answers. Before, a manifest
 * like these gave unhandled rejections, no diagnostics and null hovers (issue 12, item 11).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOfflineServer, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { copyWorkspace, type TempWorkspace } from '../support/tempWorkspace';

void describe('huge and deep manifests in the server', () => {
	let ws: TempWorkspace;
	let client: LspTestClient;
	let manifest: string;

	before(async () => {
		ws = copyWorkspace(join(repoRoot, 'examples', 'basic'));
		manifest = join(ws.dir, 'Cargo.toml');
		client = startOfflineServer(ws);
		await client.initialize(ws.dir, { cacheDir: ws.cacheDir });
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
	});

	void it('a statement nested 100,000 deep costs one diagnostic; every dependency keeps its findings and hover', async () => {
		const original = readFileSync(manifest, 'utf8');
		const deep = `deep = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
		// In [package.metadata], before [dependencies]: the broken statement must not take the tables after it along.
		const text = original.replace('publish = false\n', `publish = false\n\n[package.metadata.x]\n${deep}`);
		writeFileSync(manifest, text);
		client.open(manifest, text);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2020-0071'));
		const parseErrors = diagnostics.filter((d) => d.code === 'toml-parse');
		assert.equal(parseErrors.length, 1, JSON.stringify(parseErrors));
		assert.equal(parseErrors[0]!.range.start.line, 7, 'on the deep statement\'s own line');
		assert.ok(diagnostics.some((d) => d.code === 'RUSTSEC-2021-0145'), 'atty is still checked');
		const hover = await client.hover(manifest, text.indexOf('time = ') + 2);
		assert.match(JSON.stringify(hover?.contents ?? null), /time/);
		assert.deepEqual(client.logs.filter((line) => /RangeError|Unhandled|TypeError/.test(line)), []);
	});
});
