/**
 * The data sources listed in the status: worded as the CLI's text report, and saying which checks were skipped
 * offline or with a registry failing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusSources } from '../../../server/src/lsp/statusSources';
import type { AdvisoryDbStatus } from '../../../server/src/sources/advisoryDb/advisoryDatabase';

const db: AdvisoryDbStatus = { status: 'known', path: '/db', updatedAt: '2026-01-02T00:00:00Z', reason: null, stale: false, skipped: [] };
const lines = (sources: ReturnType<typeof statusSources>): string[] => sources.map((s) => `${s.health} ${s.label}: ${s.state}`);

test('offline: the registry line counts the packages and the skipped checks are named', () => {
	const roots = [{ root: '/w', registries: [{ name: 'crates-io', url: null, status: 'offline' as const, reason: null }], packages: 583, fetching: false }];
	assert.deepEqual(lines(statusSources(db, false, roots, true)), [
		'ok Advisories: RustSec advisory-db at /db, updated 2026-01-02',
		'warning Registry crates-io: offline, 583 locked packages checked',
		'warning Skipped: release age, yanked and checksum checks (crates-io offline)',
	]);
});

test('a failing registry among several, in two workspaces; loading advisories', () => {
	const loading: AdvisoryDbStatus = { ...db, status: 'unknown', path: null, updatedAt: null, reason: 'the advisory database is loading' };
	const roots = [
		{ root: '/a', registries: [{ name: 'crates-io', url: null, status: 'reachable' as const, reason: null }, { name: 'corp', url: null, status: 'error' as const, reason: 'HTTP 503' }], packages: 10, fetching: false },
		{ root: '/b', registries: [], packages: undefined, fetching: true },
	];
	assert.deepEqual(lines(statusSources(loading, true, roots, false)), [
		'ok Advisories: loading…',
		'ok Registry crates-io (a): reachable',
		'error Registry corp (a): error (HTTP 503)',
		'ok Workspace (a): 10 locked packages checked',
		'warning Skipped (a): release age, yanked and checksum checks (corp error)',
	]);
});

test('advisory data unavailable is unknown with its reason', () => {
	const failed: AdvisoryDbStatus = { ...db, status: 'unknown', path: null, updatedAt: null, reason: 'offline, and no advisory database is on disk' };
	assert.deepEqual(lines(statusSources(failed, false, [], true)), ['warning Advisories: unknown (offline, and no advisory database is on disk)']);
});
