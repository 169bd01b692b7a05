/**
 * The only place that converts engine offsets and findings into LSP positions and diagnostics.
 */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/findings';
import type { Severity, TextRange } from '../engine/text';

export function toRange(document: TextDocument, range: TextRange): Range {
	return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

const severities: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

/**
 * `texts` are the analysed files by path, so related information in other files (members' lines of a
 * `[workspace.dependencies]` finding) gets positions from the text the offsets were computed on.
 */
export function toDiagnostic(document: TextDocument, finding: Finding, texts?: ReadonlyMap<string, string>): Diagnostic {
	const related = finding.related?.flatMap((location): DiagnosticRelatedInformation[] => {
		const text = texts?.get(location.file);
		if (text === undefined) return [];
		const uri = pathToFileURL(location.file).href;
		const other = uri === document.uri ? document : documentFor(texts!, location.file, uri, text);
		return [{ location: { uri, range: toRange(other, location.range) }, message: location.message }];
	});
	return {
		range: toRange(document, finding.range),
		severity: severities[finding.severity],
		code: finding.code,
		...(finding.href ? { codeDescription: { href: finding.href } } : {}),
		source: 'cargo-trust',
		message: finding.message,
		data: finding.data ?? { package: finding.package },
		...(related?.length ? { relatedInformation: related } : {}),
	};
}

/** One document per analysed file and publish, not one per related location: a workspace dependency can have 100 users. */
const documents = new WeakMap<ReadonlyMap<string, string>, Map<string, TextDocument>>();

function documentFor(texts: ReadonlyMap<string, string>, file: string, uri: string, text: string): TextDocument {
	let byFile = documents.get(texts);
	if (!byFile) documents.set(texts, (byFile = new Map()));
	let document = byFile.get(file);
	if (!document) byFile.set(file, (document = TextDocument.create(uri, 'toml', 0, text)));
	return document;
}
