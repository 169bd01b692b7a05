/**
 * The status bar's text: "loading…" before the first analysis with data (never "no findings" from nothing), the
 * counts after, and the data sources as the CLI's text report lists them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceLines, statusText } from '../../../client/src/statusText';
import type { StatusParams } from '../../../server/src/protocol';

const params = (over: Partial<StatusParams>): StatusParams => ({ health: 'ok', quiescent: true, fetching: false, counts: { error: 0, warning: 0, information: 0 }, message: '', loading: false, sources: [], received: 0, ...over });

test('loading shows no count, even a quiescent zero', () => {
	assert.equal(statusText(params({ loading: true })), '$(sync~spin) Cargo Trust: loading…');
	assert.equal(statusText(params({})), '$(shield) Cargo Trust: no findings');
	assert.equal(statusText(params({ counts: { error: 2, warning: 1, information: 0 } })), '$(error) Cargo Trust: 2 errors, 1 warning');
});

test('each data source is one line', () => {
	const sources: StatusParams['sources'] = [
		{ label: 'Advisories', state: 'RustSec advisory-db at /db', health: 'ok' },
		{ label: 'Registry crates-io', state: 'offline, 583 locked packages checked', health: 'warning' },
	];
	assert.deepEqual(sourceLines(params({ sources })), ['Advisories: RustSec advisory-db at /db', 'Registry crates-io: offline, 583 locked packages checked']);
});
