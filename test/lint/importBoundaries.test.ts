/**
 * The ESLint rules that enforce docs/architecture.md's boundaries bite: every forbidden import in every layer is an
 * error, and the imports each layer legitimately uses are not. Runs the repository's own eslint.config.mjs.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/paths';

const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: join(repoRoot, 'eslint.config.mjs') });

/** The ids of the boundary rules that report on `text` as if it were the file at `file` (relative to the root). */
async function boundaryErrors(file: string, text: string): Promise<string[]> {
	const [result] = await eslint.lintText(text, { filePath: join(repoRoot, file) });
	assert.ok(result, `no lint result for ${file}`);
	const fatal = result.messages.filter((message) => message.fatal);
	assert.deepEqual(fatal, [], `${file} did not parse`);
	return result.messages.filter((message) => message.severity === 2 && /^no-restricted-/.test(message.ruleId ?? '')).map((message) => message.ruleId ?? '');
}

const forbidden: { file: string; text: string; rule: string }[] = [
	// The engine: no Node built-ins, no I/O layers, no LSP, no HTTP, no clock, no environment.
	{ file: 'server/src/engine/x.ts', text: "import { readFileSync } from 'node:fs';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { join } from 'path';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/report/x.ts', text: "import { relative } from 'node:path/posix';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { readFile } from 'fs/promises';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "export { pathToFileURL } from 'url';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import type { Environment } from '../sources/environment';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/rules/x.ts', text: "import { HttpClient } from '../../sources/http/httpClient';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { toDiagnostic } from '../lsp/convert';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { runCheck } from '../cli/check';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { TrustSession } from '../trustSession';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import type { Diagnostic } from 'vscode-languageserver';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { TextDocument } from 'vscode-languageserver-textdocument';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: "import { fetch } from 'undici';", rule: 'no-restricted-imports' },
	{ file: 'server/src/engine/x.ts', text: 'export const home = process.env.HOME;', rule: 'no-restricted-globals' },
	{ file: 'server/src/engine/x.ts', text: 'export const now = Date.now();', rule: 'no-restricted-syntax' },
	{ file: 'server/src/engine/x.ts', text: 'export const now = new Date();', rule: 'no-restricted-syntax' },
	{ file: 'server/src/engine/x.ts', text: "export const fs = import('node:fs');", rule: 'no-restricted-syntax' },
	// Sources: no LSP, and nothing from the layers above them.
	{ file: 'server/src/sources/http/x.ts', text: "import { Connection } from 'vscode-languageserver/node';", rule: 'no-restricted-imports' },
	{ file: 'server/src/sources/x.ts', text: "import { toDiagnostic } from '../lsp/convert';", rule: 'no-restricted-imports' },
	{ file: 'server/src/sources/registry/x.ts', text: "import { parseArgs } from '../../cli/parseArgs';", rule: 'no-restricted-imports' },
	// LSP only in lsp/ and the entry points.
	{ file: 'server/src/trustSession.ts', text: "import type { Connection } from 'vscode-languageserver';", rule: 'no-restricted-imports' },
	{ file: 'server/src/protocol.ts', text: "import type { Connection } from 'vscode-languageserver';", rule: 'no-restricted-imports' },
	{ file: 'server/src/cli/check.ts', text: "import type { Connection } from 'vscode-languageserver';", rule: 'no-restricted-imports' },
	// The client: only server/src/protocol.ts from the server.
	{ file: 'client/src/x.ts', text: "import { analyze } from '../../server/src/engine/analyze';", rule: 'no-restricted-imports' },
	{ file: 'client/src/x.ts', text: "import { settingsFrom } from '../../server/src/lsp/settings';", rule: 'no-restricted-imports' },
	{ file: 'client/src/x.ts', text: "import { toolVersion } from '../../server/src/version';", rule: 'no-restricted-imports' },
	{ file: 'client/src/x.ts', text: "import type { Connection } from 'vscode-languageserver';", rule: 'no-restricted-imports' },
];

const allowed: { file: string; text: string }[] = [
	{ file: 'server/src/engine/x.ts', text: "import { parseVersion } from './semver/version';\nimport { parseTOML } from 'toml-eslint-parser';" },
	{ file: 'server/src/engine/report/x.ts', text: "import type { Finding } from '../findings';\nimport { relativePath } from './reportPaths';" },
	{ file: 'server/src/engine/x.ts', text: 'export const at = (now: Date): Date => new Date(now.getTime() - 1);' },
	{ file: 'server/src/sources/http/x.ts', text: "import { readFile } from 'node:fs/promises';\nimport { request } from 'undici';\nimport type { Fact } from '../../engine/facts';" },
	{ file: 'server/src/lsp/x.ts', text: "import type { Connection } from 'vscode-languageserver';\nimport { analyze } from '../engine/analyze';" },
	{ file: 'server/src/server.ts', text: "import { TextDocuments } from 'vscode-languageserver';\nimport { TextDocument } from 'vscode-languageserver-textdocument';" },
	{ file: 'server/src/main.ts', text: "import { createConnection } from 'vscode-languageserver/node';" },
	{ file: 'server/src/cli/main.ts', text: "import { createConnection } from 'vscode-languageserver/node';\nimport { startServer } from '../server';" },
	{ file: 'client/src/x.ts', text: "import * as vscode from 'vscode';\nimport { LanguageClient } from 'vscode-languageclient/node';\nimport { ClientCommands } from '../../server/src/protocol';" },
];

describe('import boundaries (eslint.config.mjs)', () => {
	for (const { file, text, rule } of forbidden) {
		it(`${file}: ${text}`, async () => {
			assert.deepEqual(await boundaryErrors(file, text), [rule]);
		});
	}
	for (const { file, text } of allowed) {
		it(`${file} may: ${text.replace(/\n/g, ' ')}`, async () => {
			assert.deepEqual(await boundaryErrors(file, text), []);
		});
	}
});
