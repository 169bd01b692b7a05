/**
 * Whether a crate's `package.repository` may be handed to git. It comes from a stranger, so only a plain
 * `https://host/path` URL is: no other scheme (`ext::` runs commands, `file://` reads our disk, `ssh://` and
 * `git://` bypass the user's https proxy and CA settings), no credentials, nothing git could read as an option,
 * no spaces, control or non-ASCII characters. http is reached only through the user's own insteadOf rewrites.
 */
import { normalizeRepositoryUrl } from '../../engine/provenance/forge';

export function checkRepositoryUrl(raw: string): { url: string } | { reason: string } {
	const shown = JSON.stringify(raw.slice(0, 200));
	const refused = (why: string): { reason: string } => ({ reason: `repository ${shown} ${why}; only plain https:// URLs are fetched` });
	if (raw.startsWith('-')) return refused('starts with "-"');
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0020\u007f]/.test(raw)) return refused('holds spaces or control characters');
	if (/[^\u0021-\u007e]/.test(raw)) return refused('holds non-ASCII characters');
	if (!raw.startsWith('https://')) return refused('is not an https:// URL');
	let parsed: URL;
	try {
		parsed = new URL(raw);
	} catch {
		return refused('is not a URL');
	}
	if (parsed.protocol !== 'https:' || parsed.hostname === '') return refused('does not name an https server');
	if (parsed.username !== '' || parsed.password !== '' || raw.slice('https://'.length).split('/')[0]?.includes('@')) return refused('holds credentials');
	if (parsed.search !== '' || parsed.hash !== '') return refused('has a query or fragment');
	// `.../tree/main/sub` and `....git` are the same repository: fetched from one URL, into one clone.
	return { url: normalizeRepositoryUrl(raw) };
}
