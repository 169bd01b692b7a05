/**
 * What a scenario leaves in test-results/: a screenshot per step, and on failure the logs that explain it
 * (the extension's "Cargo Trust" output channel, the extension host, code-server and the browser console).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { resultsDir } from './config';

/** The extension's output channel; with `{ log: true }` the extension host writes it to `<publisher>.<name>/Cargo Trust.log`. */
export const outputChannelName = 'Cargo Trust';

/** Lowercase kebab-case, safe in a file name. */
export function slug(name: string): string {
	const slugged = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
	if (!slugged) throw new Error(`"${name}" has no letters or digits to name a file after`);
	return slugged;
}

export function resultPath(fileName: string): string {
	mkdirSync(resultsDir, { recursive: true });
	return join(resultsDir, fileName);
}

/** A still of the page; animations are disabled, otherwise a hover is captured half faded in. */
export async function screenshot(page: Page, fileName: string): Promise<string> {
	const path = resultPath(fileName);
	await page.screenshot({ path, animations: 'disabled' });
	return path;
}

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const found: string[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) found.push(...filesUnder(path));
		else found.push(path);
	}
	return found;
}

/**
 * The extension's output channel files. A log channel is `exthost<N>/<publisher>.<name>/<channel>.log`;
 * a plain channel is `exthost<N>/output_logging_<time>/<index>-<channel>.log`.
 */
export function findOutputChannelLogs(logsDir: string, channel: string = outputChannelName): string[] {
	return filesUnder(logsDir).filter((file) => {
		const name = basename(file);
		return name === `${channel}.log` || (name.endsWith(`-${channel}.log`) && /\/output_logging_[^/]+\/\d+-/.test(file));
	});
}

export interface LogSources {
	/** code-server's logs folder (`<user-data>/logs`): one folder per start, each with `exthost1/`. */
	logsDir: string;
	/** stdout and stderr of code-server. */
	serverLog: string;
	/** Console messages and page errors of the workbench. */
	browserLog: readonly string[];
}

/**
 * Copies the logs of a run into test-results/: `<scenario>-cargo-trust.log` (the output channel; numbered
 * if the extension host restarted), `<scenario>-exthost.log` (activation errors, extension host crashes),
 * `<scenario>-browser.log`, and the whole code-server logs folder with code-server's own output as `<scenario>-logs/`. Returns the paths written. Never throws: it runs while a
 * failure is being reported.
 */
export function collectLogs(scenario: string, sources: LogSources): string[] {
	const written: string[] = [];
	const attempt = (what: string, write: () => void) => {
		try {
			write();
		} catch (error) {
			console.error(`Could not collect ${what}: ${(error as Error).message}`);
		}
	};
	attempt('the output channel', () => {
		const channels = findOutputChannelLogs(sources.logsDir);
		channels.forEach((file, index) => {
			const target = resultPath(`${scenario}-cargo-trust${index === 0 ? '' : `-${index + 1}`}.log`);
			cpSync(file, target);
			written.push(target);
		});
		if (channels.length === 0) {
			const target = resultPath(`${scenario}-cargo-trust.log`);
			writeFileSync(target, `No "${outputChannelName}" output channel log under ${sources.logsDir}: the extension never created it (not activated?).\n`);
			written.push(target);
		}
	});
	attempt('the extension host log', () => {
		// code-server runs the extension host on the server side: `<logs>/<time>/exthost1/remoteexthost.log`.
		const hosts = filesUnder(sources.logsDir).filter((file) => /^(remote)?exthost\.log$/.test(basename(file)));
		hosts.forEach((file, index) => {
			const target = resultPath(`${scenario}-exthost${index === 0 ? '' : `-${index + 1}`}.log`);
			cpSync(file, target);
			written.push(target);
		});
	});
	attempt('the browser console', () => {
		const target = resultPath(`${scenario}-browser.log`);
		writeFileSync(target, sources.browserLog.join('\n') + '\n');
		written.push(target);
	});
	attempt('the code-server logs', () => {
		const target = resultPath(`${scenario}-logs`);
		if (existsSync(sources.logsDir)) cpSync(sources.logsDir, target, { recursive: true });
		if (existsSync(sources.serverLog)) cpSync(sources.serverLog, join(target, 'code-server.log'));
		written.push(target);
	});
	return written.map((path) => relative(process.cwd(), path));
}
