/**
 * A sparse registry's `config.json` (`dl`, `api`, `auth-required`) and the download URL it implies for a
 * version, with every marker cargo substitutes. Pure.
 */
import { dirPrefix } from './indexPath';

export interface RegistryConfig {
	/** Download URL template, or a base to which `/{crate}/{version}/download` is appended. */
	dl: string;
	/** Web API base (crates.io's is https://crates.io); absent for registries without one. */
	api: string | undefined;
	authRequired: boolean;
}

export function parseRegistryConfig(text: string): RegistryConfig | string {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return `config.json is not JSON: ${(error as Error).message}`;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'config.json is not a JSON object';
	const record = value as Record<string, unknown>;
	if (typeof record.dl !== 'string' || !record.dl) return 'config.json has no `dl`';
	return {
		dl: record.dl,
		api: typeof record.api === 'string' && record.api ? record.api : undefined,
		authRequired: record['auth-required'] === true,
	};
}

const MARKERS = ['{crate}', '{version}', '{prefix}', '{lowerprefix}', '{sha256-checksum}'];

/** The .crate URL of one version, as cargo builds it (no percent-encoding, like cargo). */
export function dlUrl(config: Pick<RegistryConfig, 'dl'>, name: string, version: string, cksum: string): string {
	if (!MARKERS.some((marker) => config.dl.includes(marker))) return `${config.dl}/${name}/${version}/download`;
	const prefix = dirPrefix(name);
	return config.dl
		.replaceAll('{crate}', name)
		.replaceAll('{version}', version)
		.replaceAll('{prefix}', prefix)
		.replaceAll('{lowerprefix}', prefix.toLowerCase())
		.replaceAll('{sha256-checksum}', cksum);
}
