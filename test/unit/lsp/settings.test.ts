/**
 * resolveSettings: each key validated on its own (a bad value falls back to its default with a warning, the other
 * keys still apply), and in restricted mode the settings that redirect paths or network traffic keep their defaults.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { defaultSettings, settingsSchema, type Settings } from '../../../server/src/protocol';
import { resolveSettings } from '../../../server/src/lsp/settings';
import type { Logger } from '../../../server/src/sources/log';

function resolve(raw: unknown, trusted = true): { settings: Settings; warnings: string[] } {
	const warnings: string[] = [];
	const log: Logger = { info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(`error: ${message}`) };
	return { settings: resolveSettings(raw, trusted, log), warnings };
}

/** `{ advisoryDb: { path: value } }` for `cargoTrust.advisoryDb.path`, as `workspace/configuration` sends it. */
function nested(key: string, value: unknown): object {
	return key
		.split('.')
		.slice(1)
		.reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as object;
}

function read(settings: Settings, key: string): unknown {
	return key
		.split('.')
		.slice(1)
		.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], settings);
}

const valid: Record<string, unknown> = {
	'cargoTrust.advisoryDb.path': '/srv/advisory-db',
	'cargoTrust.advisoryDb.url': 'https://git.example/advisory-db.git',
	'cargoTrust.advisoryDb.maxAgeHours': 0,
	'cargoTrust.advisories.ignore': ['RUSTSEC-2020-0071: not reachable'],
	'cargoTrust.network.offline': true,
	'cargoTrust.releaseAge.minimum': '72 hours',
	'cargoTrust.unsafe.warnAbove': 10,
	'cargoTrust.provenance.enabled': false,
	'cargoTrust.provenance.severity.modified': 'error',
	'cargoTrust.provenance.severity.dirty': 'off',
	'cargoTrust.provenance.severity.missing': 'hint',
	'cargoTrust.provenance.severity.trustpubMismatch': 'warning',
	'cargoTrust.audits.sources': ['audits/acme.toml'],
	'cargoTrust.audits.fetchImports': true,
	'cargoTrust.policy.requireAudits': 'always',
	'cargoTrust.policy.blockOn': ['vulnerability', 'unsound', 'unmaintained'],
	'cargoTrust.cargoHome': '/opt/cargo',
	'cargoTrust.trace.server': 'verbose',
};

const invalid: Record<string, unknown[]> = {
	'cargoTrust.advisoryDb.path': [42, null, ['/srv']],
	'cargoTrust.advisoryDb.url': [true, { url: 'x' }],
	'cargoTrust.advisoryDb.maxAgeHours': [-1, '24', null],
	'cargoTrust.advisories.ignore': ['RUSTSEC-2020-0071', ['RUSTSEC-2020-0071', 7], { 0: 'RUSTSEC-2020-0071' }],
	'cargoTrust.network.offline': ['true', 1],
	'cargoTrust.releaseAge.minimum': [7, false],
	'cargoTrust.unsafe.warnAbove': [-5, '10'],
	'cargoTrust.provenance.enabled': ['false', 0],
	'cargoTrust.provenance.severity.modified': ['Error', 1],
	'cargoTrust.provenance.severity.dirty': ['none', null],
	'cargoTrust.provenance.severity.missing': [true],
	'cargoTrust.provenance.severity.trustpubMismatch': ['fatal'],
	'cargoTrust.audits.sources': ['audits.toml', [7]],
	'cargoTrust.audits.fetchImports': ['true', 1],
	'cargoTrust.policy.requireAudits': ['sometimes', true],
	'cargoTrust.policy.blockOn': ['vulnerability', ['vulnerability', 'critical']],
	'cargoTrust.cargoHome': [0],
	'cargoTrust.trace.server': ['loud', 1],
};

describe('resolveSettings', () => {
	it('covers every key of the schema in these tables', () => {
		assert.deepEqual(Object.keys(valid).sort(), Object.keys(settingsSchema).sort());
		assert.deepEqual(Object.keys(invalid).sort(), Object.keys(settingsSchema).sort());
	});

	it('gives the defaults for nothing, or for something that is not an object', () => {
		for (const raw of [undefined, null, {}, 'cargoTrust', 7, []]) {
			const { settings, warnings } = resolve(raw);
			assert.deepEqual(settings, defaultSettings, JSON.stringify(raw));
			assert.deepEqual(warnings, []);
		}
	});

	for (const [key, value] of Object.entries(valid)) {
		it(`takes a valid ${key}`, () => {
			const { settings, warnings } = resolve(nested(key, value));
			assert.deepEqual(read(settings, key), value);
			assert.deepEqual(warnings, []);
			// Nothing else moved.
			for (const other of Object.keys(settingsSchema)) if (other !== key) assert.deepEqual(read(settings, other), read(defaultSettings, other), other);
		});
	}

	for (const [key, values] of Object.entries(invalid)) {
		for (const value of values) {
			it(`replaces an invalid ${key} (${JSON.stringify(value)}) by its default, and says so`, () => {
				const { settings, warnings } = resolve(nested(key, value));
				assert.deepEqual(read(settings, key), settingsSchema[key]!.default);
				assert.deepEqual(warnings, [`Setting ${key} has an invalid value ${JSON.stringify(value)}; using the default.`]);
			});
		}
	}

	it('keeps the valid keys when others are invalid', () => {
		const { settings, warnings } = resolve({ network: { offline: 'yes' }, unsafe: { warnAbove: 3 }, trace: { server: 'messages' } });
		assert.equal(settings.network.offline, false);
		assert.equal(settings.unsafe.warnAbove, 3);
		assert.equal(settings.trace.server, 'messages');
		assert.equal(warnings.length, 1);
	});

	it('does not share arrays with the defaults', () => {
		const { settings } = resolve({});
		settings.advisories.ignore.push('RUSTSEC-2020-0071');
		assert.deepEqual(defaultSettings.advisories.ignore, []);
	});

	describe('restricted mode (untrusted workspace)', () => {
		const restricted = Object.keys(settingsSchema).filter((key) => settingsSchema[key]!.restricted);

		it('restricts exactly the settings that redirect paths or network traffic', () => {
			assert.deepEqual(restricted.sort(), ['cargoTrust.advisoryDb.path', 'cargoTrust.advisoryDb.url', 'cargoTrust.audits.fetchImports', 'cargoTrust.audits.sources', 'cargoTrust.cargoHome']);
		});

		for (const key of restricted) {
			it(`ignores ${key} until the workspace is trusted`, () => {
				const untrusted = resolve(nested(key, valid[key]), false);
				assert.deepEqual(read(untrusted.settings, key), settingsSchema[key]!.default);
				assert.deepEqual(untrusted.warnings, [`Restricted mode: ${key} is ignored until the workspace is trusted.`]);
				const trusted = resolve(nested(key, valid[key]), true);
				assert.deepEqual(read(trusted.settings, key), valid[key]);
			});
		}

		it('applies the other settings, and says nothing about a restricted setting left at its default', () => {
			const raw = Object.keys(valid).reduce<Record<string, unknown>>((all, key) => mergeDeep(all, nested(key, restricted.includes(key) ? settingsSchema[key]!.default : valid[key])), {});
			const { settings, warnings } = resolve(raw, false);
			for (const key of Object.keys(valid)) assert.deepEqual(read(settings, key), restricted.includes(key) ? settingsSchema[key]!.default : valid[key], key);
			assert.deepEqual(warnings, []);
		});
	});
});

function mergeDeep(target: Record<string, unknown>, source: object): Record<string, unknown> {
	for (const [key, value] of Object.entries(source)) {
		target[key] = value && typeof value === 'object' && !Array.isArray(value) ? mergeDeep((target[key] as Record<string, unknown>) ?? {}, value) : value;
	}
	return target;
}
