/**
 * Criteria and their `implies` closure (formats.md §4.2). Built-ins: `safe-to-deploy` implies `safe-to-run`.
 * Foreign criteria are closed in the foreign namespace first, then mapped: built-ins to themselves, others through
 * `criteria-map`, the rest dropped (cargo-vet discards them), and the result closed again locally.
 */
import type { CriterionDefinition } from './types';

export const SAFE_TO_DEPLOY = 'safe-to-deploy';
export const SAFE_TO_RUN = 'safe-to-run';
const BUILT_INS: readonly CriterionDefinition[] = [
	{ name: SAFE_TO_DEPLOY, implies: [SAFE_TO_RUN], range: { start: 0, end: 0 } },
	{ name: SAFE_TO_RUN, implies: [], range: { start: 0, end: 0 } },
];

export function isBuiltIn(name: string): boolean {
	return name === SAFE_TO_DEPLOY || name === SAFE_TO_RUN;
}

/** One namespace of criteria (the local one, or an import's) with closures computed once. */
export class CriteriaSet {
	private readonly definitions = new Map<string, CriterionDefinition>();
	private readonly closures = new Map<string, ReadonlySet<string>>();

	constructor(definitions: Iterable<CriterionDefinition>) {
		for (const definition of BUILT_INS) this.definitions.set(definition.name, definition);
		// A file may not redefine a built-in: cargo-vet rejects that, and we keep the built-in meaning.
		for (const definition of definitions) if (!isBuiltIn(definition.name)) this.definitions.set(definition.name, definition);
	}

	has(name: string): boolean {
		return this.definitions.has(name);
	}

	names(): string[] {
		return [...this.definitions.keys()];
	}

	/** The criterion and everything it implies, transitively; cycles in `implies` are harmless. Undefined when unknown. */
	closure(name: string): ReadonlySet<string> | undefined {
		const cached = this.closures.get(name);
		if (cached) return cached;
		if (!this.definitions.has(name)) return undefined;
		const seen = new Set<string>([name]);
		const queue = [name];
		while (queue.length) {
			for (const implied of this.definitions.get(queue.pop()!)?.implies ?? []) {
				if (this.definitions.has(implied) && !seen.has(implied)) {
					seen.add(implied);
					queue.push(implied);
				}
			}
		}
		this.closures.set(name, seen);
		return seen;
	}

	/** The union of the closures; unknown names are returned separately (treated as unmet by callers). */
	closeAll(names: readonly string[]): { criteria: Set<string>; unknown: string[] } {
		const criteria = new Set<string>();
		const unknown: string[] = [];
		for (const name of names) {
			const closure = this.closure(name);
			if (closure) for (const implied of closure) criteria.add(implied);
			else unknown.push(name);
		}
		return { criteria, unknown };
	}
}

/** Maps an import's criteria into the local namespace. */
export class CriteriaMapper {
	constructor(
		private readonly foreign: CriteriaSet,
		private readonly local: CriteriaSet,
		private readonly map: ReadonlyMap<string, readonly string[]>,
	) {}

	private mapOne(name: string, into: Set<string>): void {
		if (isBuiltIn(name)) into.add(name);
		for (const ours of this.map.get(name) ?? []) if (this.local.has(ours)) into.add(ours);
	}

	/** For audits: the foreign closure, mapped, closed locally. */
	mapClosed(names: readonly string[]): Set<string> {
		const mapped = new Set<string>();
		for (const name of names) {
			// A foreign criterion the import never defined still maps when named in `criteria-map`.
			for (const implied of this.foreign.closure(name) ?? [name]) this.mapOne(implied, mapped);
		}
		return this.local.closeAll([...mapped]).criteria;
	}

	/** For violations: mapped without closing (violating `safe-to-deploy` says nothing about `safe-to-run`). */
	mapOpen(names: readonly string[]): Set<string> {
		const mapped = new Set<string>();
		for (const name of names) this.mapOne(name, mapped);
		return mapped;
	}
}
