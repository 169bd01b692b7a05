/**
 * `cargoTrust.provenance.enabled` over stdio: false for the folder means no git process (a logging `git` wrapper
 * first on PATH proves it), no provenance diagnostic, and a hover that says provenance is turned off; turned back
 * on, the missing verdicts are fetched without a restart.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { startServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { type ProvenanceFixture, startProvenanceFixture } from '../support/provenanceFixture';
import { tempDir } from '../support/tempWorkspace';

void describe('cargoTrust.provenance.enabled', () => {
	let fixture: ProvenanceFixture;
	let client: LspTestClient;
	let manifest: string;
	let gitLog: string;
	const settings = (enabled: boolean): Record<string, unknown> => ({ advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') }, provenance: { enabled } });

	before(async () => {
		const base = tempDir();
		fixture = await startProvenanceFixture(base);
		manifest = join(fixture.workspace, 'Cargo.toml');
		const wrapperDir = join(base, 'bin');
		mkdirSync(wrapperDir);
		gitLog = join(base, 'git.log');
		const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
		writeFileSync(join(wrapperDir, 'git'), `#!/bin/sh\necho "$@" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
		chmodSync(join(wrapperDir, 'git'), 0o755);
		client = startServer({ env: { ...fixture.gitEnv, PATH: `${wrapperDir}:${fixture.gitEnv.PATH}`, CARGO_HOME: join(base, 'cargo-home') }, settings: settings(false) });
		await client.initialize(fixture.workspace, { cacheDir: join(base, 'cache'), trusted: true });
		client.open(manifest);
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
		await fixture.close();
	});

	const provenanceCodes = (): string[] => (client.diagnostics.get(uri(manifest)) ?? []).map((d) => String(d.code)).filter((code) => code.startsWith('provenance'));
	const gitRuns = (): string => (existsSync(gitLog) ? readFileSync(gitLog, 'utf8') : '');
	const hoverOf = async (name: string): Promise<string> => {
		const text = readFileSync(manifest, 'utf8');
		return ((await client.hover(manifest, text.indexOf(`\n${name} =`) + 1))?.contents as MarkupContent).value.replace(/\\/g, '');
	};

	void it('turned off: no git runs, no provenance diagnostic, and the hover says the setting turned it off', async () => {
		await client.waitForQuiescent();
		assert.deepEqual(provenanceCodes(), []);
		assert.equal(gitRuns(), '', 'no git process was started');
		assert.match(await hoverOf('tampered-lib'), /\*\*Provenance:\*\* not checked \(turned off by the setting cargoTrust\.provenance\.enabled\)/);
	});

	void it('turned back on: the verdicts are fetched without a restart', async () => {
		client.changeSettings(settings(true));
		await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'provenance-modified'), 'provenance-modified once turned on');
		await client.waitForQuiescent();
		assert.deepEqual(provenanceCodes(), ['provenance-modified']);
		assert.match(gitRuns(), /fetch/, 'the repositories were fetched');
		assert.match(await hoverOf('verified-lib'), /\*\*Provenance:\*\* ✅ verified/);
	});
});
