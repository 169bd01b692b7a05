// Runs the end-to-end scenarios: scripts/e2e/setup.sh (a no-op once everything is installed), then every bundled
// out/test/e2e/**/*.test.js with node:test, one file at a time (each starts its own code-server and Chromium,
// and two at once would saturate two cores). Expects ./cargo-trust.vsix and the bundled tests (node esbuild.mjs).
// Extra arguments go to node --test, e.g. `node test/e2e/run.mjs --test-name-pattern=hover`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(dir) {
	const files = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) files.push(...find(path));
		else if (name.endsWith('.test.js')) files.push(path);
	}
	return files;
}

// Everything below is relative to the repository root, wherever this is started from.
process.chdir(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'));

const setup = spawnSync('bash', ['scripts/e2e/setup.sh'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (setup.status !== 0) {
	console.error(`scripts/e2e/setup.sh failed (${setup.signal ?? setup.status})`);
	process.exit(1);
}
const codeServerDir = /^CODE_SERVER_DIR=(.+)$/m.exec(setup.stdout)?.[1];
if (!codeServerDir) {
	console.error(`scripts/e2e/setup.sh did not print CODE_SERVER_DIR=…; its output was:\n${setup.stdout}`);
	process.exit(1);
}

const vsix = resolve(process.env.CARGO_TRUST_E2E_VSIX ?? 'cargo-trust.vsix');
if (!existsSync(vsix)) {
	console.error(`No ${vsix}: build it first with \`npm run package\` (npm run test:e2e does).`);
	process.exit(1);
}
const testDir = 'out/test/e2e';
const files = existsSync(testDir) ? find(testDir).sort() : [];
if (files.length === 0) {
	console.error(`No scenarios in ${testDir}: bundle the tests first with \`node esbuild.mjs\`.`);
	process.exit(1);
}

const result = spawnSync(
	process.execPath,
	// --test-force-exit: a scenario that hangs past its timeout still ends its file's process, whose exit hook
	// kills any code-server process group left behind (test/e2e/support/processGroup.ts).
	['--test', '--test-concurrency=1', '--test-timeout=600000', '--test-force-exit', ...process.argv.slice(2), ...files],
	{ stdio: 'inherit', env: { ...process.env, CARGO_TRUST_E2E_CODE_SERVER: codeServerDir, CARGO_TRUST_E2E_VSIX: vsix } },
);
process.exit(result.status ?? 1);
