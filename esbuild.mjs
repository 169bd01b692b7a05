// Bundles the shipped entry points into dist/ and every test file into out/test/.
// Tests are bundled too because toml-eslint-parser is ESM-only and the extension host loads CommonJS.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
// `--outdir=DIR` builds the shipped bundles elsewhere (the memory benchmark measures the minified server there).
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

function testEntries(dir) {
	const found = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (name !== 'fixtures' && name !== 'clientHost') found.push(...testEntries(path));
		} else if (/\.test\.ts$|^run[A-Z]\w*\.ts$/.test(name)) {
			found.push(path);
		}
	}
	return found;
}

const builds = [
	{ ...common, sourcemap: !production, minify: production, entryPoints: ['client/src/extension.ts'], outfile: join(outdir, 'client.js'), external: ['vscode'] },
	{ ...common, sourcemap: !production, minify: production, entryPoints: ['server/src/main.ts'], outfile: join(outdir, 'server.js') },
	{ ...common, sourcemap: !production, minify: production, entryPoints: ['server/src/cli/main.ts'], outfile: join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
];
if (!production) {
	builds.push({ ...common, sourcemap: 'inline', entryPoints: testEntries('test'), outdir: 'out/test', outbase: 'test', external: ['playwright-core', 'eslint'] });
	// The client's own bookkeeping, tested against recording fakes of the editor's API (the real editor: test/e2e/).
	builds.push({
		...common,
		sourcemap: 'inline',
		entryPoints: readdirSync('test/clientHost').filter((name) => name.endsWith('.test.ts')).map((name) => join('test/clientHost', name)),
		outdir: 'out/test/clientHost',
		alias: { vscode: './test/support/fakeVscode.ts', 'vscode-languageclient/node': './test/support/fakeLanguageClient.ts' },
	});
}
await Promise.all(builds.map((options) => esbuild.build(options)));
