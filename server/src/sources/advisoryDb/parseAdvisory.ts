/**
 * Parses one RustSec advisory file (formats.md §1.2-1.4): a ```toml front matter followed by a Markdown body
 * whose `# ` heading is the title. Errors come back as values naming what is wrong; nothing here throws on input.
 */
import { getStaticTOMLValue, ParseError, parseTOML } from 'toml-eslint-parser';
import { computeAffectedRanges } from '../../engine/advisory/ranges';
import type { Advisory, AdvisoryKind } from '../../engine/advisory/types';
import { parseCargoReq } from '../../engine/semver/cargoReq';

type Table = Record<string, unknown>;

const FENCE = '```toml';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads typed fields out of one TOML table, collecting what is wrong and returning a harmless default instead. */
class TableReader {
	constructor(
		private readonly values: Table,
		/** How messages name the table, e.g. `[advisory]`. */
		private readonly name: string,
		private readonly problems: string[],
	) {}

	/** `[versions]` for a top-level key, `[versions].patched` for a key inside a table. */
	private qualified(key: string): string {
		return this.name === '' ? `[${key}]` : `${this.name}.${key}`;
	}

	private fail(key: string, message: string): undefined {
		this.problems.push(`${this.qualified(key)} ${message}`);
		return undefined;
	}

	has(key: string): boolean {
		return this.values[key] !== undefined;
	}

	table(key: string): TableReader | undefined {
		const value = this.values[key];
		if (value === undefined) return undefined;
		if (!isTable(value)) return this.fail(key, 'must be a table');
		return new TableReader(value, this.name === '' ? `[${key}]` : `${this.name.slice(0, -1)}.${key}]`, this.problems);
	}

	keys(): string[] {
		return Object.keys(this.values);
	}

	string(key: string): string | undefined {
		const value = this.values[key];
		if (value === undefined || typeof value === 'string') return value;
		return this.fail(key, 'must be a string');
	}

	/** Records every key that is missing; reading them afterwards gives their value or the default. */
	require(...keys: string[]): void {
		for (const key of keys) if (!this.has(key)) this.fail(key, 'is missing');
	}

	date(key: string): string | undefined {
		const value = this.string(key);
		if (value === undefined || DATE.test(value)) return value;
		return this.fail(key, `must be a "YYYY-MM-DD" date, not "${value}"`);
	}

	strings(key: string): string[] {
		const value = this.values[key] ?? [];
		if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
		return this.fail(key, 'must be an array of strings') ?? [];
	}
}

function isTable(value: unknown): value is Table {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * RustSec parses an unknown `informational` value as `Other(..)`, which cargo-audit neither reports as a
 * vulnerability nor warns about. We keep it informational and show it as a notice (the raw value stays in
 * `Advisory.informational`): closer to RustSec than calling it a vulnerability, and not silently dropped.
 */
function kindOf(informational: string | undefined): AdvisoryKind {
	if (informational === undefined) return 'vulnerability';
	return informational === 'unsound' || informational === 'unmaintained' ? informational : 'notice';
}

/** `[affected.functions]`: RustSec parses each requirement, so a bad one spoils the advisory there too. */
function affectedFunctions(functions: TableReader | undefined, problems: string[]): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	if (!functions) return result;
	for (const path of functions.keys()) {
		const reqs = functions.strings(path);
		for (const req of reqs) {
			const parsed = parseCargoReq(req);
			if ('error' in parsed) problems.push(`[affected.functions]."${path}": invalid version requirement "${req}": ${parsed.error}`);
		}
		result[path] = reqs;
	}
	return result;
}

function readAdvisory(document: Table, title: string, description: string, file: string): { advisory: Advisory } | { error: string } {
	const problems: string[] = [];
	const root = new TableReader(document, '', problems);
	const metadata = root.table('advisory') ?? new TableReader({}, '[advisory]', problems);
	for (const key of ['title', 'description']) {
		if (metadata.has(key)) problems.push(`[advisory].${key} is not allowed: it comes from the Markdown body`);
	}
	metadata.require('id', 'package', 'date');
	root.require('versions');
	const versions = root.table('versions');
	versions?.require('patched');
	const patched = versions?.strings('patched') ?? [];
	const unaffected = versions?.strings('unaffected') ?? [];
	const computed = computeAffectedRanges(patched, unaffected);
	if ('error' in computed) problems.push(`[versions]: ${computed.error}`);
	const affected = root.table('affected');
	const informational = metadata.string('informational');

	const advisory: Advisory = {
		id: metadata.string('id') ?? '',
		package: metadata.string('package') ?? '',
		kind: kindOf(informational),
		title,
		description,
		date: metadata.date('date') ?? '',
		url: metadata.string('url'),
		aliases: metadata.strings('aliases'),
		related: metadata.strings('related'),
		categories: metadata.strings('categories'),
		cvss: metadata.string('cvss'),
		informational,
		withdrawn: metadata.date('withdrawn'),
		patched,
		unaffected,
		affected: 'ranges' in computed ? computed.ranges : [],
		affectedFunctions: affectedFunctions(affected?.table('functions'), problems),
		affectedOs: affected?.strings('os') ?? [],
		affectedArch: affected?.strings('arch') ?? [],
		source: metadata.string('source'),
		file,
	};
	return problems.length > 0 ? { error: problems.join('; ') } : { advisory };
}

/** `file` is the path relative to the database root, recorded in the advisory. */
export function parseAdvisory(text: string, file: string): { advisory: Advisory } | { error: string } {
	const data = text.replace(/\r\n/g, '\n');
	if (!data.startsWith(FENCE)) return { error: 'the file does not start with ```toml' };
	const fenceEnd = data.indexOf('\n```');
	if (fenceEnd === -1) return { error: 'the ```toml front matter is not closed' };

	const markdown = data.slice(fenceEnd + 4).trimStart();
	if (!markdown.startsWith('# ')) return { error: 'the Markdown body does not start with a "# " title' };
	const titleEnd = markdown.indexOf('\n');
	const title = (titleEnd === -1 ? markdown.slice(2) : markdown.slice(2, titleEnd)).trim();
	const description = titleEnd === -1 ? '' : markdown.slice(titleEnd + 1).trim();

	const rawFrontMatter = data.slice(FENCE.length, fenceEnd);
	const frontMatter = rawFrontMatter.trim();
	// V4 advisories leave out the `[advisory]` header; RustSec adds it when the front matter does not start with it.
	const header = frontMatter.startsWith('[advisory]') ? '' : '[advisory]\n';
	let document: Table;
	try {
		document = getStaticTOMLValue(parseTOML(header + frontMatter));
	} catch (error) {
		if (!(error instanceof ParseError)) return { error: `the TOML front matter does not parse: ${String(error)}` };
		// Report the line in the file, not in the text the parser saw.
		const linesBefore = data.slice(0, FENCE.length + rawFrontMatter.indexOf(frontMatter)).split('\n').length - 1;
		return { error: `TOML syntax error at line ${error.lineNumber + linesBefore - (header ? 1 : 0)}: ${error.message}` };
	}
	return readAdvisory(document, title, description, file);
}
