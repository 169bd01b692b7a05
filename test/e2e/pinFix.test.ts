/**
 * The quick fix the product is named for, in a real VS Code: a workspace with a cargo-vet store, against a registry
 * on 127.0.0.1 (cargo's source replacement). foo 1.3.2 was published 2 days ago and nobody trusted audited it; 1.2.0
 * is old and audited locally; bar 2.0.0 is vetted through a chain (full audit of 1.9.0, delta 1.9.0 → 2.0.0). Once the
 * registry's data has landed (the young-release finding), the hover shows the audit verdicts, Ctrl+. on foo offers
 * "Pin to 1.2.0 (…)", applying it rewrites the requirement to "=1.2.0" in the editor, and "Update Cargo.lock" opens a
 * terminal named Cargo Trust with `cargo update -p foo@1.3.2 --precise 1.2.0` typed, not run.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildCrate, sha256 } from '../support/crateBuilder';
import { RegistryServer } from '../support/registryServer';
import { tempDir } from '../support/tempWorkspace';
import { exampleAdvisoryDb, waitFor, withEditor } from './support';

const COMMAND = 'cargo update -p foo@1.3.2 --precise 1.2.0';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const OLD = '2024-03-01T10:00:00Z';

void test('pin fix: Pin to the older audited version, then Update Cargo.lock typed in a terminal', async () => {
	const young = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const crate = (name: string, version: string): Uint8Array => buildCrate(name, version, { 'src/lib.rs': '#![forbid(unsafe_code)]\npub fn f() {}\n' });
	const versions: [string, string, string][] = [['foo', '1.2.0', OLD], ['foo', '1.3.2', young], ['bar', '1.9.0', OLD], ['bar', '2.0.0', OLD]];
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
		'supply-chain/audits.toml': [
			'[[audits.foo]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "1.2.0"',
			'[[audits.bar]]\nwho = "Ann <ann@example.org>"\ncriteria = "safe-to-deploy"\nversion = "1.9.0"',
			'[[audits.bar]]\nwho = "Bo <bo@example.org>"\ncriteria = "safe-to-deploy"\ndelta = "1.9.0 -> 2.0.0"',
		].join('\n\n') + '\n',
		'supply-chain/imports.lock': '',
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	const cargoHome = join(base, 'cargo-home');
	mkdirSync(cargoHome);
	try {
		// The DOM renderer for the terminal (the canvas one has no text in the page), so the typed command can be read.
		const settings = { 'cargoTrust.advisoryDb.path': exampleAdvisoryDb, 'terminal.integrated.gpuAcceleration': 'off' };
		await withEditor({ scenario: 'pin-fix', workspace: dir, settings, env: { CARGO_HOME: cargoHome } }, async (editor) => {
			await editor.step('open-manifest', () => editor.openFile('Cargo.toml'));
			// The pin needs the index's pubtimes: wait for the young-release finding they produce before hovering.
			await editor.filterProblems('young-release');
			await editor.step('registry-data', () => editor.waitForProblems('the young-release warning on foo', (rows) => rows.some((row) => row.file === 'Cargo.toml' && row.code === 'young-release' && row.message.startsWith('foo 1.3.2'))));
			await editor.filterProblems('');

			const barHover = await editor.step('hover-audited', () => editor.hoverText('bar = ', 'bar', /Audit:/));
			assert.match(barHover, /Audit: vetted for safe-to-deploy, safe-to-run\n/);
			assert.match(barHover, /full audit of 1\.9\.0 by Ann \(audits\.toml\)\n.*delta audit 1\.9\.0 → 2\.0\.0 by Bo \(audits\.toml\)/);
			const fooHover = await editor.step('hover-unaudited', () => editor.hoverText('foo = ', 'foo', /Pin to 1\.2\.0/));
			assert.match(fooHover, /Audit: not audited by anyone you trust \(requires safe-to-deploy\)/);
			assert.match(fooHover, /Trust policy: fails\s+too young: published 2 days ago, under the minimum release age of 7 days\nnot vetted for safe-to-deploy by anyone you trust\n/);
			assert.match(fooHover, new RegExp(`Fix: Pin to 1\\.2\\.0 \\(audited safe-to-deploy by Ann[^)]*\\)\\s+set the requirement to =1\\.2\\.0, then run ${COMMAND.replace(/\./g, '\\.')}`));

			// The menu reads the fixes from the diagnostics the editor holds: wait until those carry the pin too.
			const titles = await editor.step('quick-fixes', () => waitFor('the pin fix on foo', () => editor.quickFixes('foo = ', 'foo'), (offered) => offered.some((title) => title.startsWith('Pin to 1.2.0'))));
			const pins = titles.filter((title) => /^(Pin|Upgrade) to /.test(title));
			assert.equal(pins.length, 1, `one pin fix on foo, offered: ${JSON.stringify(titles)}`);
			assert.match(pins[0]!, /^Pin to 1\.2\.0 \(audited safe-to-deploy by Ann, \d+ days old, no advisories, leaves "1\.3"\)$/);

			await editor.step('apply-pin', () => editor.applyQuickFix('foo = ', 'foo', /^Pin to 1\.2\.0/));
			// The resolved action's command runs after the edit: a terminal named Cargo Trust with the command typed.
			const panel = editor.page.locator('.part.panel');
			const rows = panel.locator('.xterm .xterm-rows > div');
			const screen = await editor.step('terminal', async () => {
				await waitFor('a terminal named Cargo Trust', async () => ((await panel.isVisible()) ? panel.innerText() : ''), (text) => text.includes('Cargo Trust'));
				// Rows are screen lines: a long line wraps onto the next row (and may break at a space), so the rows are
				// compared joined and without white space. The shell may echo text typed before its prompt and then redraw
				// it after the prompt: what counts is that the screen ends with the command, typed and not run.
				return waitFor(
					`the terminal to end with "${COMMAND}"`,
					async () => (await rows.allInnerTexts()).join(''),
					(shown) => shown.replace(/\s+/g, '').endsWith(COMMAND.replace(/\s+/g, '')),
				);
			});
			assert.doesNotMatch(screen, /command not found|error:|Updating/, 'typed, not run');

			await editor.focusEditor();
			await editor.step('saved', () => editor.save());
			assert.equal(readFileSync(join(editor.workspaceDir, 'Cargo.toml'), 'utf8'), files['Cargo.toml']!.replace('foo = "1.3"', 'foo = "=1.2.0"'));
		});
	} finally {
		await registry.close();
		rmSync(base, { recursive: true, force: true });
	}
});
