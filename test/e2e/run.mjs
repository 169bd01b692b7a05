// Runs the end-to-end scenarios: scripts/e2e/setup.sh (a no-op once everything is installed), then every bundled
// out/test/e2e/**/*.test.js with node:test, one file at a time (each starts its own code-server and Chromium,
// and two at once would saturate two cores). Expects ./cargo-trust.vsix (npm run package) and the bundled tests
// (node esbuild.mjs; npm run package alone bundles only dist/).
// Extra arguments go to node --test, e.g. `node test/e2e/run.mjs --test-name-pattern=hover`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(dir, suffix) {
	const files = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (name !== 'fixtures') files.push(...find(path, suffix));
		} else if (name.endsWith(suffix)) {
			files.push(path);
		}
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
// A bundle whose scenario has been deleted or renamed is left over from an earlier build: skip it.
const files = (existsSync(testDir) ? find(testDir, '.test.js').sort() : []).filter((file) => {
	const source = join('test', file.slice('out/test/'.length).replace(/\.js$/, '.ts'));
	if (!existsSync(source)) console.error(`Skipping ${file}: its source ${source} no longer exists.`);
	return existsSync(source);
});
if (files.length === 0) {
	console.error(`No scenarios in ${testDir}: bundle the tests first with \`node esbuild.mjs\`.`);
	process.exit(1);
}

// A scenario edited since the last bundle would silently run its old version.
const newestSource = find('test/e2e', '.ts').reduce((newest, file) => Math.max(newest, statSync(file).mtimeMs), 0);
const oldestBundle = files.reduce((oldest, file) => Math.min(oldest, statSync(file).mtimeMs), Infinity);
if (newestSource > oldestBundle) {
	console.error(`test/e2e has changed since ${testDir} was bundled: run \`node esbuild.mjs\` first.`);
	process.exit(1);
}

const result = spawnSync(
	process.execPath,
	// --test-force-exit: a scenario that hangs past its timeout still ends its file's process, whose exit hook
	// kills any code-server process group left behind (test/e2e/support/processGroup.ts).
	['--enable-source-maps', '--test', '--test-concurrency=1', '--test-timeout=600000', '--test-force-exit', ...process.argv.slice(2), ...files],
	{ stdio: 'inherit', env: { ...process.env, CARGO_TRUST_E2E_CODE_SERVER: codeServerDir, CARGO_TRUST_E2E_VSIX: vsix } },
);
process.exit(result.status ?? 1);
