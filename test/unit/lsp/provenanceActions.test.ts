/**
 * The code action on `provenance-modified`: it runs the client's diff command with the package its data names,
 * and nothing is offered for other findings or malformed data.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { provenanceActions } from '../../../server/src/lsp/provenanceActions';
import { ClientCommands } from '../../../server/src/protocol';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const data = { package: 'demo@1.0.0', kind: 'provenance', name: 'demo', version: '1.0.0', modified: ['src/lib.rs'], added: [] };

describe('provenance code actions', () => {
	it('offers the diff on provenance-modified, with the package', () => {
		const diagnostic = { range, message: 'm', source: 'cargo-trust', code: 'provenance-modified', data };
		const [action, ...rest] = provenanceActions(diagnostic, 'file:///ws/Cargo.toml');
		assert.equal(rest.length, 0);
		assert.equal(action!.command!.command, ClientCommands.showProvenanceDiff);
		assert.deepEqual(action!.command!.arguments, [{ file: '/ws/Cargo.toml', name: 'demo', version: '1.0.0' }]);
		assert.deepEqual(action!.diagnostics, [diagnostic]);
	});

	it('offers nothing for other codes, other sources or data without the package', () => {
		assert.deepEqual(provenanceActions({ range, message: 'm', source: 'cargo-trust', code: 'provenance-dirty', data }, 'file:///ws/Cargo.toml'), []);
		assert.deepEqual(provenanceActions({ range, message: 'm', source: 'other', code: 'provenance-modified', data }, 'file:///ws/Cargo.toml'), []);
		assert.deepEqual(provenanceActions({ range, message: 'm', source: 'cargo-trust', code: 'provenance-modified', data: { kind: 'provenance', name: 1 } }, 'file:///ws/Cargo.toml'), []);
		assert.deepEqual(provenanceActions({ range, message: 'm', source: 'cargo-trust', code: 'provenance-modified' }, 'file:///ws/Cargo.toml'), []);
	});
});
