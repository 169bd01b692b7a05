/**
 * What the report's `data.registries` says about each registry, tallied from every index read rather than from
 * the last one: a registry is `reachable` only when some answer was usable, `error` with the first failure's reason
 * when none was, and a reachable registry whose other answers failed says how many failed and why.
 * URLs and reasons are redacted here, at the one place they leave for the report.
 */
import { redactUrl, redactUrlsIn } from '../http/redactUrl';

export interface RegistryStatus {
	name: string;
	url: string | null;
	/** `reachable`: answered; `cache`: served from our disk cache; `offline`: no network allowed; `error`: see reason. */
	status: 'reachable' | 'cache' | 'offline' | 'error' | 'unused';
	reason: string | null;
}

interface Tally {
	url: string | null;
	/** A status that does not depend on answers (a configuration error, a directory source). */
	fixed: RegistryStatus | undefined;
	answered: number;
	fromCache: number;
	cacheReason: string | undefined;
	failed: number;
	firstFailure: string | undefined;
	offlineFailure: boolean;
}

export class RegistryStatusBook {
	private readonly tallies = new Map<string, Tally>();

	/** The registry's status does not depend on its answers (misconfigured, git index, directory source). */
	fixed(status: RegistryStatus): void {
		this.tally(status.name, status.url).fixed = status;
	}

	/** An index read the registry answered (data or a clean not-found). */
	answered(name: string, url: string): void {
		this.tally(name, url).answered++;
	}

	/** An index read served from the disk cache instead of the registry. */
	fromCache(name: string, url: string, reason: string): void {
		const tally = this.tally(name, url);
		tally.fromCache++;
		tally.cacheReason ??= reason;
	}

	/** An index read whose answer could not be used; `offline` when no request was allowed. */
	failed(name: string, url: string, reason: string, offline: boolean): void {
		const tally = this.tally(name, url);
		tally.failed++;
		tally.firstFailure ??= reason;
		tally.offlineFailure ||= offline;
	}

	statuses(offline: boolean): RegistryStatus[] {
		return [...this.tallies.entries()]
			.map(([name, tally]) => redacted(tally.fixed ?? summarise(name, tally, offline)))
			.sort((a, b) => a.name.localeCompare(b.name));
	}

	private tally(name: string, url: string | null): Tally {
		let tally = this.tallies.get(name);
		if (!tally) {
			tally = { url, fixed: undefined, answered: 0, fromCache: 0, cacheReason: undefined, failed: 0, firstFailure: undefined, offlineFailure: false };
			this.tallies.set(name, tally);
		}
		return tally;
	}
}

function summarise(name: string, tally: Tally, offline: boolean): RegistryStatus {
	const { url, answered, fromCache, failed, firstFailure } = tally;
	const failures = failed > 0 ? `${failed} of ${answered + fromCache + failed} index reads failed, first: ${firstFailure}` : null;
	if (answered > 0) return { name, url, status: 'reachable', reason: failures };
	if (fromCache > 0) return { name, url, status: offline ? 'offline' : 'cache', reason: [tally.cacheReason, failures].filter(Boolean).join('; ') };
	return { name, url, status: tally.offlineFailure ? 'offline' : 'error', reason: firstFailure ?? 'no index read completed' };
}

function redacted(status: RegistryStatus): RegistryStatus {
	return { ...status, url: status.url === null ? null : redactUrl(status.url), reason: status.reason === null ? null : redactUrlsIn(status.reason) };
}
