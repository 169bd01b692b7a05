/**
 * The data sources behind the findings and their state, for the status bar's tooltip and its summary: the advisory
 * database and each registry, worded as the CLI's text report words them. Offline or with a registry failing, it
 * says which checks were skipped, so missing release data does not pass for a clean workspace.
 */
import { basename } from 'node:path';
import type { StatusSource } from '../protocol';
import type { AdvisoryDbStatus } from '../sources/advisoryDb/advisoryDatabase';
import type { RegistryStatus } from '../sources/registry/registryClients';

export interface RootSummary {
	root: string;
	registries: readonly RegistryStatus[];
	/** Locked packages of the last analysis; undefined before the first one. */
	packages: number | undefined;
	/** The background fetch of registry data is running. */
	fetching: boolean;
}

export function advisorySource(db: AdvisoryDbStatus, loading: boolean): StatusSource {
	if (db.status === 'known') {
		const updated = db.updatedAt ? `, updated ${db.updatedAt.slice(0, 10)}` : '';
		return { label: 'Advisories', state: `RustSec advisory-db at ${db.path}${updated}${db.reason ? ` (${db.reason})` : ''}`, health: db.stale ? 'warning' : 'ok' };
	}
	return loading ? { label: 'Advisories', state: 'loading…', health: 'ok' } : { label: 'Advisories', state: `unknown (${db.reason})`, health: 'warning' };
}

export function statusSources(db: AdvisoryDbStatus, dbLoading: boolean, roots: readonly RootSummary[], offline: boolean): StatusSource[] {
	const sources = [advisorySource(db, dbLoading)];
	for (const summary of roots) {
		// Several workspaces in one window: say which one each line is about.
		const where = roots.length > 1 ? ` (${basename(summary.root)})` : '';
		const checked = summary.packages === undefined ? undefined : `${summary.packages} locked packages checked`;
		const registries = summary.registries.filter((registry) => registry.status !== 'unused');
		for (const registry of registries) {
			const state = `${registry.status}${registry.reason ? ` (${registry.reason})` : ''}${registries.length === 1 && checked ? `, ${checked}` : ''}`;
			sources.push({ label: `Registry ${registry.name}${where}`, state, health: registry.status === 'error' ? 'error' : registry.status === 'offline' ? 'warning' : 'ok' });
		}
		if (registries.length !== 1 && checked) sources.push({ label: `Workspace${where}`, state: summary.fetching ? `${checked}, fetching registry data…` : checked, health: 'ok' });
		const failing = registries.filter((registry) => registry.status === 'offline' || registry.status === 'error');
		const why = failing.length ? failing.map((registry) => `${registry.name} ${registry.status}`).join(', ') : offline && registries.length === 0 && !summary.fetching && summary.packages ? 'offline' : undefined;
		if (why) sources.push({ label: `Skipped${where}`, state: `release age, yanked and checksum checks (${why})`, health: 'warning' });
	}
	return sources;
}
