/**
 * What a cargo configuration says, as one string: two reads of the same files (and credentials, and environment)
 * give equal fingerprints, and any changed value, origin or notice a different one. "Refresh Data" compares them
 * to keep a root's sources (and every fact they hold) when nothing changed.
 */
import type { CargoConfig } from './types';

export function configFingerprint(config: CargoConfig): string {
	// The merged tables and the definitions are Maps, which JSON would write as `{}`.
	return JSON.stringify(config, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
}
