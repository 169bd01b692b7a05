/** Fix titles name the version, its reasons (known facts only) and the requirement it leaves (issue 15). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixTitle } from '../../../../server/src/engine/fixes/fixTitle';

test('fix titles', () => {
	const cases: [Parameters<typeof fixTitle>[0], string][] = [
		[{ action: 'pin', version: '1.23.0', reasons: ['audited safe-to-deploy by acme', '896 days old', 'no advisories'], leaves: undefined }, 'Pin to 1.23.0 (audited safe-to-deploy by acme, 896 days old, no advisories)'],
		[{ action: 'pin', version: '1.23.0', reasons: ['896 days old'], leaves: '1.24' }, 'Pin to 1.23.0 (896 days old, leaves "1.24")'],
		[{ action: 'upgrade', version: '1.25.1', reasons: [], leaves: undefined }, 'Upgrade to 1.25.1'],
	];
	for (const [fix, title] of cases) assert.equal(fixTitle(fix), title);
});
