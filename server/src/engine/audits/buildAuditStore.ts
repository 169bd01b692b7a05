/**
 * Assembles an `AuditStore` from file texts (pure): the source reads the files, this parses them. The store's
 * location comes from the parsed root manifest (`Manifest.vetStorePath`).
 */
import { encodingProblems, type SourceText } from '../toml/sourceText';
import { parseAuditsToml } from './parseAuditsToml';
import { parseImportsLock } from './parseImportsLock';
import { parseVetConfig } from './parseVetConfig';
import { emptyAuditsFile, emptyImportsLock, emptyVetConfig, type AuditFileProblems, type AuditStore, type ExtraAuditSource } from './types';

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
