/**
 * Everything the client and the server agree on: settings, initialization options, command ids and custom messages.
 * No logic and no imports of server internals: the client imports only this file.
 */

/** Settings under `cargoTrust.`, as the server reads them (`workspace/configuration`, section `cargoTrust`). */
export interface Settings {
	advisoryDb: {
		/** A local RustSec advisory-db checkout to use instead of any other. */
		path: string;
		/** The git URL our own clone is made from. */
		url: string;
		/** Refresh our own clone in the background when it is older than this many hours. */
		maxAgeHours: number;
	};
	advisories: {
		/** Advisory ids to ignore, optionally with a reason after a colon: `RUSTSEC-2020-0071: not reachable`. */
		ignore: string[];
	};
	network: {
		/** Never touch the network; use only what is on disk. */
		offline: boolean;
	};
	releaseAge: {
		/** Minimum age of a release ("7 days", "72 hours", "0"), used where cargo's configuration sets none. */
		minimum: string;
	};
	unsafe: {
		/** Report packages with more `unsafe` uses than this as information; 0 is off. */
		warnAbove: number;
	};
	/** Cargo's home directory (default `$CARGO_HOME`, else `~/.cargo`). */
	cargoHome: string;
	trace: {
		server: 'off' | 'messages' | 'verbose';
	};
}

export interface SettingDescriptor {
	type: 'string' | 'number' | 'boolean' | 'array';
	default: unknown;
	description: string;
	scope: 'resource' | 'window' | 'machine-overridable' | 'machine';
	enum?: string[];
	minimum?: number;
	/** Settings that could redirect network traffic or paths: ignored in an untrusted workspace. */
	restricted?: boolean;
}

/** The single schema of every setting: package.json's `contributes.configuration` must match it (parity test). */
export const settingsSchema: Record<string, SettingDescriptor> = {
	'cargoTrust.advisoryDb.path': {
		type: 'string',
		default: '',
		scope: 'machine-overridable',
		restricted: true,
		description: 'A local RustSec advisory-db checkout to read. When empty: $CARGO_HOME/advisory-db (cargo-audit\'s clone, read-only) if present, else our own clone in the extension\'s storage.',
	},
	'cargoTrust.advisoryDb.url': {
		type: 'string',
		default: 'https://github.com/RustSec/advisory-db.git',
		scope: 'machine-overridable',
		restricted: true,
		description: 'Git URL our own clone of the RustSec advisory database is made from (https only; http only on loopback).',
	},
	'cargoTrust.advisoryDb.maxAgeHours': {
		type: 'number',
		default: 24,
		minimum: 0,
		scope: 'machine-overridable',
		description: 'Refresh our own clone of the advisory database in the background when it is older than this many hours.',
	},
	'cargoTrust.advisories.ignore': {
		type: 'array',
		default: [],
		scope: 'resource',
		description: 'RustSec advisory ids to ignore, optionally followed by a reason: "RUSTSEC-2020-0071: not reachable from our code". Ignores in .cargo/audit.toml and deny.toml are read too.',
	},
	'cargoTrust.network.offline': {
		type: 'boolean',
		default: false,
		// NOTE: not machine-overridable: in a remote window VS Code would then ignore the user's own "offline".
		scope: 'window',
		description: 'Never use the network: show what is on disk and mark everything else as unknown. CARGO_NET_OFFLINE and cargo\'s [net] offline are honoured too.',
	},
	'cargoTrust.releaseAge.minimum': {
		type: 'string',
		default: '7 days',
		scope: 'resource',
		description: 'Warn about locked versions younger than this ("7 days", "72 hours", "2 weeks", "0" for no minimum). Used only where cargo\'s own registry.global-min-publish-age or registries.NAME.min-publish-age sets nothing.',
	},
	'cargoTrust.unsafe.warnAbove': {
		type: 'number',
		default: 0,
		minimum: 0,
		scope: 'resource',
		description: 'Report a dependency whose published source has more `unsafe` uses (blocks, functions, impls, traits, extern blocks, attributes) than this, as an Information diagnostic. 0 turns it off.',
	},
	'cargoTrust.cargoHome': {
		type: 'string',
		default: '',
		scope: 'machine-overridable',
		restricted: true,
		description: 'Cargo\'s home directory. When empty: $CARGO_HOME, else ~/.cargo.',
	},
	'cargoTrust.trace.server': {
		type: 'string',
		default: 'off',
		enum: ['off', 'messages', 'verbose'],
		scope: 'window',
		description: 'Traces the communication between VS Code and the Cargo Trust language server.',
	},
};

export const defaultSettings: Settings = {
	advisoryDb: { path: '', url: 'https://github.com/RustSec/advisory-db.git', maxAgeHours: 24 },
	advisories: { ignore: [] },
	network: { offline: false },
	releaseAge: { minimum: '7 days' },
	unsafe: { warnAbove: 0 },
	cargoHome: '',
	trace: { server: 'off' },
};

/** Sent by the client in `initialize`. */
export interface InitializationOptions {
	/** Where the server keeps its caches (the extension's global storage). */
	cacheDir?: string;
	/** False in a restricted-mode (untrusted) workspace: settings that redirect paths or network traffic are ignored. */
	trusted?: boolean;
	/** Settings as known at start, so the first analysis does not wait for `workspace/configuration`. */
	settings?: unknown;
	/** How long a parse problem on the line being typed waits for the typing to pause (default 1000 ms); it shows on save anyway. */
	typingPauseMs?: number;
	/**
	 * The client sends `workspace/didChangeWatchedFiles` for every Cargo.toml and Cargo.lock inside the workspace
	 * folders, so the server keeps their texts between analyses and re-reads only the files reported changed.
	 */
	watchesCargoFiles?: boolean;
}

/** Commands the server executes (`workspace/executeCommand`). */
export const ServerCommands = {
	refreshData: 'cargoTrust.server.refreshData',
} as const;

/** Commands the client contributes in package.json. */
export const ClientCommands = {
	refreshData: 'cargoTrust.refreshData',
	restartServer: 'cargoTrust.restartServer',
	showLog: 'cargoTrust.showLog',
	showStatus: 'cargoTrust.showStatus',
} as const;

/** The `cargoTrust/status` notification is sent from the server to the client whenever the findings or the work in progress change. */
export const StatusNotification = 'cargoTrust/status';

export interface StatusParams {
	health: 'ok' | 'warning' | 'error';
	/** True when no load, fetch or scan is pending: the findings are final for now. */
	quiescent: boolean;
	counts: { error: number; warning: number; information: number };
	/** One line for people: what is going on or what is wrong. */
	message: string;
	/** True until the first analysis with advisory data (loaded, or known to be unavailable) is published: the counts mean nothing yet. */
	loading: boolean;
	/** Each data source and its state, as the CLI's text report lists them (`Registry crates-io: offline, 583 locked packages checked`). */
	sources: StatusSource[];
	/**
	 * How many document, file, folder and configuration notifications the server had received when it sent this
	 * status: a client that sent n of them knows a quiescent status with `received >= n` reflects all of them.
	 */
	received: number;
}

export interface StatusSource {
	/** `Advisories`, `Registry crates-io`, or what a workspace-level note is about. */
	label: string;
	/** Its state for people, e.g. `offline, 583 locked packages checked`. */
	state: string;
	health: 'ok' | 'warning' | 'error';
}
