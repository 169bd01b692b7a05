/**
 * "Cargo Trust: Add Audit Sources": offers cargo-vet's registry of well-known audit sources (formats.md §4.3) in a
 * multi-select QuickPick, those already configured shown picked, and writes the choice to
 * `cargoTrust.audits.sources` in the workspace settings, keeping every entry that is not a registry URL (local files,
 * other URLs). The server fetches and caches the URLs; nothing is fetched here.
 */
import type * as vscode from 'vscode';
import { KNOWN_AUDIT_SOURCES } from '../../server/src/protocol';

export interface SourceItem {
	label: string;
	description: string;
	picked: boolean;
	url: string;
}

export function sourceItems(current: readonly string[]): SourceItem[] {
	return KNOWN_AUDIT_SOURCES.map((source) => ({ label: source.name, description: source.url, picked: current.includes(source.url), url: source.url }));
}

/** The new setting: the entries that are not registry URLs, in their order, then the chosen registry URLs. */
export function chosenSources(current: readonly string[], chosen: readonly string[]): string[] {
	const registry = new Set(KNOWN_AUDIT_SOURCES.map((source) => source.url));
	return [...current.filter((entry) => !registry.has(entry)), ...KNOWN_AUDIT_SOURCES.map((source) => source.url).filter((url) => chosen.includes(url))];
}

/** `api` is the `vscode` module (passed in, so this file stays loadable by unit tests). */
export async function addAuditSources(api: typeof vscode): Promise<void> {
	const configuration = api.workspace.getConfiguration('cargoTrust');
	const current = configuration.get<string[]>('audits.sources') ?? [];
	const picked = await api.window.showQuickPick(sourceItems(current), { canPickMany: true, title: 'Audit sources to trust (cargo-vet registry)', placeHolder: 'Audits by these organisations will count as vetting' });
	if (!picked) return;
	await configuration.update('audits.sources', chosenSources(current, picked.map((item) => item.url)), api.ConfigurationTarget.Workspace);
}
