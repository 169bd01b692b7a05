/**
 * The quick fix the product is named for, in a real VS Code: a workspace with a cargo-vet store, against a registry
 * on 127.0.0.1 (cargo's source replacement). foo 1.3.2 was published 2 days ago and nobody trusted audited it; 1.2.0
 * is old and audited locally. The hover shows the audit verdicts, Ctrl+. on foo offers "Pin to 1.2.0 (…)", applying
 * it rewrites the requirement to "=1.2.0" in the editor, and "Update Cargo.lock" opens a terminal named Cargo Trust
 * with `cargo update -p foo@1.3.2 --precise 1.2.0` typed, not run.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { RegistryServer } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';
import { exampleAdvisoryDb, waitFor, withEditor } from './support';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const OLD = '2024-03-01T10:00:00Z';

// TODO(issue 15): first run timed out on the first hover (the hover widget never settled over "bar"); not yet past that step.
void test('pin fix: Pin to the older audited version, then Update Cargo.lock typed in a terminal', { todo: 'unfinished: hover step times out' }, async () => {
	const young = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const crate = (name: string, version: string): Uint8Array => buildCrate(name, version, { 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn f() {}\n' });
	const versions: [string, string, string][] = [['foo', '1.2.0', OLD], ['foo', '1.3.2', young], ['bar', '2.0.0', OLD]];
	const bytes = new Map(versions.map(([name, version]) => [`${name}@${version}`, crate(name, version)]));
	const registry = await RegistryServer.start({
		crates: ['foo', 'bar'].map((name) => ({ name, versions: versions.filter(([crateName]) => crateName === name).map(([, vers, pubtime]) => ({ vers, pubtime, publishedBy: 'maintainer', crate: bytes.get(`${name}@${vers}`)! })) })),
	});
	const base = tempDir();
	const dir = join(base, 'workspace');
	const lock = (name: string, version: string): string => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${CRATES_IO}"\nchecksum = "${sha256(bytes.get(`${name}@${version}`)!)}"`;
	const files: Record<string, string> = {
		'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfoo = "1.3"\nbar = "2"\n',
		'Cargo.lock': ['version = 4', '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["bar", "foo"]', lock('bar', '2.0.0'), lock('foo', '1.3.2')].join('\n\n') + '\n',
		'.cargo/config.toml': `[source.crates-io]\nreplace-with = "test-registry"\n\n[source.test-registry]\nregistry = "sparse+${registry.indexUrl}"\n`,
		'supply-chain/config.toml': '[cargo-vet]\nversion = "0.10"\n',
		'supply-chain/audits.toml': '[[audits.foo]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"\n\n[[audits.bar]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "2.0.0"\n',
		'supply-chain/imports.lock': '',
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	const cargoHome = join(base, 'cargo-home');
	mkdirSync(cargoHome);
	try {
		await withEditor({ scenario: 'pin-fix', workspace: dir, settings: { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb }, env: { CARGO_HOME: cargoHome } }, async (editor) => {
			await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
			const barHover = await editor.step('hover-audited', () => editor.hoverText('bar = ', 'bar', /safe-to-deploy/));
			assert.match(barHover, /Audit[\s\S]*safe-to-deploy/);
			const fooHover = await editor.step('hover-unaudited', () => editor.hoverText('foo = ', 'foo', /Pin to 1\.2\.0/));
			assert.match(fooHover, /not audited by anyone you trust/i);

			const titles = await editor.step('quick-fixes', () => waitFor('the pin fix on foo', () => editor.quickFixes('foo = ', 'foo'), (offered) => offered.some((title) => title.startsWith('Pin to 1.2.0'))));
			assert.match(titles.find((title) => title.startsWith('Pin to'))!, /^Pin to 1\.2\.0 \(audited safe-to-deploy by .+, \d+ days old, no advisories, leaves "1\.3"\)$/);

			await editor.step('apply-pin', () => editor.applyQuickFix('foo = ', 'foo', /^Pin to 1\.2\.0/));
			// The resolved action's command runs after the edit: a terminal named Cargo Trust with the command typed.
			const panel = editor.page.locator('.part.panel');
			await editor.step('terminal', () => waitFor('a terminal named Cargo Trust', async () => (await panel.isVisible()) && (await panel.innerText()).includes('Cargo Trust'), Boolean));
			const typed = await waitFor('the command typed in the terminal', async () => (await editor.page.locator('.xterm-rows').allInnerTexts()).join('\n').replace(/\u00a0/g, ' '), (text) => text.includes('cargo update -p foo@1.3.2 --precise 1.2.0')).catch(() => undefined);
			console.log(`pin-fix: terminal text ${typed === undefined ? 'not readable from the DOM (canvas renderer); the terminal tab was checked' : 'read from the xterm rows'}`);

			await editor.focusEditor();
			await editor.step('saved', () => editor.save());
			assert.equal(readFileSync(join(editor.workspaceDir, 'Cargo.toml'), 'utf8'), files['Cargo.toml']!.replace('foo = "1.3"', 'foo = "=1.2.0"'));
		});
	} finally {
		await registry.close();
		rmSync(base, { recursive: true, force: true });
	}
});
