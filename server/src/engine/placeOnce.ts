/**
 * One problem, one row: where a finding about a package goes when several entries bring the package in.
 * In each manifest it goes on the entry that brings it in most directly (a declaration of the package itself, then
 * the shortest path, then file order); an entry that inherits with `workspace = true` sends it to the root's
 * `[workspace.dependencies]` entry, where the version is chosen. Every other entry becomes related information.
 */
import type { ManifestAnalysis, ResolvedDep } from './analyze';
import type { RelatedLocation } from './findings';
import type { DependencySpec } from './manifest/types';
import type { TextRange } from './text';

/** A manifest entry that brings the package in. */
export interface Bringer {
	manifest: ManifestAnalysis;
	dep: ResolvedDep;
	/** The packages from the entry's own package down to, not including, the package; empty when the entry declares it. */
	via: string[];
}

export interface Placement {
	file: string;
	range: TextRange;
	via: string[];
	related: RelatedLocation[];
}

/** The root manifest's `[workspace.dependencies]`, where inherited entries point. */
export interface WorkspaceDependencies {
	file: string;
	specs: readonly DependencySpec[];
}

interface Row extends Placement {
	/** Path length: 0 for a declaration. */
	distance: number;
}

const byDirectness = (a: { distance: number; range: TextRange }, b: { distance: number; range: TextRange }): number => a.distance - b.distance || a.range.start - b.range.start;

function relatedMessage(bringer: Bringer, subject: string, moved: boolean): string {
	const { spec } = bringer.dep;
	if (moved && spec.inheritsFromWorkspace) return `uses [workspace.dependencies] ${spec.key}, which ${bringer.via.length ? `brings in ${subject} via ${bringer.via.join(' → ')}` : `resolves to ${subject}`}`;
	return bringer.via.length ? `${spec.key} also brings in ${subject} via ${bringer.via.join(' → ')}` : `${spec.key} also resolves to ${subject}`;
}

/** The rows for one problem (`subject` is `name version`): at most one per file. */
export function placeOnce(bringers: readonly Bringer[], workspace: WorkspaceDependencies | undefined, subject: string): Placement[] {
	const byManifest = new Map<string, Bringer[]>();
	for (const bringer of bringers) {
		const list = byManifest.get(bringer.manifest.path);
		if (list) list.push(bringer);
		else byManifest.set(bringer.manifest.path, [bringer]);
	}
	const rows: Row[] = [];
	for (const [file, list] of byManifest) {
		const ranked = list.map((b) => ({ b, distance: b.via.length, range: b.dep.spec.keyRange })).sort(byDirectness);
		const best = ranked[0]!.b;
		const chosenAt = best.dep.spec.inheritsFromWorkspace ? workspace?.specs.find((spec) => spec.key === best.dep.spec.key) : undefined;
		if (workspace && chosenAt) {
			const related = ranked.map(({ b }) => ({ file, range: b.dep.spec.keyRange, message: relatedMessage(b, subject, true) }));
			rows.push({ file: workspace.file, range: chosenAt.keyRange, via: best.via, related, distance: best.via.length });
		} else {
			const related = ranked.slice(1).map(({ b }) => ({ file, range: b.dep.spec.keyRange, message: relatedMessage(b, subject, false) }));
			rows.push({ file, range: best.dep.spec.keyRange, via: best.via, related, distance: best.via.length });
		}
	}
	// Rows moved to the root meet the root's own rows: still one per file.
	const byFile = new Map<string, Row[]>();
	for (const row of rows) {
		const list = byFile.get(row.file);
		if (list) list.push(row);
		else byFile.set(row.file, [row]);
	}
	const placements: Placement[] = [];
	for (const [file, list] of byFile) {
		const [best, ...others] = list.sort(byDirectness);
		const related = [...best!.related];
		for (const other of others) {
			if (other.range.start !== best!.range.start) {
				related.push({ file, range: other.range, message: other.via.length ? `also brings in ${subject} via ${other.via.join(' → ')}` : `also resolves to ${subject}` });
			}
			related.push(...other.related);
		}
		const seen = new Set<string>();
		const unique = related.filter((r) => {
			const key = `${r.file}\u0000${r.range.start}`;
			return !(file === r.file && r.range.start === best!.range.start) && !seen.has(key) && Boolean(seen.add(key));
		});
		unique.sort((a, b) => a.file.localeCompare(b.file) || a.range.start - b.range.start);
		placements.push({ file, range: best!.range, via: best!.via, related: unique });
	}
	return placements;
}
