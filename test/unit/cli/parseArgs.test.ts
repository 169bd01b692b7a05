/**
 * The command line as cli-report.md defines it: each flag sets exactly its own option.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseArgs, type CheckArgs } from '../../../server/src/cli/parseArgs';

const defaults: CheckArgs = {
	command: 'check',
	path: '.',
	format: 'text',
	offline: false,
	advisoryDb: undefined,
	cacheDir: undefined,
	failOn: 'error',
	allowUnknown: false,
	noProvenance: false,
	deepProvenance: false,
	suggest: false,
};

void describe('parseArgs', () => {
	const cases: [string[], Partial<CheckArgs>][] = [
		[['check'], {}],
		[['trust', 'check', 'ws'], { path: 'ws' }],
		[['check', '--format', 'json'], { format: 'json' }],
		[['check', '--format=sarif'], { format: 'sarif' }],
		[['check', '--offline'], { offline: true }],
		[['check', '--advisory-db', 'db', '--cache-dir=c'], { advisoryDb: 'db', cacheDir: 'c' }],
		[['check', '--fail-on', 'warning'], { failOn: 'warning' }],
		[['check', '--allow-unknown'], { allowUnknown: true }],
		[['check', '--no-provenance'], { noProvenance: true }],
		[['check', '--deep-provenance'], { deepProvenance: true }],
		// Each flag alone: --suggest must not also turn on the history fetch of --deep-provenance.
		[['check', '--suggest'], { suggest: true }],
	];
	for (const [argv, expected] of cases) {
		void it(argv.join(' '), () => assert.deepEqual(parseArgs(argv), { ...defaults, ...expected }));
	}

	void it('refuses what it does not know, with the reason', () => {
		assert.deepEqual(parseArgs(['check', '--format', 'xml']), { error: '--format must be text, json or sarif, not "xml"' });
		assert.deepEqual(parseArgs(['check', '--frobnicate']), { error: 'unknown option "--frobnicate"' });
		assert.deepEqual(parseArgs(['check', 'a', 'b']), { error: 'only one PATH may be given ("a" and "b")' });
		assert.deepEqual(parseArgs(['check', '--cache-dir']), { error: '--cache-dir needs a directory' });
		assert.deepEqual(parseArgs(['audit']), { error: 'unknown command "audit"' });
	});
});
