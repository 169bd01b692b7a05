/** Runs the bundled CLI as a user would, with a private environment. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface CliRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

const cli = join(repoRoot, 'dist', 'cli.js');
const baseEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env });

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
	const result = spawnSync(process.execPath, [cli, ...args], { env: baseEnv(env), encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** For tests whose servers run in this process: a synchronous spawn would block them and deadlock. */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [cli, ...args], { env: baseEnv(env) });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}
