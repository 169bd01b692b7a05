/** wasmtime's real cargo-vet store (2024-01): every locked crates.io package gets a verdict, and the store reads cleanly. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditStatuses } from '../../server/src/engine/audits/auditStatus';
import { vetPasses } from '../../server/src/engine/audits/auditGraph';
import { membersOf } from '../../server/src/engine/audits/requirements';
import { analyzeWorkspace } from '../../server/src/engine/analyze';
import { buildAdvisoryIndex } from '../../server/src/engine/advisory/advisoryIndex';
import { known } from '../../server/src/engine/facts';
import { parseManifest } from '../../server/src/engine/manifest/parseManifest';
import { buildPolicy } from '../../server/src/engine/policy';
import { readWorkspace } from '../../server/src/sources/workspace/readWorkspace';
import { readAuditStore } from '../../server/src/sources/audits/readAuditStore';
import { sharedDataDir } from '../support/paths';

const dataDir = sharedDataDir();
const skip = dataDir ? false : '../shared/data is absent';

test('wasmtime-2024-01: every locked crates.io package gets an audit verdict', { skip }, async (t) => {
	const root = join(dataDir ?? '', 'workspaces', 'wasmtime-2024-01');
	const data = await readAuditStore(root, parseManifest(readFileSync(join(root, 'Cargo.toml'), 'utf8')).value.vetStorePath, []);
	assert.equal(data.status, 'known');
	if (data.status !== 'known') return;
	assert.deepEqual(data.store.files, [], 'the store parses without problems');
	assert.deepEqual(data.notes, []);
	const files = await readWorkspace(root);
	const facts = { advisories: known(buildAdvisoryIndex([]), 'test', null), release: () => undefined, unsafe: () => undefined };
	const analysis = analyzeWorkspace(files, facts, buildPolicy([]), new Date('2024-01-20T00:00:00Z'));
	const lockfile = analysis.lockfile!.lockfile;
	const { verdicts, index } = auditStatuses(data.store, lockfile, membersOf(analysis.manifests, lockfile));
	assert.deepEqual(index.problems, [], 'no unknown criteria or bad violations');
	const registry = lockfile.packages.filter((pkg) => pkg.source.kind === 'crates-io');
	assert.ok(registry.length > 300);
	let vetted = 0;
	let fully = 0;
	let exempted = 0;
	for (const pkg of registry) {
		const verdict = verdicts.get(pkg.index);
		assert.ok(verdict, `${pkg.name} ${pkg.version} has a verdict`);
		assert.ok(verdict.required.length > 0);
		if (!vetPasses(verdict)) continue;
		vetted++;
		if (verdict.required.every((name) => verdict.fullyAudited.includes(name))) fully++;
		else exempted++;
	}
	t.diagnostic(`${registry.length} crates.io packages: ${vetted} vetted, ${fully} fully audited, ${exempted} only with exemptions`);
	// wasmtime's CI runs `cargo vet`, so its own snapshot passes: every crates.io package is vetted.
	assert.equal(vetted, registry.length, `unvetted: ${registry.filter((pkg) => !vetPasses(verdicts.get(pkg.index)!)).map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
});
