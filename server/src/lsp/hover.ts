/**
 * Hover on a dependency in Cargo.toml or a [[package]] in Cargo.lock: the engine's Markdown card.
 */
import { fileURLToPath } from 'node:url';
import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../engine/hoverText';
import { toRange } from './convert';
import type { WorkspaceTracker } from './workspaceTracker';

export async function hoverHandler(tracker: WorkspaceTracker, documents: TextDocuments<TextDocument>, params: HoverParams): Promise<Hover | null> {
	const document = documents.get(params.textDocument.uri);
	if (!document || !params.textDocument.uri.startsWith('file:')) return null;
	const path = fileURLToPath(params.textDocument.uri);
	const analysis = await tracker.analysisFor(path);
	// The analysis must describe exactly this text, or offsets would point at the wrong dependency.
	if (!analysis || analysis.texts.get(path) !== document.getText()) return null;
	const card = hoverAt(analysis, path, document.offsetAt(params.position));
	if (card?.lockIndex !== undefined) {
		const release = analysis.packages[card.lockIndex]?.release;
		if (release?.status === 'known' && release.value.publisher === undefined) tracker.requestPublisher(analysis, card.lockIndex);
	}
	return card ? { contents: { kind: MarkupKind.Markdown, value: card.markdown }, range: toRange(document, card.range) } : null;
}
