import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeWorkspace, ParseCache, type WorkspaceInput } from '../../../server/src/engine/analyze';
import { known } from '../../../server/src/engine/facts';
import { buildPolicy } from '../../../server/src/engine/policy';

const facts = { advisories: known(new Map(), 'test', null), release: () => undefined, unsafe: () => undefined };
const root = (extra: string): string => `[workspace]\nmembers = ["app"]\n\n[workspace.dependencies]\nserde = "1"\n${extra}`;
const input = (rootText: string, appText = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nserde.workspace = true\n'): WorkspaceInput => ({
	root: '/ws',
	manifests: [
		{ path: '/ws/Cargo.toml', text: rootText },
		{ path: '/ws/app/Cargo.toml', text: appText },
	],
	lockfile: { path: '/ws/Cargo.lock', text: 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n' },
	problems: [],
});
const analyze = (workspace: WorkspaceInput, cache: ParseCache) => analyzeWorkspace(workspace, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'), cache);

void describe('ParseCache', () => {
	void it('parses each text once across analyses', () => {
		const cache = new ParseCache();
		const first = analyze(input(root('')), cache);
		const second = analyze(input(root('')), cache);
		assert.equal(second.manifests[1]!.manifest, first.manifests[1]!.manifest);
		assert.equal(second.lockfile!.lockfile, first.lockfile!.lockfile);
	});

	void it('keeps members when the root changes outside its templates, and parses them again when the templates change', () => {
		const cache = new ParseCache();
		const first = analyze(input(root('')), cache);
		const comment = analyze(input(root('# a comment\n')), cache);
		assert.equal(comment.manifests[1]!.manifest, first.manifests[1]!.manifest);
		const templates = analyze(input(root('log = "0.4"\n')), cache);
		assert.notEqual(templates.manifests[1]!.manifest, first.manifests[1]!.manifest);
	});

	void it('stays bounded', () => {
		const cache = new ParseCache(3);
		const first = analyze(input(root('')), cache);
		for (let i = 0; i < 3; i++) analyze(input(root(''), `[package]\nname = "app${i}"\nversion = "0.1.0"\n`), cache);
		assert.notEqual(analyze(input(root('')), cache).lockfile!.lockfile, first.lockfile!.lockfile);
	});
});
