/**
 * Finding every Cargo workspace in an editor folder: the right roots, and each root manifest parsed once however
 * many members lead to it (a large root manifest parsed once per member was most of the first analysis' garbage).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseCache } from '../../../server/src/engine/analyze';
import type { Manifest } from '../../../server/src/engine/manifest/types';
import type { Parsed } from '../../../server/src/engine/text';
import { discoverWorkspaces } from '../../../server/src/sources/workspace/discoverWorkspaces';
import { tempDir } from '../../support/tempWorkspace';

/** Counts how often each text is actually parsed (a cache miss), keyed by the text's first line. */
class CountingCache extends ParseCache {
	readonly parses = new Map<string, number>();
	override manifest(text: string, inherited: string | undefined, parse: () => Parsed<Manifest>): Parsed<Manifest> {
		return super.manifest(text, inherited, () => {
			const first = text.split('\n', 1)[0]!;
			this.parses.set(first, (this.parses.get(first) ?? 0) + 1);
			return parse();
		});
	}
}

void describe('discoverWorkspaces', () => {
	const folder = tempDir('cargo-trust-discover-');
	const write = (path: string, text: string): void => {
		mkdirSync(join(folder, path, '..'), { recursive: true });
		writeFileSync(join(folder, path), text);
	};
	write('Cargo.toml', '# root\n[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/fuzz"]\n\n[workspace.dependencies]\nserde = "1"\n');
	for (let i = 0; i < 6; i++) write(`crates/m${i}/Cargo.toml`, `# m${i}\n[package]\nname = "m${i}"\nversion = "0.1.0"\n\n[dependencies]\nserde.workspace = true\n`);
	write('crates/fuzz/Cargo.toml', '# fuzz\n[package]\nname = "fuzz"\nversion = "0.1.0"\n\n[workspace]\n');
	write('tools/lone/Cargo.toml', '# lone\n[package]\nname = "lone"\nversion = "0.1.0"\n');

	void it('finds each workspace root once: the workspace, a nested workspace and a lone package', async () => {
		assert.deepEqual(await discoverWorkspaces(folder), [folder, join(folder, 'crates', 'fuzz'), join(folder, 'tools', 'lone')]);
	});

	void it('parses the root manifest once, not once per member that leads to it', async () => {
		const cache = new CountingCache();
		await discoverWorkspaces(folder, undefined, cache);
		assert.equal(cache.parses.get('# root'), 1);
		assert.ok([...cache.parses.values()].every((count) => count === 1), JSON.stringify([...cache.parses]));
	});
});
