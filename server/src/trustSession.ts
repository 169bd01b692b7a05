/**
 * The glue the CLI and the language server share: it owns the data sources, reads a workspace,
 * and runs the pure engine over it. It knows nothing of LSP and never blocks on the network:
 * `analyze` uses whatever facts are loaded; loading happens through `advisoryDb.load()`.
 */
import type { Settings } from './protocol';
import { analyzeWorkspace, type WorkspaceAnalysis } from './engine/analyze';
import { buildPolicy, parseIgnoreSetting } from './engine/policy';
import { AdvisoryDatabase } from './sources/advisoryDb/advisoryDatabase';
import { cacheDir, cargoHome, type Environment } from './sources/environment';
import { readIgnoreFiles } from './sources/ignores/readIgnoreFiles';
import type { Logger } from './sources/log';
import { readWorkspace, type Overlay } from './sources/workspace/readWorkspace';
import { toolVersion } from './version';

export interface SessionOptions {
	environment: Environment;
	log: Logger;
	settings: Settings;
	/** False in an untrusted workspace; the LSP layer has already dropped restricted settings. */
	trusted: boolean;
	/** `--cache-dir`, or the editor's storage folder. */
	cacheDir: string | undefined;
	/** `--offline`. Settings and CARGO_NET_OFFLINE can also make the session offline. */
	offline: boolean;
	/** `--advisory-db`, which wins over the setting. */
	advisoryDbPath?: string;
}

export class TrustSession {
	readonly toolVersion = toolVersion;
	advisoryDb: AdvisoryDatabase;

	constructor(private options: SessionOptions) {
		this.advisoryDb = this.createAdvisoryDb();
	}

	get settings(): Settings {
		return this.options.settings;
	}

	get cargoHome(): string {
		return this.options.settings.cargoHome || cargoHome(this.options.environment);
	}

	get cacheDir(): string {
		return cacheDir(this.options.environment, this.options.cacheDir);
	}

	/** Offline from `--offline`, the setting, or cargo's CARGO_NET_OFFLINE. */
	get offline(): boolean {
		return this.options.offline || this.options.settings.network.offline || /^(true|1|yes)$/i.test(this.options.environment.env.CARGO_NET_OFFLINE ?? '');
	}

	/** Applies new settings; returns true when the advisory database had to be replaced (the caller reloads it). */
	updateSettings(settings: Settings): boolean {
		const before = JSON.stringify([this.options.settings.advisoryDb, this.options.settings.cargoHome, this.options.settings.network]);
		this.options = { ...this.options, settings };
		if (before === JSON.stringify([settings.advisoryDb, settings.cargoHome, settings.network])) return false;
		this.advisoryDb = this.createAdvisoryDb();
		return true;
	}

	async analyze(root: string, overlay?: Overlay): Promise<WorkspaceAnalysis> {
		const files = await readWorkspace(root, overlay);
		const ignores = [...parseIgnoreSetting(this.settings.advisories.ignore), ...(await readIgnoreFiles(root, this.cargoHome, this.options.log))];
		return analyzeWorkspace(files, { advisories: this.advisoryDb.current() }, buildPolicy(ignores));
	}

	private createAdvisoryDb(): AdvisoryDatabase {
		const { settings, environment, log } = this.options;
		return new AdvisoryDatabase({
			explicitPath: this.options.advisoryDbPath || settings.advisoryDb.path || undefined,
			cargoHome: this.cargoHome,
			cacheDir: this.cacheDir,
			url: settings.advisoryDb.url,
			offline: this.offline,
			maxAgeMs: settings.advisoryDb.maxAgeHours * 3600 * 1000,
			env: environment.env,
			now: () => environment.now(),
			log,
		});
	}
}
