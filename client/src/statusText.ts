/**
 * Pure formatting of the status bar text and its summary (no `vscode` import, so it is unit-testable).
 */
import type { StatusParams } from '../../server/src/protocol';

export function statusText(params: StatusParams): string {
	// Unknown is not clean: before the first analysis with data, no count is shown, not even "no findings".
	if (params.loading) return '$(sync~spin) Cargo Trust: loading…';
	const { error, warning, information } = params.counts;
	const parts: string[] = [];
	if (error) parts.push(`${error} ${error === 1 ? 'error' : 'errors'}`);
	if (warning) parts.push(`${warning} ${warning === 1 ? 'warning' : 'warnings'}`);
	if (information) parts.push(`${information} info`);
	const summary = parts.length ? parts.join(', ') : 'no findings';
	const icon = params.quiescent ? (error ? '$(error)' : warning ? '$(warning)' : '$(shield)') : '$(sync~spin)';
	return `${icon} Cargo Trust: ${summary}`;
}

/** One line per data source, as the CLI's text report prints them: "Registry crates-io: offline, 583 locked packages checked". */
export function sourceLines(params: StatusParams): string[] {
	return params.sources.map((source) => `${source.label}: ${source.state}`);
}
