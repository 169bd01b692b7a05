/** Runs the bundled CLI as a user would, with a private environment. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface CliRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
	const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], {
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
		encoding: 'utf8',
	});
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
