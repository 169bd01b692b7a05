/**
 * "Add Audit Sources": the registry's sources offered with the configured ones picked, and the setting written back
 * with the user's other entries (files, other URLs) kept in place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chosenSources, sourceItems } from '../../../client/src/addAuditSources';

const MOZILLA = 'https://raw.githubusercontent.com/mozilla/supply-chain/main/audits.toml';
const GOOGLE = 'https://raw.githubusercontent.com/google/supply-chain/main/audits.toml';

test('every registry source is offered (formats.md §4.3), the configured ones picked', () => {
	const items = sourceItems([MOZILLA, 'audits/local.toml']);
	assert.deepEqual(items.map((item) => item.label), ['actix', 'ariel-os', 'bytecode-alliance', 'embark-studios', 'fermyon', 'google', 'isrg', 'mozilla', 'zcash']);
	assert.deepEqual(items.filter((item) => item.picked).map((item) => item.url), [MOZILLA]);
});

test('the chosen URLs replace the registry entries; other entries are kept in their order', () => {
	assert.deepEqual(chosenSources(['audits/local.toml', MOZILLA, 'https://example.org/a.toml'], [GOOGLE]), ['audits/local.toml', 'https://example.org/a.toml', GOOGLE]);
	assert.deepEqual(chosenSources([MOZILLA], []), []);
});
