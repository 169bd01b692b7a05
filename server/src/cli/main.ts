/**
 * The `cargo-trust` command: `check` for CI, `lsp` to serve other editors.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { limitHeapGrowth } from '../heapGrowth';
import { nodeEnvironment } from '../sources/environment';
import type { Logger } from '../sources/log';
import { startServer } from '../server';
import { toolVersion } from '../version';
import { runCheck } from './check';
import { parseArgs, usage } from './parseArgs';

const stderrLogger: Logger = {
	info: (message) => {
		if (process.env.CARGO_TRUST_LOG === 'info') process.stderr.write(`${message}\n`);
	},
	warn: (message) => process.stderr.write(`warning: ${message}\n`),
	error: (message) => process.stderr.write(`${message}\n`),
};

async function main(): Promise<number> {
	const args = parseArgs(process.argv.slice(2));
	if ('error' in args) {
		process.stderr.write(`cargo-trust: ${args.error}\n\n${usage}`);
		return 2;
	}
	switch (args.command) {
		case 'help':
			process.stdout.write(usage);
			return 0;
		case 'version':
			process.stdout.write(`cargo-trust ${toolVersion}\n`);
			return 0;
		case 'lsp': {
			limitHeapGrowth();
			const connection = createConnection(ProposedFeatures.all);
			startServer(connection, nodeEnvironment());
			connection.listen();
			return new Promise<number>(() => {});
		}
		case 'check': {
			const output = await runCheck(args, nodeEnvironment(), stderrLogger, process.stdout.isTTY === true);
			await new Promise<void>((resolve) => process.stdout.write(output.stdout, () => resolve()));
			return output.exitCode;
		}
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: Error) => {
		process.stderr.write(`cargo-trust: internal error: ${error.stack ?? error.message}\n`);
		process.exitCode = 2;
	},
);
