/**
 * The hover card renders every crate-, registry- and database-supplied string literally: a hostile value in any
 * field must not become a link, an image, HTML or a new block. Checked by rendering the Markdown with a real
 * CommonMark renderer (HTML and autolinks on, the most permissive setting).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { Advisory } from '../../../server/src/engine/advisory/types';
import { buildAdvisoryIndex } from '../../../server/src/engine/advisory/advisoryIndex';
import { analyzeWorkspace, type WorkspaceAnalysis, type PackageTrust } from '../../../server/src/engine/analyze';
import { known, unknown, type Fact } from '../../../server/src/engine/facts';
import { hoverAt } from '../../../server/src/engine/hoverText';
import { mdCode, mdText } from '../../../server/src/engine/markdown';
import { buildPolicy } from '../../../server/src/engine/policy';
import type { Publisher, ReleaseFacts } from '../../../server/src/engine/release/types';
import type { UnsafeFacts } from '../../../server/src/engine/unsafe/types';

const MarkdownIt = createRequire(__filename)('markdown-it') as new (options: object) => { render(text: string): string; linkify: { set(options: object): void } };
const renderer = new MarkdownIt({ html: true, linkify: true });
// Autolinks as GitHub and VS Code make them (`https://`, `www.`), not bare domains: our own text says crates.io.
renderer.linkify.set({ fuzzyLink: false });

/** What a hostile crate, registry or advisory could write: a code-span break-out, links, an image, HTML, a heading. */
const LINK = '[Update foo now](https://evil.example/)';
const HOSTILE = `a\`\`b\`](https://evil.example/x) ${LINK} <img src=x onerror=alert(1)> ![p](https://evil.example/p.png) https://evil.example www.evil.example *e* _u_ | &lt; \\\n\n# Heading\n[r]: https://evil.example`;

const v = (version: string, yanked: boolean) => ({ version, yanked, publishedAt: null, checksum: '0'.repeat(64), publisher: undefined });
const MANIFEST = '/ws/Cargo.toml';
const LOCKFILE = '/ws/Cargo.lock';
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';
const NOW = new Date('2026-12-01T00:00:00Z');

function advisory(id: string, pkg: string, extra: Partial<Advisory> = {}): Advisory {
	return {
		id,
		package: pkg,
		kind: 'vulnerability',
		title: 'Title',
		description: '',
		date: '2026-01-01',
		url: undefined,
		aliases: ['CVE-2026-0001'],
		related: [],
		categories: [],
		cvss: undefined,
		informational: undefined,
		withdrawn: undefined,
		patched: ['>= 9.0.0'],
		unaffected: ['< 0.0.1'],
		affected: [{ introduced: '0.0.1', fixed: '9.0.0' }],
		affectedFunctions: { 'direct::f': ['>= 0.0.1'] },
		affectedOs: ['linux'],
		affectedArch: ['x86_64'],
		source: undefined,
		file: `crates/${pkg}/${id}.md`,
		...extra,
	};
}

function releaseFacts(publisher: Publisher): ReleaseFacts {
	return {
		registry: 'crates.io',
		publishedAt: known('2026-11-01T00:00:00Z', 'index pubtime', null),
		yanked: true,
		indexChecksum: undefined,
		registryKey: 'crates-io',
		versions: [v('1.0.0', true), v('1.1.0', false)],
		publisher: known(publisher, 'crates.io API', null),
		previous: undefined,
		minimumAge: { ms: 7 * 86_400_000, origin: 'registry.global-min-publish-age in /ws/.cargo/config.toml' },
		origin: 'index.crates.io, fetched 2026-11-30T00:00:00Z',
	};
}

function unsafeFacts(): UnsafeFacts {
	return {
		counts: { blocks: 1, functions: 0, impls: 0, traits: 0, externBlocks: 0, attributes: 0 },
		files: 2,
		forbidsUnsafe: false,
		capabilities: { buildScript: true, procMacro: false, links: 'z' },
		anomalies: [{ path: 'src/a.rs', reason: 'invalid UTF-8' }],
		origin: '/home/u/.cargo/registry/src/direct-1.0.0',
	};
}

/** A member with one renamed dependency `direct` (package `direct`), which brings in `trans`; each has advisories. */
function analysis(): WorkspaceAnalysis {
	const manifest = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nalias = { package = "direct", version = "1" }\n';
	const lock = [
		'version = 4',
		'[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["direct"]',
		`[[package]]\nname = "direct"\nversion = "1.0.0"\nsource = "${CRATES_IO}"\ndependencies = ["trans"]`,
		`[[package]]\nname = "trans"\nversion = "1.0.0"\nsource = "${CRATES_IO}"`,
	].join('\n\n');
	const index = buildAdvisoryIndex([advisory('RUSTSEC-2026-0001', 'direct'), advisory('RUSTSEC-2026-0002', 'direct'), advisory('RUSTSEC-2026-0003', 'trans')]);
	const policy = buildPolicy([{ id: 'RUSTSEC-2026-0002', reason: 'not reachable', origin: '/ws/audit.toml' }]);
	const facts = {
		advisories: known(index, 'RustSec advisory-db at /cache/advisory-db', '2026-11-30T00:00:00Z'),
		release: (): Fact<ReleaseFacts> => known(releaseFacts({ kind: 'user', login: 'alice', name: 'Alice' }), 'index', null),
		unsafe: (): Fact<UnsafeFacts> => known(unsafeFacts(), 'source', null),
	};
	return analyzeWorkspace({ root: '/ws', manifests: [{ path: MANIFEST, text: manifest }], lockfile: { path: LOCKFILE, text: lock }, problems: [] }, facts, policy, NOW);
}

/** Both cards that show `direct` and `trans`: the manifest entry and the two Cargo.lock entries. */
function cards(a: WorkspaceAnalysis): string[] {
	const manifestText = a.texts.get(MANIFEST)!;
	const lockText = a.texts.get(LOCKFILE)!;
	const at = (file: string, offset: number): string => hoverAt(a, file, offset)?.markdown ?? assert.fail(`no hover at ${file}:${offset}`);
	return [
		at(MANIFEST, manifestText.indexOf('alias')),
		at(MANIFEST, manifestText.indexOf('"1"') + 1),
		at(LOCKFILE, lockText.indexOf('name = "direct"') + 1),
		at(LOCKFILE, lockText.indexOf('name = "trans"') + 1),
	];
}

const pkg = (a: WorkspaceAnalysis, name: string): PackageTrust => a.packages.find((p) => p.pkg.name === name)!;
const release = (a: WorkspaceAnalysis, name: string): ReleaseFacts => (pkg(a, name).release as { value: ReleaseFacts }).value;
const unsafeOf = (a: WorkspaceAnalysis, name: string): UnsafeFacts => (pkg(a, name).unsafe as { value: UnsafeFacts }).value;
const advisoryOf = (a: WorkspaceAnalysis, name: string, i = 0): Advisory => pkg(a, name).advisories![i]!.advisory;

/** Each row puts the hostile string in one field that hover shows (latest versions are only ever parsed semver). */
const fields: Record<string, (a: WorkspaceAnalysis, h: string) => void> = {
	'dependency key': (a, h) => void (a.manifests[0]!.deps[0]!.spec.key = h),
	'renamed-from crate name': (a, h) => void (a.manifests[0]!.deps[0]!.spec.crateName = h),
	'version requirement': (a, h) => void (a.manifests[0]!.deps[0]!.spec.versionReq = h),
	'package name': (a, h) => void (pkg(a, 'trans').pkg.name = h),
	'package version': (a, h) => void (pkg(a, 'direct').pkg.version = h),
	'git source URL': (a, h) => void (pkg(a, 'direct').pkg.source = { kind: 'git', url: h, commit: '0123456789abcdef', raw: `git+${h}` } as never),
	'registry source URL': (a, h) => void (pkg(a, 'direct').pkg.source = { kind: 'sparse', url: h, raw: `sparse+${h}` } as never),
	'release unknown reason': (a, h) => void (pkg(a, 'direct').release = unknown(h)),
	'publish time unknown reason': (a, h) => void (release(a, 'direct').publishedAt = unknown(h)),
	'publisher login': (a, h) => void (release(a, 'direct').publisher = known({ kind: 'user', login: h, name: null }, 'api', null)),
	'publisher name': (a, h) => void (release(a, 'direct').publisher = known({ kind: 'user', login: 'alice', name: h }, 'api', null)),
	'trusted publishing repository': (a, h) => void (release(a, 'direct').publisher = known({ kind: 'trusted-publishing', provider: h, repository: h, runId: null, sha: h }, 'api', null)),
	'publisher unknown reason': (a, h) => void (release(a, 'direct').publisher = unknown(h)),
	'yanked-from registry': (a, h) => void (release(a, 'direct').registry = h),
	'publish-age policy origin': (a, h) => void (release(a, 'direct').minimumAge = { ms: 1, origin: h }),
	'registry origin': (a, h) => void (release(a, 'direct').origin = h),
	'publish-age notice': (a, h) => void (release(a, 'direct').policyNotices = [h]),
	'unsafe unknown reason': (a, h) => void (pkg(a, 'direct').unsafe = unknown(h)),
	'links value': (a, h) => void (unsafeOf(a, 'direct').capabilities.links = h),
	'archive anomaly file name': (a, h) => void (unsafeOf(a, 'direct').anomalies = [{ path: h, reason: h }]),
	'unsafe source origin': (a, h) => void (unsafeOf(a, 'direct').origin = h),
	'advisory id': (a, h) => void (advisoryOf(a, 'direct').id = h),
	'transitive advisory id': (a, h) => void (advisoryOf(a, 'trans').id = h),
	'advisory title': (a, h) => void (advisoryOf(a, 'trans').title = h),
	'advisory kind': (a, h) => void (advisoryOf(a, 'direct').kind = h as never),
	'advisory aliases': (a, h) => void (advisoryOf(a, 'direct').aliases = [h]),
	'advisory patched': (a, h) => void (advisoryOf(a, 'direct').patched = [h]),
	'advisory unaffected': (a, h) => void (advisoryOf(a, 'direct').unaffected = [h]),
	'advisory affected functions': (a, h) => void (advisoryOf(a, 'direct').affectedFunctions = { [h]: [] }),
	'advisory os and arch': (a, h) => void Object.assign(advisoryOf(a, 'direct'), { affectedOs: [h], affectedArch: [h] }),
	'ignore reason and origin': (a, h) => void Object.assign(pkg(a, 'direct').advisories![1]!, { ignoreReason: h, ignoreOrigin: h }),
	'advisories unknown reason': (a, h) => void Object.assign(pkg(a, 'direct'), { advisories: null, advisoriesReason: h }),
	'advisory database origin': (a, h) => void ((a.facts.advisories as { origin: string }).origin = h),
	'advisory database unknown reason': (a, h) => void (a.facts.advisories = unknown(h)),
};

/** The visible text of rendered HTML, whitespace collapsed. */
function visibleText(html: string): string {
	const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };
	return html
		.replace(/<[^>]*>/g, '')
		.replace(/&(lt|gt|quot|amp);/g, (entity) => entities[entity]!)
		.replace(/\s+/g, ' ');
}

function assertSafe(markdown: string, field: string): void {
	const html = renderer.render(markdown);
	for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) assert.match(href!, /^https:\/\/rustsec\.org\/advisories\/RUSTSEC-\d{4}-\d{4}\.html$/, `${field}: a link that is not ours`);
	assert.doesNotMatch(html, /<(img|h\d|script|iframe)\b/i, `${field}: data became an image, a heading or HTML`);
	assert.doesNotMatch(html, /evil\.example[^<]*<\/a>|<a[^>]*evil/, `${field}: data became a link`);
}

describe('hover card: external text is rendered literally', () => {
	test('the unmodified card renders our own links only', () => {
		for (const card of cards(analysis())) assertSafe(card, 'baseline');
	});

	for (const [field, inject] of Object.entries(fields)) {
		test(field, () => {
			const a = analysis();
			inject(a, HOSTILE);
			const rendered = cards(a);
			for (const card of rendered) assertSafe(card, field);
			// The field really shows, character for character (the row cannot pass by not rendering it).
			assert.ok(rendered.some((card) => visibleText(renderer.render(card)).includes(LINK)), `${field}: the value is not shown literally`);
		});
	}
});

describe('hover card: publish-age settings cargo ignores', () => {
	test('the release section says the setting has no effect and how to write it', () => {
		const a = analysis();
		const notice = 'registry.min-publish-age = "3 days" (/ws/.cargo/config.toml) has no effect: cargo 1.100 ignores it (removed in cargo#17353)';
		release(a, 'direct').policyNotices = [notice];
		const [card] = cards(a);
		assert.ok(visibleText(renderer.render(card!)).includes(`⚠️ ${notice}`), card);
	});
});

describe('Markdown helpers', () => {
	const inline = (markdown: string): string => renderer.render(markdown).replace(/^<p>|<\/p>\n$/g, '');

	test('a code span holds any backtick run, including at its ends', () => {
		for (const text of ['a`b', '``', '`a', 'a`', ' a ', 'x ``` y', '](evil)`']) assert.equal(inline(mdCode(text)), `<code>${text.replace(/</g, '&lt;')}</code>`, text);
	});

	test('plain text keeps every character and renders no markup', () => {
		const text = '\\ ` * _ [ ] ( ) < > # ! | & ~ {x} 1. - + = @ : https://a.example www.a.example';
		assert.equal(visibleText(inline(mdText(text))), text);
		assert.doesNotMatch(inline(mdText(text)), /<(?!\/?p>)/);
	});

	test('a leading list marker stays text', () => {
		for (const text of ['- a', '+ a', '1. a', '2) a']) assert.equal(inline(mdText(text)), text);
	});

	test('line breaks cannot start a new block', () => {
		assert.doesNotMatch(renderer.render(`x ${mdText('a\n\n# b')} ${mdCode('c\n\n# d')}`), /<h1|<\/p>\s*<p>/);
	});
});
