// ESLint: the recommended rules, plus import boundaries that keep docs/architecture.md's invariants true.
// Formatting is left alone on purpose: no stylistic rules.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
	paths: builtinModules.map((name) => ({ name, message: 'The engine does no I/O: Node built-ins belong in server/src/sources/.' })),
	patterns: [{ group: ['node:*'], message: 'The engine does no I/O: Node built-ins belong in server/src/sources/.' }],
};
const languageServer = {
	group: ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-*'],
	message: 'Only server/src/lsp/ (and the entry points that wire it) knows LSP.',
};
const undici = { group: ['undici', 'undici/*'], message: 'The engine does no I/O: HTTP goes through server/src/sources/http/.' };
/** A relative import that leaves for one of these top-level server directories or files. */
function leavingFor(names, message) {
	return { regex: `^\\.\\.?/(?:\\.\\./)*(?:${names.join('|')})(?:/|$)`, message };
}

/** One `no-restricted-imports` rule per layer: ESLint replaces, not merges, a rule's options across blocks. */
function restrict({ paths = [], patterns = [] }) {
	return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default defineConfig(
	{ ignores: ['node_modules/', 'dist/', 'out/', '.e2e/', 'test-results/', 'examples/', 'test/fixtures/'] },
	js.configs.recommended,
	tseslint.configs.recommended,
	{
		// The only plain JavaScript is Node scripts (esbuild.mjs, test runners); TypeScript leaves globals to tsc.
		languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
		rules: {
			// `_`-prefixed parameters and destructured leftovers are deliberate (tsc's noUnusedParameters agrees).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
	// Nothing outside lsp/ and the entry points that wire it speaks LSP. server/src/cli/main.ts is such an entry:
	// `cargo-trust lsp` creates the connection and hands it to server.ts, as server/src/main.ts does.
	{
		files: ['server/src/**/*.ts', 'client/**/*.ts'],
		ignores: ['server/src/lsp/**', 'server/src/server.ts', 'server/src/main.ts', 'server/src/cli/main.ts'],
		rules: restrict({ patterns: [languageServer] }),
	},
	{
		files: ['server/src/sources/**/*.ts'],
		rules: restrict({ patterns: [languageServer, leavingFor(['lsp', 'cli'], 'Sources are used by the engine, the server and the CLI, never the other way round.')] }),
	},
	{
		files: ['server/src/engine/**/*.ts'],
		rules: restrict({
			paths: nodeBuiltins.paths,
			patterns: [
				...nodeBuiltins.patterns,
				languageServer,
				undici,
				leavingFor(['sources', 'lsp', 'cli', 'trustSession', 'server', 'main'], 'The engine is pure: it is handed data and imports nothing that does I/O or speaks LSP.'),
			],
		}),
	},
	{
		// The engine reads no clock and no environment (they come through the injected Environment) and is synchronous.
		files: ['server/src/engine/**/*.ts'],
		rules: {
			'no-restricted-globals': ['error', ...['process', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'require'].map((name) => ({ name, message: 'The engine does no I/O and reads no environment.' }))],
			'no-restricted-syntax': [
				'error',
				{ selector: 'ImportExpression', message: 'The engine is synchronous and pure: no dynamic imports.' },
				{ selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The engine reads no clock: take `now` from its input.' },
				{ selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The engine reads no clock: take `now` from its input.' },
			],
		},
	},
	{
		files: ['client/**/*.ts'],
		rules: restrict({
			patterns: [
				languageServer,
				{ regex: '(?:^|/)server/(?!src/protocol(?:\\.ts)?$)', message: 'The client is thin: it imports nothing from the server but server/src/protocol.ts.' },
			],
		}),
	},
);
