/**
 * One code-server per scenario, in a fresh run folder: its own profile, extensions, XDG folders, TMPDIR and
 * HOME, bound to 127.0.0.1 on a free port, in its own process group. Knows nothing about the browser.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { baseSettings, codeServerDir, codeServerVersion, restrictedSettings } from './config';
import { spawnGroup, stopGroup } from './processGroup';
import { waitFor } from './waitFor';

/** Folders of one run, all inside `root`. */
export interface RunLayout {
	root: string;
	userDataDir: string;
	extensionsDir: string;
	/** code-server writes its own and the extension host's logs (output channels included) below this. */
	logsDir: string;
	/** stdout and stderr of code-server itself. */
	serverLog: string;
}

export interface CodeServerOptions {
	layout: RunLayout;
	/** The .vsix files to install before starting. */
	vsixFiles: readonly string[];
	/** Extra user settings, applied over the harness defaults. */
	settings?: Record<string, unknown>;
	/** Workspace trust on and the folder untrusted (Restricted Mode). */
	restricted?: boolean;
	/** Extra environment for code-server and so for the extension host and the language server. */
	env?: Record<string, string>;
}

export interface RunningCodeServer {
	/** `http://127.0.0.1:<port>/` */
	baseUrl: string;
	/** The URL that opens `folder` in the workbench. */
	folderUrl(folder: string): string;
	/** The URL that opens a multi-root `.code-workspace` file. */
	workspaceUrl(file: string): string;
	/** Stops the whole process group and waits until it has exited. */
	stop(): Promise<void>;
}

export function createRunLayout(root: string): RunLayout {
	const layout: RunLayout = {
		root,
		userDataDir: join(root, 'user-data'),
		extensionsDir: join(root, 'extensions'),
		logsDir: join(root, 'user-data', 'logs'),
		serverLog: join(root, 'code-server.log'),
	};
	for (const dir of [layout.userDataDir, join(layout.userDataDir, 'User'), layout.extensionsDir, ...Object.values(runEnvDirs(root))]) {
		mkdirSync(dir, { recursive: true });
	}
	writeFileSync(join(root, 'config.yaml'), 'auth: none\ncert: false\n');
	return layout;
}

function runEnvDirs(root: string) {
	return {
		XDG_DATA_HOME: join(root, 'xdg-data'),
		XDG_CONFIG_HOME: join(root, 'xdg-config'),
		XDG_CACHE_HOME: join(root, 'xdg-cache'),
		TMPDIR: join(root, 'tmp'),
		// NOTE: a HOME of its own keeps the developer's ~/.cargo and ~/.config out of the run; scenarios that
		// want cargo data pass CARGO_HOME (or similar) through `env`.
		HOME: join(root, 'home'),
	};
}

function entryScript(): string {
	const dir = codeServerDir();
	const manifest = join(dir, 'package.json');
	if (!existsSync(manifest)) {
		throw new Error(`code-server is not installed at ${dir}; run scripts/e2e/setup.sh (test/e2e/run.mjs does).`);
	}
	const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
	if (version !== codeServerVersion) {
		throw new Error(`Expected code-server ${codeServerVersion} at ${dir}, found ${version}; run scripts/e2e/setup.sh.`);
	}
	return join(dir, 'out', 'node', 'entry.js');
}

/** The environment for every code-server invocation of a run. */
function runEnv(layout: RunLayout, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// NOTE: VSCODE_* (set when tests run from a VS Code terminal) would make --install-extension talk to that
		// editor instead; NODE_TEST_CONTEXT would make node:test in any child think it is a test subprocess.
		if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS') continue;
		env[key] = value;
	}
	return {
		...env,
		...runEnvDirs(layout.root),
		CODE_SERVER_CONFIG: join(layout.root, 'config.yaml'),
		// An empty gallery: code-server never contacts open-vsx.org.
		EXTENSIONS_GALLERY: '{}',
		...extra,
	};
}

function userDataArgs(layout: RunLayout): string[] {
	return ['--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir];
}

/** Installs a .vsix into the run's extensions folder (about 1 s). */
export async function installExtension(layout: RunLayout, vsix: string, env?: Record<string, string>): Promise<void> {
	if (!existsSync(vsix)) throw new Error(`No extension package at ${vsix}; build it first (npm run package).`);
	const args = [entryScript(), ...userDataArgs(layout), '--install-extension', vsix];
	try {
		const { stdout } = await promisify(execFile)(process.execPath, args, { env: runEnv(layout, env), timeout: 120_000 });
		if (!/successfully installed/i.test(stdout)) throw new Error(`unexpected output: ${stdout}`);
	} catch (error) {
		const detail = error as { message?: string; stdout?: string; stderr?: string };
		throw new Error(`Installing ${vsix} failed: ${detail.message}\n${detail.stdout ?? ''}${detail.stderr ?? ''}`, { cause: error });
	}
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

async function isHealthy(baseUrl: string): Promise<boolean> {
	try {
		const response = await fetch(new URL('healthz', baseUrl), { signal: AbortSignal.timeout(5_000) });
		await response.arrayBuffer();
		return response.ok;
	} catch {
		return false;
	}
}

/** Writes the settings, installs the extensions, starts code-server and waits until /healthz answers 200. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
	const { layout } = options;
	const settings = { ...baseSettings, ...(options.restricted ? restrictedSettings : {}), ...options.settings };
	writeFileSync(join(layout.userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, '\t')}\n`);
	// NOTE: the workbench is a remote window, where VS Code reads settings of `machine` and `machine-overridable`
	// scope (cargoTrust.network.offline, cargoTrust.advisoryDb.path, …) from the remote machine's settings and
	// filters them out of the user settings above. It usually still applied them from the user settings (they
	// were parsed before the extension's configuration was registered), but not always: once in about 40 starts
	// (after a window reload) the extension got the defaults and went online without the scenario's advisory
	// database. So the scenario's settings also go into code-server's machine settings
	// (<user-data>/Machine/settings.json, its remote `settingsPath`), where VS Code always reads them.
	mkdirSync(join(layout.userDataDir, 'Machine'), { recursive: true });
	writeFileSync(join(layout.userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(options.settings ?? {}, null, '\t')}\n`);
	for (const vsix of options.vsixFiles) await installExtension(layout, vsix, options.env);

	// The free port can be taken between probing and binding; a start that fails that way is retried on another.
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		try {
			return await startOnPort(options, port);
		} catch (error) {
			if (attempt >= 3 || !(error instanceof PortInUseError)) throw error;
		}
	}
}

class PortInUseError extends Error {}

async function startOnPort(options: CodeServerOptions, port: number): Promise<RunningCodeServer> {
	const { layout } = options;
	const baseUrl = `http://127.0.0.1:${port}/`;
	const args = [
		entryScript(),
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		'--disable-telemetry',
		'--disable-update-check',
		...(options.restricted ? [] : ['--disable-workspace-trust']),
		'--disable-getting-started-override',
		'--ignore-last-opened',
		'--locale', 'en',
		...userDataArgs(layout),
	];
	const logStart = existsSync(layout.serverLog) ? statSync(layout.serverLog).size : 0;
	const log = createWriteStream(layout.serverLog, { flags: 'a' });
	await new Promise((resolve) => log.once('open', resolve));
	log.write(`$ node ${args.join(' ')}\n`);
	const child = spawnGroup(process.execPath, args, { env: runEnv(layout, options.env), stdio: ['ignore', log, log] });
	const pgid = child.pid as number;
	let exited: string | undefined;
	child.once('exit', (code, signal) => (exited = `code-server exited (${signal ?? code}) before it was ready`));

	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			await stopGroup(pgid);
			await new Promise((resolve) => log.end(resolve));
		})());
	try {
		await waitFor(`code-server on ${baseUrl}healthz`, async () => {
			if (exited) throw new Error(exited);
			return isHealthy(baseUrl);
		}, (healthy) => healthy || exited !== undefined);
		if (exited) throw new Error(exited);
	} catch (error) {
		await stop();
		const output = readFileSync(layout.serverLog, 'utf8').slice(logStart);
		if (/EADDRINUSE/.test(output)) throw new PortInUseError(`port ${port} was taken`);
		throw new Error(`${(error as Error).message}\n--- ${layout.serverLog} ---\n${output.slice(-4000)}`, { cause: error });
	}
	return {
		baseUrl,
		folderUrl: (folder) => {
			const url = new URL(baseUrl);
			url.searchParams.set('folder', folder);
			return url.toString();
		},
		workspaceUrl: (file) => {
			const url = new URL(baseUrl);
			url.searchParams.set('workspace', file);
			return url.toString();
		},
		stop,
	};
}
