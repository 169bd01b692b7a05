/**
 * The words of advisory findings: readable ranges, the first fix above the locked version, titles that do not repeat
 * the kind, what `cargo update -p` reaches, and requirements checked without a Cargo.lock (interval arithmetic).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAdvisoryIndex } from '../../../server/src/engine/advisory/advisoryIndex';
import { describeAlternatives, describeRange, firstFixAbove } from '../../../server/src/engine/advisory/describeRanges';
import { computeAffectedRanges } from '../../../server/src/engine/advisory/ranges';
import { requirementCoverage } from '../../../server/src/engine/advisory/requirementCoverage';
import type { Advisory } from '../../../server/src/engine/advisory/types';
import { analyzeWorkspace } from '../../../server/src/engine/analyze';
import { known } from '../../../server/src/engine/facts';
import { hoverAt } from '../../../server/src/engine/hoverText';
import type { LockedPackage } from '../../../server/src/engine/lockfile/types';
import { buildPolicy } from '../../../server/src/engine/policy';
import type { ReleaseFacts } from '../../../server/src/engine/release/types';
import { patchedUpdateWithinRequirements } from '../../../server/src/engine/release/updateReach';
import { advisoryMessage } from '../../../server/src/engine/rules/advisories';

function advisory(pkg: string, kind: Advisory['kind'], title: string, patched: string[], unaffected: string[] = []): Advisory {
	const ranges = computeAffectedRanges(patched, unaffected);
	assert.ok('ranges' in ranges);
	return {
		id: 'RUSTSEC-2026-0001', package: pkg, kind, title, description: '', date: '2026-01-01', url: undefined, aliases: [], related: [], categories: [], cvss: undefined,
		informational: undefined, withdrawn: undefined, patched, unaffected, affected: ranges.ranges, affectedFunctions: {}, affectedOs: [], affectedArch: [], source: undefined, file: '',
	};
}

const pkg = (name: string, version: string): LockedPackage => ({ name, version }) as LockedPackage;
const TIME = advisory('time', 'vulnerability', 'Potential segfault in the time crate', ['>= 0.2.23'], ['=0.2.0', '=0.2.1', '=0.2.2', '=0.2.3', '=0.2.4', '=0.2.5', '=0.2.6']);

void describe('advisory text', () => {
	test('ranges read as words, alternatives joined with "or"', () => {
		assert.equal(describeAlternatives(['>= 0.10.1', '>= 0.9.3, < 0.10.0', '>= 0.8.6, < 0.9.0']), '0.10.1 or later or 0.9.3 to before 0.10.0 or 0.8.6 to before 0.9.0');
		assert.equal(describeRange('^0.6.14'), '^0.6.14');
		assert.equal(describeRange('< 0.1.0'), 'before 0.1.0');
		assert.equal(describeRange('=0.2.0'), '0.2.0');
		assert.equal(describeRange('> 1.0.0, <= 1.2.0'), 'after 1.0.0 to 1.2.0');
	});

	test('"fixed in" is the smallest patched version above the locked one', () => {
		assert.equal(firstFixAbove(['^0.6.14', '>= 1.6.1'], '1.6.0'), '1.6.1');
		assert.equal(firstFixAbove(['^0.6.14', '>= 1.6.1'], '0.6.2'), '0.6.14');
		assert.equal(firstFixAbove(['>= 0.10.1', '>= 0.9.3, < 0.10.0'], '0.9.1'), '0.9.3');
		assert.equal(firstFixAbove(['< 0.1.0'], '0.3.0'), undefined);
	});

	test('messages: the useful part first, said once, no id, via without the crate itself', () => {
		assert.equal(advisoryMessage(pkg('time', '0.1.43'), TIME, []), 'time 0.1.43 vulnerable, fixed in 0.2.23: Potential segfault in the time crate');
		const mio = advisory('mio', 'vulnerability', 'Tokens for named pipes may be delivered after deregistration', ['>= 0.8.11']);
		assert.equal(advisoryMessage(pkg('mio', '0.8.4'), mio, ['tokio']), 'mio 0.8.4 (via tokio) vulnerable, fixed in 0.8.11: Tokens for named pipes may be delivered after deregistration');
		assert.equal(advisoryMessage(pkg('atty', '0.2.14'), advisory('atty', 'unsound', 'Potential unaligned read', []), []), 'atty 0.2.14 unsound, no fixed version: Potential unaligned read');
		assert.equal(advisoryMessage(pkg('instant', '0.1.12'), advisory('instant', 'unmaintained', '`instant` is unmaintained', []), []), 'instant 0.1.12 unmaintained');
		assert.equal(advisoryMessage(pkg('tsify-next', '0.5.0'), advisory('tsify-next', 'unmaintained', 'tsify-next is unmaintained, use tsify instead', []), []), 'tsify-next 0.5.0 unmaintained: use tsify instead');
		assert.equal(advisoryMessage(pkg('paste', '1.0.15'), advisory('paste', 'unmaintained', 'paste - no longer maintained', []), []), 'paste 1.0.15 unmaintained: paste - no longer maintained');
		const odd = advisory('x', 'vulnerability', 'T', ['< 0.1.0']);
		assert.equal(advisoryMessage(pkg('x', '0.3.0'), odd, []), 'x 0.3.0 vulnerable, patched before 0.1.0: T');
		assert.ok(advisoryMessage(pkg('x', '1.0.0'), advisory('x', 'vulnerability', 'y'.repeat(300), ['>= 2.0.0']), []).length < 130, 'long titles are cut');
	});

	test('`cargo update -p` reaches the newest caret-compatible, non-yanked release when it is patched', () => {
		const mio = advisory('mio', 'vulnerability', 'T', ['>= 0.8.11']);
		const release = (versions: [string, boolean][]) => known({ versions: versions.map(([version, yanked]) => ({ version, yanked, publishedAt: null, checksum: '0'.repeat(64), publisher: undefined })) } as unknown as ReleaseFacts, 'index', null);
		assert.equal(patchedUpdateWithinRequirements('0.8.4', release([['0.8.4', false], ['0.8.11', false], ['0.8.12', true], ['1.0.0', false]]), mio.affected), '0.8.11');
		assert.equal(patchedUpdateWithinRequirements('0.8.4', release([['0.8.4', false], ['0.8.10', false], ['0.9.0', false]]), mio.affected), undefined, 'not within 0.8');
		assert.equal(patchedUpdateWithinRequirements('0.8.4', undefined, mio.affected), undefined, 'offline: nothing said');
		assert.equal(
			advisoryMessage(pkg('mio', '0.8.4'), mio, ['tokio'], '0.8.11'),
			'mio 0.8.4 (via tokio) vulnerable, fixed in 0.8.11 (`cargo update -p mio` reaches 0.8.11): T',
		);
	});
});

void describe('requirements against advisories, without a Cargo.lock', () => {
	test('every release "0.1" allows is affected by RUSTSEC-2020-0071, some of "0.2" are, none of "0.3"', () => {
		assert.deepEqual(requirementCoverage('0.1', TIME.affected), { kind: 'all' });
		assert.deepEqual(requirementCoverage('=0.1.43', TIME.affected), { kind: 'all' });
		assert.deepEqual(requirementCoverage('0.2', TIME.affected), { kind: 'some', affected: ['0.2.7 to before 0.2.23'] });
		assert.deepEqual(requirementCoverage('>= 0.1.40, < 0.2.3', TIME.affected), { kind: 'some', affected: ['0.1.40 to before 0.2.0'] });
		assert.deepEqual(requirementCoverage('0.3', TIME.affected), { kind: 'none' });
		assert.deepEqual(requirementCoverage('~0.2.23', TIME.affected), { kind: 'none' });
		assert.deepEqual(requirementCoverage('>= 0.1', TIME.affected), { kind: 'some', affected: ['0.1.0 to before 0.2.0', '0.2.7 to before 0.2.23'] });
		assert.equal(requirementCoverage('not a requirement', TIME.affected), undefined);
	});

	test('a requirement wholly affected is a finding on the entry, one partly affected a note and a hover line', () => {
		const text = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ntime = "0.1"\n\n[dev-dependencies]\ntime = "0.2"\n';
		const facts = { advisories: known(buildAdvisoryIndex([TIME]), 'test', null), release: () => undefined, unsafe: () => undefined };
		const analysis = analyzeWorkspace({ root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text }], lockfile: undefined, problems: [] }, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
		const rows = analysis.findings.filter((f) => f.code === TIME.id).map((f) => [f.severity, text.slice(f.range.start, f.range.end), f.message]);
		assert.deepEqual(rows, [
			['error', 'time', 'every time version "0.1" allows is vulnerable: Potential segfault in the time crate'],
			['information', 'time', 'some time versions "0.2" allows are vulnerable (0.2.7 to before 0.2.23): Potential segfault in the time crate'],
		]);
		const card = hoverAt(analysis, '/ws/Cargo.toml', text.indexOf('time = "0.2"'))!.markdown;
		assert.match(card, /RUSTSEC-2026-0001.*: affects 0\.2\.7 to before 0\.2\.23/);
	});
});

void describe('path crates in hover', () => {
	test('advisories are not applicable, and zero files read is unknown unsafe, not a clean count', () => {
		const text = '[package]\nname = "app"\nversion = "0.1.0"\n';
		const lock = 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n';
		const counts = { blocks: 0, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 };
		const unsafe = known({ counts, files: 0, forbidsUnsafe: false, capabilities: { buildScript: false, procMacro: false, links: undefined }, anomalies: [], origin: 'path /ws' } as never, 'source', null);
		const facts = { advisories: known(buildAdvisoryIndex([TIME]), 'test', null), release: () => undefined, unsafe: () => unsafe };
		const analysis = analyzeWorkspace({ root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text }], lockfile: { path: '/ws/Cargo.lock', text: lock }, problems: [] }, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
		const card = hoverAt(analysis, '/ws/Cargo.lock', lock.indexOf('name = "app"'))!.markdown;
		assert.match(card, /\*\*RustSec advisories:\*\* not applicable \(not published\)/);
		assert.match(card, /\*\*Unsafe:\*\* unknown \(no Rust source files were read from path \/ws\)/);
		assert.doesNotMatch(card, /in 0 files/);
	});
});
