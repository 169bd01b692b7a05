/**
 * Provenance in the engine: the findings each verdict gives (codes, severities, messages naming the first files,
 * the data the diff command needs), the Trusted Publishing commit check, configurable severities, forge links,
 * and the hover section (verdicts, links only to known forges, hostile file names and URLs rendered literally).
 */
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../../../../server/src/engine/analyze';
import { buildAdvisoryIndex } from '../../../../server/src/engine/advisory/advisoryIndex';
import { known, unknown, type Fact } from '../../../../server/src/engine/facts';
import { hoverAt } from '../../../../server/src/engine/hoverText';
import type { LockedPackage } from '../../../../server/src/engine/lockfile/types';
import { buildPolicy } from '../../../../server/src/engine/policy';
import { commitUrl, normalizeRepositoryUrl } from '../../../../server/src/engine/provenance/forge';
import type { ProvenanceFacts } from '../../../../server/src/engine/provenance/types';
import type { Publisher, ReleaseFacts } from '../../../../server/src/engine/release/types';
import { assessProvenance, defaultProvenanceSeverities } from '../../../../server/src/engine/rules/provenance';

const SHA = 'c55597a6bd3fbd5b2ad5c1a0b0e1c6e9b3bb7a01';
const OTHER = 'ffffffffffffffffffffffffffffffffffffffff';
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

const pkg: LockedPackage = {
	index: 1,
	name: 'memchr',
	version: '2.5.0',
	source: { kind: 'crates-io', raw: CRATES_IO },
	checksum: 'a'.repeat(64),
	dependencies: [],
	headerRange: { start: 0, end: 11 },
	nameRange: { start: 19, end: 26 },
	range: { start: 0, end: 60 },
};

function verdict(overrides: Partial<ProvenanceFacts> = {}): ProvenanceFacts {
	return { status: 'verified', repository: 'https://github.com/BurntSushi/memchr', commit: SHA, pathInVcs: '', dirty: false, modified: [], added: [], reason: null, repositorySymlinks: [], skipped: [], ...overrides };
}

function trustpub(sha: string | null): Fact<ReleaseFacts> {
	const publisher: Publisher = { kind: 'trusted-publishing', provider: 'github', repository: 'BurntSushi/memchr', runId: null, sha };
	return known({ registry: 'crates.io', registryKey: 'crates-io', publishedAt: unknown('x'), yanked: false, indexChecksum: undefined, versions: [], publisher: known(publisher, 'api', null), previous: undefined, minimumAge: undefined, origin: 'index' }, 'index', null);
}

describe('provenance findings', () => {
	it('modified: a warning naming the first three files and how many more, carrying the files, repository and commit', () => {
		const [issue, ...rest] = assessProvenance(pkg, known(verdict({ status: 'modified', modified: ['a.rs', 'b.rs', 'c.rs', 'd.rs'], added: ['build.rs'] }), 'r', null), undefined);
		assert.equal(rest.length, 0);
		assert.equal(issue!.code, 'provenance-modified');
		assert.equal(issue!.severity, 'warning');
		assert.match(issue!.message, /differs from its repository in a\.rs, b\.rs, c\.rs and 1 more; and has files its repository does not: build\.rs/);
		assert.deepEqual(issue!.data, { signal: 'provenance', kind: 'provenance', name: 'memchr', version: '2.5.0', repository: 'https://github.com/BurntSushi/memchr', commit: SHA, pathInVcs: '', modified: ['a.rs', 'b.rs', 'c.rs', 'd.rs'], added: ['build.rs'] });
	});

	const cases: { status: ProvenanceFacts['status']; code?: string; severity?: string }[] = [
		{ status: 'verified' },
		{ status: 'dirty', code: 'provenance-dirty', severity: 'information' },
		{ status: 'no-vcs-info', code: 'provenance-missing', severity: 'information' },
		{ status: 'no-repository', code: 'provenance-missing', severity: 'information' },
		{ status: 'commit-not-found', code: 'provenance-missing', severity: 'information' },
		// Not the package's fault or not final: hover says why, no finding.
		{ status: 'unreachable' },
		{ status: 'unsupported-repository' },
		{ status: 'error' },
	];
	for (const c of cases) {
		it(`${c.status}: ${c.code ?? 'no finding'}`, () => {
			const issues = assessProvenance(pkg, known(verdict({ status: c.status, reason: c.status === 'verified' || c.status === 'dirty' ? null : `because ${c.status}` }), 'r', null), undefined);
			assert.deepEqual(issues.map((i) => [i.code, i.severity]), c.code ? [[c.code, c.severity]] : []);
			if (c.code === 'provenance-missing') assert.match(issues[0]!.message, new RegExp(`cannot be verified: because ${c.status}`));
		});
	}

	it('unknown or missing provenance gives no finding (hover says unknown)', () => {
		assert.deepEqual(assessProvenance(pkg, undefined, undefined), []);
		assert.deepEqual(assessProvenance(pkg, unknown('offline'), undefined), []);
	});

	it('Trusted Publishing from another commit than .cargo_vcs_info.json is an error; the same commit (any case) or no sha is none', () => {
		const mismatch = assessProvenance(pkg, known(verdict(), 'r', null), trustpub(OTHER));
		assert.deepEqual(mismatch.map((i) => [i.code, i.severity]), [['provenance-trustpub-mismatch', 'error']]);
		assert.match(mismatch[0]!.message, /github Trusted Publishing from commit ffffffffffff, but its \.cargo_vcs_info\.json records commit c55597a6bd3f/);
		assert.deepEqual(assessProvenance(pkg, known(verdict(), 'r', null), trustpub(SHA.toUpperCase())), []);
		assert.deepEqual(assessProvenance(pkg, known(verdict(), 'r', null), trustpub(null)), []);
	});

	it('severities are configurable per code, and off drops the finding', () => {
		const severities = { ...defaultProvenanceSeverities, 'provenance-modified': 'error' as const, 'provenance-dirty': 'off' as const };
		assert.deepEqual(assessProvenance(pkg, known(verdict({ status: 'modified', modified: ['x'] }), 'r', null), undefined, severities).map((i) => i.severity), ['error']);
		assert.deepEqual(assessProvenance(pkg, known(verdict({ status: 'dirty', dirty: true }), 'r', null), undefined, severities), []);
	});

	it('analyze places the finding on the dependency and the Cargo.lock entry, with its data', () => {
		const a = workspace(verdict({ status: 'modified', modified: ['src/lib.rs'] }));
		const found = a.findings.filter((f) => f.code === 'provenance-modified');
		assert.deepEqual(found.map((f) => f.file).sort(), ['/ws/Cargo.lock', '/ws/Cargo.toml']);
		for (const f of found) assert.deepEqual((f.data as { modified: string[] }).modified, ['src/lib.rs']);
	});
});

describe('forge links', () => {
	it('normalises browsing suffixes and .git to the repository', () => {
		assert.equal(normalizeRepositoryUrl('https://github.com/o/r/tree/main/crates/x'), 'https://github.com/o/r');
		assert.equal(normalizeRepositoryUrl('https://github.com/o/r.git'), 'https://github.com/o/r');
		assert.equal(normalizeRepositoryUrl('https://github.com/o/r/'), 'https://github.com/o/r');
		assert.equal(normalizeRepositoryUrl('https://gitlab.com/g/sub/r/-/tree/main'), 'https://gitlab.com/g/sub/r');
		assert.equal(normalizeRepositoryUrl('https://codeberg.org/o/r/src/branch/main'), 'https://codeberg.org/o/r');
		assert.equal(normalizeRepositoryUrl('https://example.org/git/r.git'), 'https://example.org/git/r.git');
	});

	it('links commits on GitHub, GitLab, Codeberg and sourcehut only', () => {
		assert.equal(commitUrl('https://github.com/o/r/tree/main/x', SHA), `https://github.com/o/r/commit/${SHA}`);
		assert.equal(commitUrl('https://gitlab.com/g/r', SHA), `https://gitlab.com/g/r/-/commit/${SHA}`);
		assert.equal(commitUrl('https://codeberg.org/o/r.git', SHA), `https://codeberg.org/o/r/commit/${SHA}`);
		assert.equal(commitUrl('https://git.sr.ht/~o/r', SHA), `https://git.sr.ht/~o/r/commit/${SHA}`);
		assert.equal(commitUrl('https://example.org/o/r', SHA), undefined);
		assert.equal(commitUrl('https://github.com/o/r)x', SHA), undefined);
		assert.equal(commitUrl('https://github.com/o/r', 'not-a-sha'), undefined);
	});
});

const MarkdownIt = createRequire(__filename)('markdown-it') as new (options: object) => { render(text: string): string; linkify: { set(options: object): void } };
const renderer = new MarkdownIt({ html: true, linkify: true });
renderer.linkify.set({ fuzzyLink: false });

function workspace(provenance: ProvenanceFacts | Fact<ProvenanceFacts>): WorkspaceAnalysis {
	const manifest = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nmemchr = "2"\n';
	const lock = `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["memchr"]\n\n[[package]]\nname = "memchr"\nversion = "2.5.0"\nsource = "${CRATES_IO}"\n`;
	const fact = 'status' in provenance && (provenance.status === 'unknown' || 'value' in provenance) ? (provenance as Fact<ProvenanceFacts>) : known(provenance as ProvenanceFacts, 'r', null);
	const facts = {
		advisories: known(buildAdvisoryIndex([]), 'db', null),
		release: (): undefined => undefined,
		unsafe: (): undefined => undefined,
		provenance: (p: LockedPackage): Fact<ProvenanceFacts> | undefined => (p.name === 'memchr' ? fact : undefined),
	};
	return analyzeWorkspace({ root: '/ws', manifests: [{ path: '/ws/Cargo.toml', text: manifest }], lockfile: { path: '/ws/Cargo.lock', text: lock }, problems: [] }, facts, buildPolicy([]), new Date('2026-12-01T00:00:00Z'));
}

function card(a: WorkspaceAnalysis): string {
	const text = a.texts.get('/ws/Cargo.toml')!;
	return hoverAt(a, '/ws/Cargo.toml', text.indexOf('memchr ='))!.markdown;
}

describe('provenance in hover', () => {
	it('verified: the commit linked on GitHub, and no diff link', () => {
		const html = renderer.render(card(workspace(verdict())));
		assert.match(html, /verified/);
		assert.match(html, new RegExp(`<a href="https://github.com/BurntSushi/memchr/commit/${SHA}">c55597a6bd3f</a>`));
		assert.doesNotMatch(html, /command:cargoTrust\.showProvenanceDiff/);
	});

	it('links the on-demand branch-or-tag check, then shows its answer', () => {
		const link = /\[Check that this commit is on a branch or tag\]\(command:cargoTrust\.checkCommitReachable\?([^)]+)\)/.exec(card(workspace(verdict())));
		assert.ok(link);
		assert.deepEqual(JSON.parse(decodeURIComponent(link[1]!)), [{ file: '/ws/Cargo.lock', name: 'memchr', version: '2.5.0' }]);
		assert.match(card(workspace(verdict({ reachability: { reachable: true, via: 'refs/tags/2.5.0', reason: null } }))), /On a branch or tag: `refs\/tags\/2\.5\.0`/);
		const imposter = card(workspace(verdict({ reachability: { reachable: false, via: null, reason: null } })));
		assert.match(imposter, /On no branch or tag\*\* of the repository: the commit may come from a fork/);
		assert.doesNotMatch(imposter, /checkCommitReachable/);
		assert.match(card(workspace(verdict({ reachability: { reachable: null, via: null, reason: 'offline' } }))), /Branches and tags: unknown \(offline\) · \[Check that this commit/);
	});

	it('modified: the first files, the repository symlink, the skipped count, and the diff command', () => {
		const markdown = card(workspace(verdict({ status: 'modified', modified: ['README.md', 'src/lib.rs'], added: ['evil.rs'], repositorySymlinks: ['README.md'], skipped: [{ path: 'link', reason: 'symbolic link' }] })));
		assert.match(markdown, /\*\*modified\*\*/);
		assert.match(markdown, /Differ from the repository: `README.md`, `src\/lib.rs`/);
		assert.match(markdown, /Only in the published package: `evil.rs`/);
		assert.match(markdown, /The repository holds a symbolic link at `README.md`/);
		assert.match(markdown, /1 entry not compared \(`link`: symbolic link\)/);
		const command = /\[Show the differences\]\(command:cargoTrust\.showProvenanceDiff\?([^)]+)\)/.exec(markdown);
		assert.ok(command, markdown);
		assert.deepEqual(JSON.parse(decodeURIComponent(command[1]!)), [{ file: '/ws/Cargo.lock', name: 'memchr', version: '2.5.0' }]);
	});

	it('an unknown forge gets no link; unknown verdicts say why', () => {
		const other = card(workspace(verdict({ repository: 'https://example.org/o/r' })));
		assert.doesNotMatch(renderer.render(other), /<a href="https/);
		assert.match(card(workspace(verdict({ status: 'commit-not-found', modified: null, added: null, reason: 'no such commit' }))), /the recorded commit is not in the repository · commit `c55597a6bd3f` of .* {2}\nno such commit/);
		assert.match(card(workspace(unknown('offline: not fetched'))), /\*\*Provenance:\*\* unknown \(offline: not fetched\)/);
	});

	it('hostile repository URLs, file names and reasons are rendered literally', () => {
		const hostile = '[x](https://evil.example/) <img src=x> `a` *e*\n\n# h';
		const markdown = card(workspace(verdict({ status: 'modified', repository: `https://github.com/o/r/${hostile}`, modified: [hostile], added: [hostile], repositorySymlinks: [hostile], skipped: [{ path: hostile, reason: hostile }] })));
		const html = renderer.render(markdown);
		assert.doesNotMatch(html, /evil\.example[^<]*<\/a>|<a[^>]*evil|<img|<h1/);
		for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) assert.match(href!, /^(command:cargoTrust\.|https:\/\/github\.com\/o\/r\/commit\/[0-9a-f]{40}$)/);
		assert.match(card(workspace(verdict({ status: 'error', modified: null, added: null, reason: hostile }))), /\\\[x\\\]/);
	});
});
