/**
 * What a file's diagnostics are while the user types: parse problems on held lines are not shown, and while the
 * file does not parse, findings it lost on untouched lines are kept from the previous publication, shifted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { diagnosticsToPublish, type Publication } from '../../../server/src/lsp/publishedDiagnostics';

const at = (line: number, code: string, message = code): Diagnostic => ({ range: { start: { line, character: 0 }, end: { line, character: 4 } }, code, message });
const brief = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line}-${d.range.end.line} ${String(d.code)}`).sort();
const never = (): boolean => false;

const good = '[dependencies]\ntime = "0.1"\nsmallvec = "1.6"\nmio = "0.8"\n';
const previous: Publication = { text: good, diagnostics: [at(1, 'RUSTSEC-2020-0071'), at(2, 'RUSTSEC-2021-0003'), at(3, 'RUSTSEC-2024-0019')] };

void describe('diagnosticsToPublish', () => {
	test('a file that parses publishes exactly the fresh diagnostics', () => {
		const text = good.replace('mio = "0.8"\n', '');
		assert.deepEqual(brief(diagnosticsToPublish(previous, text, [at(1, 'RUSTSEC-2020-0071')], never)), ['1-1 RUSTSEC-2020-0071']);
	});

	test('a parse problem on a held line is not shown; elsewhere it is', () => {
		const text = '[dependencies]\ninstant\ntime = "0.1"\n';
		const fresh = [at(1, 'toml-parse'), at(2, 'RUSTSEC-2020-0071')];
		assert.deepEqual(brief(diagnosticsToPublish(undefined, text, fresh, (line) => line === 1)), ['2-2 RUSTSEC-2020-0071']);
		assert.deepEqual(brief(diagnosticsToPublish(undefined, text, fresh, (line) => line === 5)), ['1-1 toml-parse', '2-2 RUSTSEC-2020-0071']);
	});

	test('while the file does not parse, lost findings of untouched lines are kept, shifted by the inserted line', () => {
		const text = '[dependencies]\ntime = "0.1"\n[broken\nsmallvec = "1.6"\nmio = "0.8"\n';
		// The new analysis lost smallvec and mio (below the broken header) but still has time.
		const fresh = [at(1, 'RUSTSEC-2020-0071'), at(2, 'toml-parse')];
		const shown = diagnosticsToPublish(previous, text, fresh, (line) => line === 2);
		assert.deepEqual(brief(shown), ['1-1 RUSTSEC-2020-0071', '3-3 RUSTSEC-2021-0003', '4-4 RUSTSEC-2024-0019']);
		// Kept again on the next keystroke, from what was published.
		const next = text.replace('[broken', '[broken.');
		assert.deepEqual(brief(diagnosticsToPublish({ text, diagnostics: shown }, next, fresh, (line) => line === 2)), brief(shown));
	});

	test('a finding on a line the edit changed is not kept', () => {
		const text = '[dependencies]\ntime = "0.1"\nsmallvec = \nmio = "0.8"\n';
		const fresh = [at(1, 'RUSTSEC-2020-0071'), at(2, 'toml-parse')];
		assert.deepEqual(brief(diagnosticsToPublish(previous, text, fresh, never)), ['1-1 RUSTSEC-2020-0071', '2-2 toml-parse', '3-3 RUSTSEC-2024-0019']);
	});
});
