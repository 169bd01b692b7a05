/**
 * Code actions on provenance findings: "Show provenance diff" on `provenance-modified`, which runs the client's
 * diff command with the package the finding's data names. A provider of its own, so it can join a registry of
 * providers as it is.
 */
import { fileURLToPath } from 'node:url';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { ClientCommands, type ProvenancePackageArgs } from '../protocol';

export function provenanceActions(diagnostic: Diagnostic, documentUri: string): CodeAction[] {
	if (diagnostic.source !== 'cargo-trust' || diagnostic.code !== 'provenance-modified' || !documentUri.startsWith('file:')) return [];
	const data = diagnostic.data as { kind?: unknown; name?: unknown; version?: unknown } | undefined;
	if (data?.kind !== 'provenance' || typeof data.name !== 'string' || typeof data.version !== 'string') return [];
	const args: ProvenancePackageArgs = { file: fileURLToPath(documentUri), name: data.name, version: data.version };
	const title = `Show how ${data.name} ${data.version} differs from its repository`;
	return [{ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: ClientCommands.showProvenanceDiff, arguments: [args] } }];
}
