/**
 * SARIF 2.1.0 for code-scanning dashboards: one run, one rule per finding code, the same findings as the editor.
 */
import type { WorkspaceAnalysis } from '../analyze';
import { reportFindings } from './jsonReport';
import { fileUri, relativeUri } from './reportPaths';

const levels = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function buildSarifReport(analysis: WorkspaceAnalysis, toolVersion: string): object {
	const findings = reportFindings(analysis);
	const rules = new Map<string, { id: string; helpUri?: string; shortDescription: { text: string } }>();
	for (const finding of analysis.findings) {
		if (!rules.has(finding.code)) {
			rules.set(finding.code, { id: finding.code, shortDescription: { text: ruleDescription(finding.code) }, ...(finding.href ? { helpUri: finding.href } : {}) });
		}
	}
	const ruleIds = [...rules.keys()];
	return {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: { driver: { name: 'cargo-trust', version: toolVersion, informationUri: 'https://github.com/cargo-trust/cargo-trust', rules: [...rules.values()] } },
				originalUriBaseIds: { SRCROOT: { uri: fileUri(analysis.root, true) } },
				columnKind: 'utf16CodeUnits',
				results: findings.map((finding) => ({
					ruleId: finding.code,
					ruleIndex: ruleIds.indexOf(finding.code),
					level: levels[finding.severity],
					message: { text: finding.message },
					locations: [
						{
							physicalLocation: {
								artifactLocation: { uri: relativeUri(finding.file), uriBaseId: 'SRCROOT' },
								region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
							},
						},
					],
					...(finding.package ? { properties: { package: finding.package } } : {}),
				})),
			},
		],
	};
}

function ruleDescription(code: string): string {
	if (/^RUSTSEC-|^CVE-/.test(code)) return `RustSec advisory ${code}`;
	return (
		{
			'toml-parse': 'The file is not valid TOML',
			'not-locked': 'A dependency has no matching package in Cargo.lock',
			'no-lockfile': 'The workspace has no Cargo.lock',
			'lockfile-unreadable': 'Cargo.lock exists but cannot be read',
			'advisories-unknown': 'Advisory data is unavailable',
			'advisory-db-stale': 'The advisory database is stale',
		}[code] ?? code
	);
}
