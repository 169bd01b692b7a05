/**
 * What `npm install -g cargo-trust` gets: the bundled CLI and nothing of the development tree, and no runtime
 * dependencies, because esbuild has bundled every one of them into dist/.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies?: Record<string, string> };

void describe('npm package', () => {
	void it('ships the bundles, the icon and the documents only', () => {
		const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
		assert.equal(pack.status, 0, pack.stderr);
		const [result] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
		const files = result!.files.map((file) => file.path).sort();
		assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/client.js', 'dist/server.js', 'icon.png', 'package.json']);
		for (const bin of Object.values(manifest.bin)) assert.ok(files.includes(bin), `the bin ${bin} is shipped`);
	});

	void it('declares no runtime dependencies, and the CLI bundle loads nothing but Node built-ins', () => {
		assert.deepEqual(manifest.dependencies ?? {}, {});
		const bundle = readFileSync(join(repoRoot, 'dist', 'cli.js'), 'utf8');
		// A bare `require("x")`, not a method such as `table.require("versions")`; `node:` names are built-ins by definition
		// (undici loads `node:sqlite`, newer than Node 20's list, only when asked to).
		const required = new Set([...bundle.matchAll(/(?<![.\w$])require\(["']([^"']+)["']\)/g)].map((match) => match[1]!));
		const builtins = new Set(builtinModules);
		assert.deepEqual([...required].filter((name) => !name.startsWith('node:') && !builtins.has(name)), []);
	});
});
