/**
 * RustSec's version requirements in words, for messages and hover: each alternative readable
 * (`>= 0.8.6, < 0.9.0` → `0.8.6 to before 0.9.0`), alternatives joined with "or", and the first fixed version
 * above a locked one.
 */
import { parseCargoReq, type Comparator } from '../semver/cargoReq';
import { compareVersions, parseVersion } from '../semver/version';

/** The version of a comparator as written (`>= 0.2` → `0.2`). */
function versionText(part: string): string {
	return part.trim().replace(/^(>=|<=|>|<|=|~|\^)\s*/, '');
}

/** One requirement in words; a form with no plainer reading (`^0.6.14`, `~1.2`) stays as written. */
export function describeRange(req: string): string {
	const parsed = parseCargoReq(req);
	const parts = req.split(',').map((part) => part.trim());
	if ('error' in parsed) return req.trim();
	const ops = parsed.req.comparators.map((c) => c.op);
	if (ops.length === 1) {
		const v = versionText(parts[0]!);
		switch (ops[0]) {
			case '>=':
				return `${v} or later`;
			case '>':
				return `after ${v}`;
			case '<':
				return `before ${v}`;
			case '<=':
				return `${v} or earlier`;
			case '=':
				return v;
			default:
				return parts[0]!;
		}
	}
	if (ops.length === 2) {
		const lower = ops.findIndex((op) => op === '>=' || op === '>');
		const upper = ops.findIndex((op) => op === '<' || op === '<=');
		if (lower !== -1 && upper !== -1) {
			const from = ops[lower] === '>=' ? versionText(parts[lower]!) : `after ${versionText(parts[lower]!)}`;
			return `${from} to ${ops[upper] === '<' ? 'before ' : ''}${versionText(parts[upper]!)}`;
		}
	}
	return req.trim();
}

/** Alternatives (RustSec's `patched` or `unaffected` lists) joined with "or". */
export function describeAlternatives(reqs: readonly string[]): string {
	return reqs.map(describeRange).join(' or ');
}

/** The lowest version a requirement admits, when it has one written out (`>= 1.2.3`, `^1.2.3`, `=1.2.3`). */
function lowerBound(c: Comparator): string | undefined {
	if (c.op === '>=' || c.op === '^' || c.op === '~' || c.op === '=') return `${c.major}.${c.minor ?? 0}.${c.patch ?? 0}${c.pre.length ? `-${c.pre.join('.')}` : ''}`;
	return undefined;
}

/**
 * The smallest patched version above the locked one (`fixed in 0.8.11`), as written in the advisory; undefined when
 * no patched range starts above it (then the alternatives are listed instead).
 */
export function firstFixAbove(patched: readonly string[], locked: string): string | undefined {
	const current = parseVersion(locked);
	if (!current) return undefined;
	let best: { text: string; version: NonNullable<ReturnType<typeof parseVersion>> } | undefined;
	for (const req of patched) {
		const parsed = parseCargoReq(req);
		if ('error' in parsed) continue;
		for (const [i, c] of parsed.req.comparators.entries()) {
			const bound = lowerBound(c);
			const version = bound === undefined ? undefined : parseVersion(bound);
			if (!version || compareVersions(version, current) <= 0) continue;
			if (!best || compareVersions(version, best.version) < 0) best = { text: versionText(req.split(',')[i]!), version };
		}
	}
	return best?.text;
}
