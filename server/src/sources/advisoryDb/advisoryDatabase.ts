/**
 * Chooses, loads and refreshes the RustSec advisory database:
 * the explicit path (setting or --advisory-db), else cargo-audit's clone in $CARGO_HOME (read-only),
 * else our own shallow clone in the cache dir, refreshed in the background when older than the configured age.
 * `current()` never waits: it answers with what is loaded, or unknown with the reason.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAdvisoryIndex, type AdvisoryIndex } from '../../engine/advisory/advisoryIndex';
import { known, unknown, type Fact } from '../../engine/facts';
import type { Logger } from '../log';
import { headCommitTime, lastFetchedAt, syncAdvisoryClone } from './cloneAdvisoryDb';
import { readAdvisoryDb } from './readAdvisoryDb';

export const defaultAdvisoryDbUrl = 'https://github.com/RustSec/advisory-db.git';
/** cargo-audit's STALE_AFTER. */
const staleAfterMs = 90 * 24 * 3600 * 1000;

export interface AdvisoryDbOptions {
	/** `cargoTrust.advisoryDb.path` or `--advisory-db`. */
	explicitPath: string | undefined;
	cargoHome: string;
	cacheDir: string;
	url: string;
	offline: boolean;
	maxAgeMs: number;
	env: Readonly<Record<string, string | undefined>>;
	now: () => Date;
	log: Logger;
}

/** What the report's `data.advisoryDb` says. */
export interface AdvisoryDbStatus {
	status: 'known' | 'unknown';
	path: string | null;
	updatedAt: string | null;
	reason: string | null;
	stale: boolean;
	/** Entries that were skipped: files that failed to parse, and entries that are not regular files in the database. */
	skipped: { file: string; error: string }[];
}

export class AdvisoryDatabase {
	private fact: Fact<AdvisoryIndex> = unknown('the advisory database is loading');
	private status: AdvisoryDbStatus = { status: 'unknown', path: null, updatedAt: null, reason: 'the advisory database is loading', stale: false, skipped: [] };
	private loading: Promise<void> | undefined;

	constructor(private readonly options: AdvisoryDbOptions) {}

	current(): Fact<AdvisoryIndex> {
		return this.fact;
	}

	currentStatus(): AdvisoryDbStatus {
		return this.status;
	}

	/**
	 * Loads what is on disk, then, for our own clone, syncs it when missing or older than the configured age.
	 * `onLoaded` runs each time new data is in place (the LSP layer refreshes diagnostics there).
	 * Concurrent calls share one load.
	 */
	load(onLoaded: () => void = () => {}, force = false): Promise<void> {
		this.loading ??= this.doLoad(onLoaded, force).finally(() => {
			this.loading = undefined;
		});
		return this.loading;
	}

	private async doLoad(onLoaded: () => void, force: boolean): Promise<void> {
		const { explicitPath, cargoHome, cacheDir, log } = this.options;
		if (explicitPath) {
			if (!(await isDir(explicitPath))) return this.fail(`the advisory database path ${explicitPath} does not exist`);
			return this.read(explicitPath, onLoaded);
		}
		const auditClone = join(cargoHome, 'advisory-db');
		if (await isDir(join(auditClone, 'crates'))) return this.read(auditClone, onLoaded);

		const ownClone = join(cacheDir, 'advisory-db');
		const hasClone = await isDir(join(ownClone, 'crates'));
		if (hasClone) await this.read(ownClone, onLoaded);
		if (this.options.offline) {
			if (!hasClone) this.fail('offline, and no advisory database is on disk (set cargoTrust.advisoryDb.path, or run cargo audit once while online)');
			return;
		}
		const fetchedAt = await lastFetchedAt(ownClone);
		const age = fetchedAt ? this.options.now().getTime() - fetchedAt.getTime() : Infinity;
		if (hasClone && !force && age < this.options.maxAgeMs) return;
		log.info(`${hasClone ? 'Refreshing' : 'Cloning'} the advisory database from ${this.options.url}`);
		const outcome = await syncAdvisoryClone(this.options.url, ownClone, this.options.env);
		if (outcome.status === 'error') {
			log.warn(outcome.reason);
			// Offline or unreachable: a clone we already have stays in use, as it is.
			if (!hasClone) this.fail(outcome.reason);
			return;
		}
		await this.read(ownClone, onLoaded);
	}

	private async read(dir: string, onLoaded: () => void): Promise<void> {
		const { log, cacheDir, env, now } = this.options;
		let contents;
		try {
			contents = await readAdvisoryDb(dir, cacheDir, log);
		} catch (error) {
			return this.fail(`the advisory database at ${dir} could not be read: ${(error as Error).message}`);
		}
		const updated = contents.commit ? await headCommitTime(dir, env) : undefined;
		const stale = updated !== undefined && now().getTime() - updated.getTime() > staleAfterMs;
		const updatedAt = updated?.toISOString() ?? null;
		const origin = `RustSec advisory-db at ${dir}${contents.commit ? ` (commit ${contents.commit.slice(0, 10)})` : ''}`;
		this.fact = known(buildAdvisoryIndex(contents.advisories), origin, updatedAt, stale);
		this.status = { status: 'known', path: dir, updatedAt, reason: stale ? 'the database has not been updated for more than 90 days' : null, stale, skipped: contents.errors };
		log.info(`Loaded ${contents.advisories.length} advisories from ${dir}${contents.errors.length ? ` (${contents.errors.length} skipped)` : ''}`);
		onLoaded();
	}

	private fail(reason: string): void {
		this.options.log.warn(`Advisory data unavailable: ${reason}`);
		this.fact = unknown(reason);
		this.status = { status: 'unknown', path: null, updatedAt: null, reason, stale: false, skipped: [] };
	}
}

async function isDir(path: string): Promise<boolean> {
	return stat(path).then((s) => s.isDirectory(), () => false);
}
