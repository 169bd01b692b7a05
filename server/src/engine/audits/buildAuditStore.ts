/**
 * Assembles an `AuditStore` from file texts (pure): the source reads the files, this parses them. Also finds the
 * store's location in the root manifest (`[workspace.metadata.vet] store.path`, or `[package.metadata.vet]`).
 */
import { parseTomlRecovering } from '../toml/parseTomlRecovering';
import { buildTomlTree, treeValue } from '../toml/tomlAst';
import { encodingProblems, type SourceText } from '../toml/sourceText';
import { parseAuditsToml } from './parseAuditsToml';
import { parseImportsLock } from './parseImportsLock';
import { parseVetConfig } from './parseVetConfig';
import { emptyAuditsFile, emptyImportsLock, emptyVetConfig, type AuditFileProblems, type AuditStore, type ExtraAuditSource } from './types';

/** The store path the root manifest names, relative to the manifest's directory; undefined when it names none. */
export function storePathFromManifest(text: string): string | undefined {
	const program = parseTomlRecovering(text).value;
	if (!program) return undefined;
	const value = treeValue(buildTomlTree(program)) as Record<string, unknown>;
	for (const section of ['workspace', 'package']) {
		const vet = ((value[section] as Record<string, unknown> | undefined)?.metadata as Record<string, unknown> | undefined)?.vet as Record<string, unknown> | undefined;
		const path = (vet?.store as Record<string, unknown> | undefined)?.path;
		if (typeof path === 'string' && path !== '') return path;
	}
	return undefined;
}

export interface StoreTexts {
	directory: string;
	/** Undefined when the file is absent (a store may lack imports.lock). */
	config: SourceText | undefined;
	audits: SourceText | undefined;
	importsLock: SourceText | undefined;
	paths: { config: string; audits: string; importsLock: string };
}

export function buildAuditStore(texts: StoreTexts | undefined, extra: readonly { name: string; file: SourceText }[]): AuditStore {
	const files: AuditFileProblems[] = [];
	const parse = <T>(file: SourceText | undefined, parser: (text: string) => { value: T; problems: AuditFileProblems['problems'] }, empty: () => T): T => {
		if (!file) return empty();
		const parsed = parser(file.text);
		const problems = [...encodingProblems(file), ...parsed.problems];
		if (problems.length) files.push({ path: file.path, problems });
		return parsed.value;
	};
	const extraSources: ExtraAuditSource[] = extra.map(({ name, file }) => ({ name, audits: parse(file, parseAuditsToml, emptyAuditsFile) }));
	return {
		directory: texts?.directory,
		paths: texts?.paths,
		config: parse(texts?.config, parseVetConfig, emptyVetConfig),
		audits: parse(texts?.audits, parseAuditsToml, emptyAuditsFile),
		importsLock: parse(texts?.importsLock, parseImportsLock, emptyImportsLock),
		extraSources,
		files,
	};
}
