/**
 * The quick fixes over the protocol, the whole flow: a diagnostic of a package that fails the trust policy →
 * `textDocument/codeAction` → `codeAction/resolve` → the WorkspaceEdit applied to the text → the expected text, and
 * "Update Cargo.lock" carried as the command after it. Registry data comes from a registry on 127.0.0.1 (index
 * `pubtime`s) through cargo's source replacement; audits from a cargo-vet store written here.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ClientCommands } from '../../server/src/protocol';
import { startServer, uri, type LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { replaceCratesIo } from '../support/registryApp';
import { RegistryServer, type FakeCrate } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const OLD = '2024-03-01T10:00:00Z';
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
const bytes = (name: string, version: string): Uint8Array => Buffer.from(`${name}-${version}`);

/** A registry crate whose versions' .crate bytes are `name-version`, so the lockfile's checksums match. */
function crate(name: string, versions: [string, string][]): FakeCrate {
	return { name, versions: versions.map(([vers, pubtime]) => ({ vers, pubtime, publishedBy: 'maintainer', crate: bytes(name, vers) })) };
}

function lockfile(members: string[], locked: [string, string][]): string {
	const names = locked.map(([name]) => `"${name}"`).join(', ');
	return [
		'version = 4',
		...members.map((member) => `[[package]]\nname = "${member}"\nversion = "0.1.0"\ndependencies = [${names}]`),
		...locked.map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"\nchecksum = "${createHash('sha256').update(bytes(name, version)).digest('hex')}"`),
	].join('\n\n') + '\n';
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
	for (const step of cleanup.reverse()) await step();
	cleanup = [];
});

/** A workspace of `files` (relative paths) against a registry of `crates`, with the server started on it. */
async function workspace(crates: FakeCrate[], files: Record<string, string>): Promise<{ client: LspTestClient; dir: string }> {
	const registry = await RegistryServer.start({ crates });
	cleanup.push(() => registry.close());
	const base = tempDir();
	const dir = join(base, 'workspace');
	const cargoHome = join(base, 'cargo-home');
	mkdirSync(cargoHome);
	const all = { ...files, '.cargo/config.toml': replaceCratesIo(registry.indexUrl) };
	for (const [path, text] of Object.entries(all)) {
		mkdirSync(join(dir, path, '..'), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	const client = startServer({ env: { CARGO_HOME: cargoHome }, settings: { advisoryDb: { path: join(repoRoot, 'examples', 'advisory-db') } } });
	cleanup.push(() => client.shutdown());
	await client.initialize(dir, { cacheDir: join(base, 'cache'), trusted: true });
	return { client, dir };
}

function hasFixes(diagnostic: Diagnostic): boolean {
	return Array.isArray((diagnostic.data as { fixes?: unknown[] } | undefined)?.fixes);
}

async function actionsFor(client: LspTestClient, path: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
	const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(path) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
	return actions.filter((action) => /^(Pin|Upgrade) to /.test(action.title));
}

/** Resolves the action and applies its edit to the files on disk (as the editor would), returning their new texts. */
async function resolveAndApply(client: LspTestClient, action: CodeAction): Promise<{ resolved: CodeAction; texts: Map<string, string> }> {
	const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', action);
	const texts = new Map<string, string>();
	for (const change of (resolved.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
		const path = new URL(change.textDocument.uri).pathname;
		texts.set(path, TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'toml', 0, readFileSync(path, 'utf8')), change.edits));
	}
	return { resolved, texts };
}

const STORE = {
	'supply-chain/config.toml': '[cargo-vet]\nversion = "0.10"\n',
	'supply-chain/audits.toml': '[[audits.foo]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"\n',
	'supply-chain/imports.lock': '',
};

void describe('pin and upgrade quick fixes over the protocol', () => {
	void it('a young, unaudited direct dependency: "Pin to" the older audited version rewrites the requirement, then Update Cargo.lock', async () => {
		const manifestText = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfoo = { version = "1.3", features = ["std"] } # keep\n';
		const { client, dir } = await workspace([crate('foo', [['1.1.0', OLD], ['1.2.0', OLD], ['1.3.2', daysAgo(2)]])], { 'Cargo.toml': manifestText, 'Cargo.lock': lockfile(['app'], [['foo', '1.3.2']]), ...STORE });
		const manifest = join(dir, 'Cargo.toml');
		client.open(manifest);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'young-release' && hasFixes(x)) && d.some((x) => x.code === 'unaudited'));
		const young = diagnostics.find((d) => d.code === 'young-release')!;
		const [pin, ...rest] = await actionsFor(client, manifest, young);
		assert.equal(rest.length, 0);
		assert.match(pin!.title, /^Pin to 1\.2\.0 \(audited safe-to-deploy by .+, \d+ days old, no advisories, leaves "1\.3"\)$/);
		assert.deepEqual([pin!.kind, pin!.isPreferred, pin!.edit], ['quickfix', true, undefined]);
		const { resolved, texts } = await resolveAndApply(client, pin!);
		assert.deepEqual([...texts], [[manifest, manifestText.replace('version = "1.3"', 'version = "=1.2.0"')]]);
		assert.deepEqual(resolved.command, { title: 'Update Cargo.lock', command: ClientCommands.updateLockfile, arguments: [{ command: 'cargo update -p foo@1.3.2 --precise 1.2.0', cwd: dir }] });
	});

	void it('a member with foo.workspace = true: the fix edits the root [workspace.dependencies] entry', async () => {
		const rootText = '[workspace]\nmembers = ["member"]\nresolver = "2"\n\n[workspace.dependencies]\n# pinned by policy\nfoo = { version = "1.3", default-features = false }\n';
		const memberText = '[package]\nname = "member"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfoo.workspace = true\n';
		const { client, dir } = await workspace([crate('foo', [['1.2.0', OLD], ['1.3.2', daysAgo(2)]])], { 'Cargo.toml': rootText, 'member/Cargo.toml': memberText, 'Cargo.lock': lockfile(['member'], [['foo', '1.3.2']]), ...STORE });
		const root = join(dir, 'Cargo.toml');
		const member = join(dir, 'member', 'Cargo.toml');
		client.open(member);
		// The row of an inherited entry sits on the root's [workspace.dependencies] entry.
		const diagnostics = await client.waitForDiagnostics(root, (d) => d.some((x) => x.code === 'unaudited' && hasFixes(x)));
		const [pin] = await actionsFor(client, root, diagnostics.find((d) => d.code === 'unaudited')!);
		assert.match(pin!.title, /^Pin to 1\.2\.0 \(/);
		const { texts } = await resolveAndApply(client, pin!);
		assert.deepEqual([...texts], [[root, rootText.replace('version = "1.3"', 'version = "=1.2.0"')]]);
	});

	void it('a vulnerable version with a patched newer one: "Upgrade to" is offered first and preferred, then "Pin to"', async () => {
		const manifestText = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies.smallvec]\nversion = "1.6"\n';
		const { client, dir } = await workspace([crate('smallvec', [['0.6.14', OLD], ['1.5.0', OLD], ['1.6.0', OLD], ['1.6.1', OLD]])], { 'Cargo.toml': manifestText, 'Cargo.lock': lockfile(['app'], [['smallvec', '1.6.0']]) });
		const manifest = join(dir, 'Cargo.toml');
		client.open(manifest);
		const diagnostics = await client.waitForDiagnostics(manifest, (d) => d.some((x) => x.code === 'RUSTSEC-2021-0003' && hasFixes(x)));
		const actions = await actionsFor(client, manifest, diagnostics.find((d) => d.code === 'RUSTSEC-2021-0003')!);
		assert.deepEqual(actions.map((action) => [action.title.replace(/\d+ days old/, 'N days old'), action.isPreferred ?? false]), [
			['Upgrade to 1.6.1 (N days old, no advisories)', true],
			['Pin to 0.6.14 (N days old, no advisories, leaves "1.6")', false],
		]);
		const { resolved, texts } = await resolveAndApply(client, actions[0]!);
		assert.deepEqual([...texts], [[manifest, manifestText.replace('version = "1.6"', 'version = "=1.6.1"')]]);
		assert.deepEqual((resolved.command?.arguments as { command: string }[])[0]!.command, 'cargo update -p smallvec@1.6.0 --precise 1.6.1');
	});
});
