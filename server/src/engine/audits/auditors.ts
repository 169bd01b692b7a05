/**
 * Who stands behind one step of a vetting path, as people read it: an import by its name (the organisation the
 * user chose to trust), a local audit by its `who` without e-mail addresses ("Nick Fitzgerald", not the address),
 * else "this workspace".
 */
import type { AuditStep } from './auditGraph';

/** `Name <mail>` → `Name`; a bare address stays as it is (it is all we have). */
function personName(who: string): string {
	const name = who.replace(/<[^>]*>/g, '').trim();
	return name || who.trim();
}

export function auditorOf(step: AuditStep): string {
	if (step.source !== 'local') return step.source;
	const names = [...new Set(step.who.map(personName).filter(Boolean))];
	return names.length ? names.join(', ') : 'this workspace';
}
