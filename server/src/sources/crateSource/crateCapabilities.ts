/**
 * What a package can do at build time, from its own Cargo.toml: a build script (`build.rs` at the root, or
 * `package.build`, a path or a list of them; `build = false` turns it off), a procedural macro (`[lib] proc-macro = true`, or the legacy
 * `proc_macro`), a native library (`package.links`); and the library root the `forbid(unsafe_code)` check reads.
 * Pure: reads the text it is given, runs nothing.
 */
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type { UnsafeFacts } from '../../engine/unsafe/types';
import type { PackageFile } from './readCrateArchive';

export interface CrateManifestFacts {
	capabilities: UnsafeFacts['capabilities'];
	/** Relative to the package root, with `/`; null for a package without a library (binaries only). */
	libRoot: string | null;
	/** The `[package] name`, to find a package among several in a git checkout. */
	name: string | undefined;
}

const decoder = new TextDecoder();

/** The facts, or a reason they cannot be known (no or unparsable Cargo.toml: a guess would read as clean). */
export function crateCapabilities(files: readonly PackageFile[]): CrateManifestFacts | { error: string } {
	const manifest = files.find((file) => file.path === 'Cargo.toml');
	if (!manifest) return { error: 'the package has no Cargo.toml' };
	const toml = readManifest(decoder.decode(manifest.bytes));
	if ('error' in toml) return toml;
	const paths = new Set(files.map((file) => file.path));
	const pkg = table(toml.value.package) ?? table(toml.value.project);
	const lib = table(toml.value.lib);
	const build = pkg?.build;
	const libPath = typeof lib?.path === 'string' ? normalize(lib.path) : undefined;
	return {
		capabilities: {
			buildScript: typeof build === 'string' || (Array.isArray(build) && build.length > 0) ? true : build === false ? false : paths.has('build.rs'),
			procMacro: lib?.['proc-macro'] === true || lib?.proc_macro === true,
			links: typeof pkg?.links === 'string' ? pkg.links : null,
		},
		libRoot: libPath ?? (lib !== undefined || paths.has('src/lib.rs') ? 'src/lib.rs' : null),
		name: typeof pkg?.name === 'string' ? pkg.name : undefined,
	};
}

/** Parses the manifest text alone; for a name lookup among a checkout's manifests. */
export function manifestPackageName(text: string): string | undefined {
	const toml = readManifest(text);
	if ('error' in toml) return undefined;
	const pkg = table(toml.value.package) ?? table(toml.value.project);
	return typeof pkg?.name === 'string' ? pkg.name : undefined;
}

/** `package.repository` of a manifest's text; null when there is none, undefined when the text cannot be parsed. */
export function manifestRepository(text: string): string | null | undefined {
	const toml = readManifest(text);
	if ('error' in toml) return undefined;
	const pkg = table(toml.value.package) ?? table(toml.value.project);
	return typeof pkg?.repository === 'string' ? pkg.repository : null;
}

function readManifest(text: string): { value: Record<string, unknown> } | { error: string } {
	try {
		const value: unknown = getStaticTOMLValue(parseTOML(text));
		const record = table(value);
		return record ? { value: record } : { error: 'Cargo.toml is not a table' };
	} catch (error) {
		return { error: `Cargo.toml cannot be parsed: ${(error as Error).message}` };
	}
}

function table(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `./src\\lib.rs` → `src/lib.rs`, the form archive and directory paths have. */
function normalize(path: string): string {
	return path
		.replaceAll('\\', '/')
		.split('/')
		.filter((part) => part !== '' && part !== '.')
		.join('/');
}
