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
	provenance: {
		/** Compare packages with their repositories (git fetches); false turns provenance off for the root. */
		enabled: boolean;
		/** Severity of each provenance finding; `off` hides it. */
		severity: Record<'modified' | 'dirty' | 'missing' | 'trustpubMismatch', ProvenanceSeveritySetting>;
	};
	audits: {
		/** audits.toml files (paths relative to the workspace root, or https:// URLs) to trust besides the workspace's cargo-vet store. */
		sources: string[];
		/** Fetch the store's `[imports]` URLs (cached, ETag) instead of using imports.lock's copies. */
		fetchImports: boolean;
	};
	policy: {
		/** `auto`: audits are required when the workspace has a cargo-vet store or audits.sources is set. */
		requireAudits: 'auto' | 'always' | 'never';
		/** Advisory kinds that make a version fail the trust policy. */
		blockOn: ('vulnerability' | 'unsound' | 'unmaintained' | 'notice')[];
	};
	/** Cargo's home directory (default `$CARGO_HOME`, else `~/.cargo`). */
	cargoHome: string;
	trace: {
		server: 'off' | 'messages' | 'verbose';
	};
}

export type ProvenanceSeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

const provenanceSeverities: ProvenanceSeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface SettingDescriptor {
	type: 'string' | 'number' | 'boolean' | 'array';
	default: unknown;
	description: string;
	scope: 'resource' | 'window' | 'machine-overridable' | 'machine';
	enum?: string[];
	/** For arrays: the values each item may take. */
	itemEnum?: string[];
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
	'cargoTrust.provenance.enabled': {
		type: 'boolean',
		default: true,
		scope: 'resource',
		description: 'Compare each published dependency with its repository at the commit recorded in .cargo_vcs_info.json (one shallow, blob-less git fetch per repository). false: no git runs for this folder, no provenance findings, and the hover says provenance is turned off.',
	},
	'cargoTrust.provenance.severity.modified': {
		type: 'string',
		default: 'warning',
		enum: provenanceSeverities,
		scope: 'resource',
		description: 'Severity of `provenance-modified`: files of a published dependency that differ from, or are missing in, its repository at the commit recorded in .cargo_vcs_info.json. "off" hides it.',
	},
	'cargoTrust.provenance.severity.dirty': {
		type: 'string',
		default: 'information',
		enum: provenanceSeverities,
		scope: 'resource',
		description: 'Severity of `provenance-dirty`: a dependency published from a work tree with uncommitted changes. "off" hides it.',
	},
	'cargoTrust.provenance.severity.missing': {
		type: 'string',
		default: 'information',
		enum: provenanceSeverities,
		scope: 'resource',
		description: 'Severity of `provenance-missing`: a dependency whose provenance cannot be verified (no .cargo_vcs_info.json, no package.repository, or a commit its repository does not have). "off" hides it.',
	},
	'cargoTrust.provenance.severity.trustpubMismatch': {
		type: 'string',
		default: 'error',
		enum: provenanceSeverities,
		scope: 'resource',
		description: 'Severity of `provenance-trustpub-mismatch`: crates.io\'s Trusted Publishing record names another commit than the package\'s .cargo_vcs_info.json. "off" hides it.',
	},
	'cargoTrust.audits.sources': {
		type: 'array',
		default: [],
		scope: 'resource',
		restricted: true,
		description: 'cargo-vet audits.toml files to trust: paths relative to the workspace root, or https:// URLs (fetched, cached and revalidated; offline the cached copy is used). For projects without a cargo-vet store of their own. Setting this makes audits required (see cargoTrust.policy.requireAudits).',
	},
	'cargoTrust.audits.fetchImports': {
		type: 'boolean',
		default: false,
		scope: 'resource',
		restricted: true,
		description: 'Fetch the audits of the cargo-vet store\'s [imports] from their URLs (cached, revalidated with ETag) instead of using the copies in imports.lock. Offline or on failure, the cached copy or imports.lock is used, and the report says so.',
	},
	'cargoTrust.policy.requireAudits': {
		type: 'string',
		default: 'auto',
		enum: ['auto', 'always', 'never'],
		scope: 'resource',
		description: 'Whether a locked version must be vetted by cargo-vet audits you trust to pass the trust policy. auto: when the workspace has a cargo-vet store or cargoTrust.audits.sources is set.',
	},
	'cargoTrust.policy.blockOn': {
		type: 'array',
		default: ['vulnerability', 'unsound'],
		itemEnum: ['vulnerability', 'unsound', 'unmaintained', 'notice'],
		scope: 'resource',
		description: 'RustSec advisory kinds that make a version fail the trust policy (and get a pin or upgrade fix). Withdrawn and ignored advisories never count.',
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
	provenance: { enabled: true, severity: { modified: 'warning', dirty: 'information', missing: 'information', trustpubMismatch: 'error' } },
	audits: { sources: [], fetchImports: false },
	policy: { requireAudits: 'auto', blockOn: ['vulnerability', 'unsound'] },
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
	/** "Stop Fetching": the same as cancelling the fetching progress (queued fetches dropped, running ones finish). */
	cancelFetching: 'cargoTrust.server.cancelFetching',
} as const;

/** Commands the client contributes in package.json. */
export const ClientCommands = {
	refreshData: 'cargoTrust.refreshData',
	/** Drops the queued fact fetches (the fetching progress has no cancel button in VS Code's status bar). */
	stopFetching: 'cargoTrust.stopFetching',
	restartServer: 'cargoTrust.restartServer',
	showLog: 'cargoTrust.showLog',
	showStatus: 'cargoTrust.showStatus',
	/** Arguments: one ProvenancePackageArgs (from the hover or the code action); without, the package is asked for. */
	showProvenanceDiff: 'cargoTrust.showProvenanceDiff',
	/** Arguments: one ProvenancePackageArgs (from the hover): checks that the package's commit is on a branch or tag. */
	checkCommitReachable: 'cargoTrust.checkCommitReachable',
	addAuditSources: 'cargoTrust.addAuditSources',
	/** Arguments: one UpdateLockfileArgs (from a pin/upgrade code action): types the command in a terminal, never runs it. */
	updateLockfile: 'cargoTrust.updateLockfile',
} as const;

/** "Update Cargo.lock": the `cargo update -p NAME@LOCKED --precise X.Y.Z` to type, in the workspace root. */
export interface UpdateLockfileArgs {
	command: string;
	cwd: string;
}

/** cargo-vet's registry of well-known audit sources, offered by "Add Audit Sources" (a constant the client may import). */
export { KNOWN_AUDIT_SOURCES } from './engine/audits/knownSources';

/** A package of a workspace, as the hover's command link and the code action name it: `file` is any file of the workspace. */
export interface ProvenancePackageArgs {
	file: string;
	name: string;
	version: string;
}

/** Request: the files of a package that differ from its repository, or are only in the package. */
export const ProvenanceDiffFilesRequest = 'cargoTrust/provenanceDiffFiles';
export type ProvenanceDiffFilesResult = { modified: string[]; added: string[]; repository: string; commit: string } | { error: string };

/** Request: one file of either side of a provenance diff, as text. */
export const ProvenanceFileRequest = 'cargoTrust/provenanceFile';
export interface ProvenanceFileParams extends ProvenancePackageArgs {
	path: string;
	side: 'published' | 'repository';
}
export type ProvenanceFileResult = { text: string; absent?: true } | { error: string };

/** Request: check now whether the package's recorded commit is on a branch or tag (imposter commits); the hover then shows it. */
export const CheckCommitReachableRequest = 'cargoTrust/checkCommitReachable';
export type CheckCommitReachableResult = { reachable: boolean | null; via: string | null; reason: string | null } | { error: string };

/** The scheme of the client's read-only documents holding either side of a provenance diff. */
export const ProvenanceScheme = 'cargo-trust-provenance';

/** The `cargoTrust/status` notification is sent from the server to the client whenever the findings or the work in progress change. */
export const StatusNotification = 'cargoTrust/status';

export interface StatusParams {
	health: 'ok' | 'warning' | 'error';
	/** True when no load, fetch or scan is pending: the findings are final for now. */
	quiescent: boolean;
	/** True while facts are being fetched in the background (the cancellable fetching progress is shown): "Stop Fetching" has something to stop. */
	fetching: boolean;
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

/**
 * How the client starts the server process. The server keeps its V8 heap small itself (`server/src/heapGrowth.ts`),
 * whoever starts it; what only the process's starter can set is glibc's allocator: at most two malloc arenas instead
 * of one per thread that allocates (ignored elsewhere), 5 to 10 MB less on wasmtime (docs/performance.md).
 */
export const serverProcess = {
	env: { MALLOC_ARENA_MAX: '2' },
} as const;
