/**
 * The only place that converts engine offsets and findings into LSP positions and diagnostics.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
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

export function toDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
	return {
		range: toRange(document, finding.range),
		severity: severities[finding.severity],
		code: finding.code,
		...(finding.href ? { codeDescription: { href: finding.href } } : {}),
		source: 'cargo-trust',
		message: finding.message,
		data: { package: finding.package },
	};
}
