/**
 * The half of reading a Cargo.lock that both readers share, so the fast line reader and the TOML parser path give
 * the same model: it turns each `[[package]]` into a `LockedPackage`, drops duplicates, detects the lockfile version
 * and attaches v1 checksums. Readers check value types themselves and hand over strings.
 */
import type { Parsed, Problem, TextRange } from '../text';
import { classifyLockSource, parseDependencyRef } from './lockSource';
import type { LockDependencyRef, LockedPackage, LockSource, Lockfile } from './types';

/** One `[[package]]` (or very old `[root]`) table as a reader found it. Readers may reuse one object between calls. */
export interface PackageInput {
	name: string | undefined;
	nameRange: TextRange | undefined;
	version: string | undefined;
	source: string | undefined;
	checksum: string | undefined;
	/** The `checksum` value, for a problem when it is not a sha256. */
	checksumRange: TextRange | undefined;
	dependencies: readonly string[];
	/** The `dependencies` array, for problems about its entries. */
	dependenciesRange: TextRange | undefined;
	replace: string | undefined;
	headerRange: TextRange;
	range: TextRange;
}

/** The top-level `version` as written: its value (a number when it is an integer) and the range of its text. */
export interface VersionInput {
	value: unknown;
	range: TextRange;
}

const METADATA_CHECKSUM = 'checksum ';

/** A sha256 as cargo writes it: 64 hex digits. */
const SHA256 = /^[0-9a-fA-F]{64}$/;

function checksumProblem(name: string, version: string, checksum: string, range: TextRange): Problem {
	const shown = checksum.length > 80 ? `${checksum.slice(0, 80)}…` : checksum;
	return entryProblem(`checksum "${shown}" of [[package]] ${name} ${version} is not a sha256 (64 hex digits)`, range);
}

function sourceText(source: LockSource): string | undefined {
	return 'raw' in source ? source.raw : undefined;
}

function entryProblem(message: string, range: TextRange): Problem {
	return { code: 'lockfile-entry', severity: 'error', message, range };
}

export class LockfileBuilder {
	readonly problems: Problem[];
	private readonly packages: LockedPackage[] = [];
	/** Packages by name, to find duplicates without building an identity string per package. */
	private readonly byName = new Map<string, LockedPackage[]>();
	// Sources and dependency strings repeat across thousands of packages: parse each once and share the result.
	private readonly sources = new Map<string, LockSource>();
	private readonly refs = new Map<string, LockDependencyRef | undefined>();

	constructor(problems: Problem[] = []) {
		this.problems = problems;
	}

	private source(raw: string | undefined): LockSource {
		if (raw === undefined) return classifyLockSource(undefined);
		let source = this.sources.get(raw);
		if (!source) {
			source = classifyLockSource(raw);
			this.sources.set(raw, source);
		}
		return source;
	}

	private ref(text: string): LockDependencyRef | undefined {
		if (this.refs.has(text)) return this.refs.get(text);
		const ref = parseDependencyRef(text);
		this.refs.set(text, ref);
		return ref;
	}

	addPackage(input: PackageInput): void {
		const { name, version, range } = input;
		if (name === undefined || input.nameRange === undefined) {
			this.problems.push(entryProblem('[[package]] without a `name`', range));
			return;
		}
		if (version === undefined) {
			this.problems.push(entryProblem(`[[package]] ${name} without a \`version\``, range));
			return;
		}
		const source = this.source(input.source);
		const sameName = this.byName.get(name);
		if (sameName?.some((other) => other.version === version && sourceText(other.source) === input.source)) {
			this.problems.push({ code: 'lockfile-duplicate', severity: 'error', message: `duplicate [[package]] ${name} ${version}; the first one is used`, range });
			return;
		}
		// A malformed checksum is reported but kept: it still differs from the registry's, which the checksum rule reports too.
		if (input.checksum !== undefined && !SHA256.test(input.checksum)) this.problems.push(checksumProblem(name, version, input.checksum, input.checksumRange ?? range));
		const dependencies: LockDependencyRef[] = [];
		for (const text of input.dependencies) {
			const ref = this.ref(text);
			if (ref) dependencies.push(ref);
			else this.problems.push(entryProblem(`malformed dependency "${text}" of [[package]] ${name}: expected "name", "name version" or "name version (source)"`, input.dependenciesRange ?? range));
		}
		const pkg: LockedPackage = {
			index: this.packages.length,
			name,
			version,
			source,
			checksum: input.checksum,
			dependencies,
			headerRange: input.headerRange,
			nameRange: input.nameRange,
			range,
		};
		if (input.replace !== undefined) {
			const ref = this.ref(input.replace);
			if (ref) pkg.replace = ref;
			else this.problems.push(entryProblem(`malformed \`replace\` "${input.replace}" of [[package]] ${name}`, range));
		}
		this.packages.push(pkg);
		if (sameName) sameName.push(pkg);
		else this.byName.set(name, [pkg]);
	}

	/** `metadata` is the `[metadata]` table's string values (v1 keeps checksums there). */
	finish(text: string, version: VersionInput | undefined, metadata: ReadonlyMap<string, string>): Parsed<Lockfile> {
		let hasMetadataChecksums = false;
		for (const key of metadata.keys()) hasMetadataChecksums ||= key.startsWith(METADATA_CHECKSUM);
		if (hasMetadataChecksums) {
			for (const pkg of this.packages) {
				const source = sourceText(pkg.source);
				if (pkg.checksum !== undefined || source === undefined) continue;
				const checksum = metadata.get(`${METADATA_CHECKSUM}${pkg.name} ${pkg.version} (${source})`);
				// v1 writes `<none>` for a package without a checksum.
				if (checksum === undefined || checksum === '<none>') continue;
				pkg.checksum = checksum;
				// `[metadata]` values carry no ranges here; the package's header stands for the entry.
				if (!SHA256.test(checksum)) this.problems.push(checksumProblem(pkg.name, pkg.version, checksum, pkg.headerRange));
			}
		}
		const lockfile: Lockfile = { version: this.detectVersion(text, version, hasMetadataChecksums), packages: this.packages };
		this.problems.sort((a, b) => a.range.start - b.range.start);
		return { value: lockfile, problems: this.problems };
	}

	private detectVersion(text: string, version: VersionInput | undefined, hasMetadataChecksums: boolean): number {
		if (!version) {
			// cargo-lock's heuristic: only v1 keeps checksums in `[metadata]`.
			return hasMetadataChecksums ? 1 : 2;
		}
		const { value, range } = version;
		if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 4) return value;
		this.problems.push({
			code: 'lockfile-version',
			severity: 'warning',
			message: `unsupported Cargo.lock version ${text.slice(range.start, range.end)} (this tool reads 1 to 4)`,
			range,
		});
		// The newest layout we know is the likeliest to match what a newer cargo wrote.
		return 4;
	}
}
