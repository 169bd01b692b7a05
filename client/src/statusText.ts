/**
 * Pure formatting of the status bar text (no `vscode` import, so it is unit-testable).
 */
import type { StatusParams } from '../../server/src/protocol';

export function statusText(params: StatusParams): string {
	const { error, warning, information } = params.counts;
	const parts: string[] = [];
	if (error) parts.push(`${error} ${error === 1 ? 'error' : 'errors'}`);
	if (warning) parts.push(`${warning} ${warning === 1 ? 'warning' : 'warnings'}`);
	if (information) parts.push(`${information} info`);
	const summary = parts.length ? parts.join(', ') : 'no findings';
	const icon = params.quiescent ? (error ? '$(error)' : warning ? '$(warning)' : '$(shield)') : '$(sync~spin)';
	return `${icon} Cargo Trust: ${summary}`;
}
