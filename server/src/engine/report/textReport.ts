/**
 * The CLI's report for people: one line per finding, `file:line:column: severity code message`, then a summary.
 */
import type { WorkspaceAnalysis } from '../analyze';
import { reportFindings, type ReportContext } from './jsonReport';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' } as const;

export function buildTextReport(analysis: WorkspaceAnalysis, data: ReportContext['data'], colour: boolean): string {
	const { advisoryDb } = data;
	const paint = (severity: keyof typeof colours, text: string): string => (colour ? `${colours[severity]}${text}\x1b[0m` : text);
	const lines = reportFindings(analysis).map((f) => `${f.file}:${f.line}:${f.column}: ${paint(f.severity, f.severity)} ${f.code} ${f.message}`);
	const count = (severity: string): number => analysis.findings.filter((f) => f.severity === severity).length;
	if (lines.length) lines.push('');
	lines.push(
		advisoryDb.status === 'known'
			? `Advisories: RustSec advisory-db at ${advisoryDb.path}${advisoryDb.updatedAt ? `, updated ${advisoryDb.updatedAt.slice(0, 10)}` : ''}${advisoryDb.reason ? ` (${advisoryDb.reason})` : ''}`
			: `Advisories: unknown (${advisoryDb.reason})`,
	);
	for (const registry of data.registries) lines.push(`Registry ${registry.name}${registry.url ? ` (${registry.url})` : ''}: ${registry.status}${registry.reason ? ` (${registry.reason})` : ''}`);
	for (const notice of data.publishAge.notices) lines.push(`Publish age: ${notice.message}`);
	lines.push(provenanceLine(analysis, data));
	lines.push(`${analysis.packages.length} locked packages checked: ${count('error')} errors, ${count('warning')} warnings, ${count('information')} notes.`);
	return lines.join('\n') + '\n';
}

/** One line: how many packages got each provenance verdict, and the modified ones by name. */
function provenanceLine(analysis: WorkspaceAnalysis, data: ReportContext['data']): string {
	if (data.provenance?.status === 'disabled') return `Provenance: not checked (${data.provenance.reason})`;
	const counts = new Map<string, number>();
	const modified: string[] = [];
	for (const { pkg, provenance } of analysis.packages) {
		const status = provenance?.status === 'known' ? provenance.value.status : provenance === undefined ? 'not checked' : 'unknown';
		counts.set(status, (counts.get(status) ?? 0) + 1);
		if (provenance?.status === 'known' && provenance.value.status === 'modified') modified.push(`${pkg.name} ${pkg.version}`);
	}
	const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
	return `Provenance: ${summary || 'no packages'}${modified.length ? ` (modified: ${modified.join(', ')})` : ''}`;
}
