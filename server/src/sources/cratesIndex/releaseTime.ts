/**
 * When a version was published: the index's `pubtime` when the line has one, else crates.io's `created_at`
 * from the web API (crates.io only: other registries have no such API). Never `updated_at`, which a yank moves.
 */
import { type Fact, known, unknown } from '../../engine/facts';
import type { CratesApi } from './cratesApi';
import type { IndexVersion } from './parseIndexFile';

/** `api` is undefined for registries other than crates.io; `indexFetchedAt` is when the index line was read. */
export async function releaseTime(version: IndexVersion, indexFetchedAt: string, api: CratesApi | undefined, signal?: AbortSignal): Promise<Fact<string>> {
	if (version.pubtime) return known(version.pubtime, 'index pubtime', indexFetchedAt);
	if (!api) return unknown(`the index has no publish time for ${version.name} ${version.vers}, and this registry has no API to ask`);
	const result = await api.publishTime(version.name, version.vers, signal);
	if (result.status === 'ok') return known(result.value, 'crates.io API created_at', null);
	if (result.status === 'not-found') return unknown(`crates.io does not know ${version.name} ${version.vers}`);
	return unknown(`crates.io API: ${result.reason} (${result.detail})`);
}
