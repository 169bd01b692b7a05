/**
 * Downloads one `.crate` from its sparse registry's `dl` template and proves it is the package Cargo.lock pins:
 * the index `cksum` must equal the lockfile checksum, and the sha256 of the bytes must equal both, before a
 * single byte is handed on. Keeps the bytes in memory (never on disk); never throws.
 */
import type { LockedPackage } from '../../engine/lockfile/types';
import { dlUrl } from '../cratesIndex/registryConfig';
import type { HttpClient } from '../http/httpClient';
import { redactUrl } from '../http/redactUrl';
import { sameChecksum, sha256Hex } from './checksum';
import type { IndexClient } from './registryAccess';

export type Download = { bytes: Uint8Array; url: string } | { reason: string; transient: boolean };

export interface SparseRegistry {
	/** Ends in `/`. */
	indexUrl: string;
	/** The registry's own token, from resolveRegistry. */
	token: string | undefined;
	index: IndexClient;
}

/** `lockChecksum` is the package's Cargo.lock checksum (the caller has made sure there is one). */
export async function downloadCrate(pkg: LockedPackage, lockChecksum: string, registry: SparseRegistry, http: HttpClient, signal: AbortSignal): Promise<Download> {
	const { index } = registry;
	// Reasons end up in the JSON report and the log: never with the credentials an index or dl URL may carry.
	const indexUrl = redactUrl(registry.indexUrl);
	const file = `${pkg.name}-${pkg.version}.crate`;
	const config = await index.fetchConfig(signal);
	if (config.status === 'error') return { reason: `cannot read ${indexUrl}config.json to download ${file}: ${config.detail}`, transient: true };
	const versions = await index.fetchVersions(pkg.name, signal);
	if (versions.status === 'not-found') return { reason: `${pkg.name} is not in the index ${indexUrl}`, transient: false };
	if (versions.status === 'error') return { reason: `cannot read the index entry of ${pkg.name} at ${indexUrl}: ${versions.detail}`, transient: true };
	const line = versions.versions.find((version) => version.vers === pkg.version);
	if (!line) return { reason: `${pkg.name} ${pkg.version} is not in the index ${indexUrl}`, transient: false };
	if (!sameChecksum(line.cksum, lockChecksum)) {
		return { reason: `the index ${indexUrl} says ${file} has sha256 ${line.cksum} but Cargo.lock says ${lockChecksum}; not downloaded`, transient: false };
	}
	const url = dlUrl(config.config, pkg.name, pkg.version, line.cksum);
	const shownUrl = redactUrl(url);
	// The token goes only where cargo would send it: to a registry that requires authentication.
	const token = config.config.authRequired ? registry.token : undefined;
	const response = await http.get(url, { signal, ...(token ? { token } : {}) });
	if (response.status === 'not-found') return { reason: `${shownUrl} answered HTTP ${response.httpStatus}`, transient: false };
	if (response.status === 'not-modified') return { reason: `${shownUrl} answered 304 to a request that was not conditional`, transient: true };
	if (response.status === 'error') return { reason: `cannot download ${shownUrl}: ${response.detail}`, transient: response.reason !== 'too-large' };
	const actual = sha256Hex(response.body);
	if (!sameChecksum(actual, lockChecksum)) return { reason: `downloaded ${file} has sha256 ${actual} but Cargo.lock says ${lockChecksum}`, transient: false };
	return { bytes: response.body, url };
}
