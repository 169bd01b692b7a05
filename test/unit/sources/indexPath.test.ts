/** Index file paths (formats.md §2.1), download URL markers, and config.json parsing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dirPrefix, indexPath } from '../../../server/src/sources/cratesIndex/indexPath';
import { dlUrl, parseRegistryConfig } from '../../../server/src/sources/cratesIndex/registryConfig';

test('index paths by name length, lowercased', () => {
	assert.equal(indexPath('a'), '1/a');
	assert.equal(indexPath('cc'), '2/cc');
	assert.equal(indexPath('syn'), '3/s/syn');
	assert.equal(indexPath('serde'), 'se/rd/serde');
	assert.equal(indexPath('base64'), 'ba/se/base64');
	assert.equal(indexPath('Inflector'), 'in/fl/inflector');
	assert.equal(indexPath('FOO'), '3/f/foo');
	assert.equal(indexPath('serde_json'), 'se/rd/serde_json');
	assert.equal(indexPath('a-b'), '3/a/a-b');
});

test('names cargo could not publish get no path, so none escapes the index', () => {
	for (const bad of ['', '../etc', 'a/b', 'a b', 'é', '.', 'x'.repeat(65)]) assert.equal(indexPath(bad), undefined, bad);
});

test('{prefix} keeps the case, {lowerprefix} does not', () => {
	assert.equal(dirPrefix('Inflector'), 'In/fl');
	assert.equal(dirPrefix('Syn'), '3/S');
	assert.equal(dirPrefix('cc'), '2');
	assert.equal(dirPrefix('a'), '1');
});

test('download URLs: every marker, and the default suffix when there is none', () => {
	const cksum = 'ab'.repeat(32);
	assert.equal(dlUrl({ dl: 'https://static.crates.io/crates' }, 'serde', '1.0.0', cksum), 'https://static.crates.io/crates/serde/1.0.0/download');
	assert.equal(dlUrl({ dl: 'https://crates.io/api/v1/crates' }, 'rand', '0.8.5', cksum), 'https://crates.io/api/v1/crates/rand/0.8.5/download');
	assert.equal(
		dlUrl({ dl: 'https://dl.example/{prefix}/{lowerprefix}/{crate}/{crate}-{version}.crate?sha={sha256-checksum}' }, 'Inflector', '0.11.4', cksum),
		`https://dl.example/In/fl/in/fl/Inflector/Inflector-0.11.4.crate?sha=${cksum}`,
	);
	assert.equal(dlUrl({ dl: 'https://dl.example/{crate}/{version}' }, 'syn', '2.0.0+build.1', cksum), 'https://dl.example/syn/2.0.0+build.1');
});

test('config.json: dl, api, auth-required', () => {
	assert.deepEqual(parseRegistryConfig('{"dl":"https://static.crates.io/crates","api":"https://crates.io"}'), {
		dl: 'https://static.crates.io/crates',
		api: 'https://crates.io',
		authRequired: false,
	});
	assert.deepEqual(parseRegistryConfig('{"dl":"https://d/","auth-required":true}'), { dl: 'https://d/', api: undefined, authRequired: true });
	assert.equal(typeof parseRegistryConfig('{"api":"https://x"}'), 'string');
	assert.equal(typeof parseRegistryConfig('not json'), 'string');
	assert.equal(typeof parseRegistryConfig('[]'), 'string');
});
