/**
 * The title of a pin/upgrade fix: the version and why it is trusted, from known facts only, e.g.
 * `Pin to 1.23.0 (audited safe-to-deploy by acme, 896 days old, no advisories, leaves "1.24")`.
 */
export interface FixDescription {
	action: 'pin' | 'upgrade';
	version: string;
	reasons: readonly string[];
	/** The manifest requirement X.Y.Z does not satisfy, when it leaves one. */
	leaves: string | undefined;
}

export function fixTitle(fix: FixDescription): string {
	const verb = fix.action === 'pin' ? 'Pin to' : 'Upgrade to';
	const notes = [...fix.reasons, ...(fix.leaves !== undefined ? [`leaves "${fix.leaves}"`] : [])];
	return notes.length ? `${verb} ${fix.version} (${notes.join(', ')})` : `${verb} ${fix.version}`;
}
