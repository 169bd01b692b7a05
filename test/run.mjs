// Runs every bundled unit, protocol and CLI test with node:test (end-to-end tests run through `npm run test:e2e`).
// Node 20 does not expand globs in `--test` arguments, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
	const files = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (name !== 'e2e') files.push(...find(path));
		} else if (name.endsWith('.test.js')) {
			files.push(path);
		}
	}
	return files;
}

const files = find('out/test').sort();
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
