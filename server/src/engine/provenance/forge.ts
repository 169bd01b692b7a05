/**
 * Repository URLs as crates write them, and commit links on the forges we know. Pure text work on a URL that
 * comes from a stranger's crate: the caller has already refused anything but plain https (repositoryUrl.ts).
 */

/** Hosts whose commit pages we know how to link; `path` builds it from the repository path (`/owner/repo`). */
const FORGES: { host: RegExp; commit: (repo: string, sha: string) => string }[] = [
	{ host: /^github\.com$/, commit: (repo, sha) => `${repo}/commit/${sha}` },
	{ host: /^(gitlab\.com|gitlab\.[a-z0-9.-]+|salsa\.debian\.org|framagit\.org)$/, commit: (repo, sha) => `${repo}/-/commit/${sha}` },
	{ host: /^(codeberg\.org)$/, commit: (repo, sha) => `${repo}/commit/${sha}` },
	{ host: /^git\.sr\.ht$/, commit: (repo, sha) => `${repo}/commit/${sha}` },
];

/**
 * The repository itself from a URL people paste: a trailing `/` or `.git` dropped, and a browsing suffix
 * (GitHub's and Codeberg's `/tree/<branch>/<path>`, `/blob/...`; GitLab's `/-/tree/...`) cut, so that
 * `https://github.com/o/r/tree/main/sub` and `https://github.com/o/r.git` both fetch `https://github.com/o/r`
 * (one clone in our cache). Unknown hosts are left as written but for the trailing `/`.
 */
export function normalizeRepositoryUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return url;
	}
	const host = parsed.hostname.toLowerCase();
	let path = parsed.pathname.replace(/\/+$/, '');
	const gitlab = host === 'gitlab.com' || host.startsWith('gitlab.');
	if (gitlab) path = path.replace(/\/-\/.*$/, '');
	else if (host === 'github.com' || host === 'codeberg.org') {
		const [, owner, repo] = path.split('/');
		if (owner && repo) path = `/${owner}/${repo}`;
	} else if (host === 'git.sr.ht') {
		const [, owner, repo] = path.split('/');
		if (owner && repo) path = `/${owner}/${repo}`;
	}
	if (host === 'github.com' || host === 'codeberg.org' || gitlab) path = path.replace(/\.git$/, '');
	return `${parsed.protocol}//${parsed.host}${path}`;
}

/** The commit's page on its forge, or undefined for a host we do not know (no guessed links). */
export function commitUrl(repository: string, commit: string): string | undefined {
	if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
	const repo = normalizeRepositoryUrl(repository);
	let parsed: URL;
	try {
		parsed = new URL(repo);
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.search || parsed.hash) return undefined;
	// Only owner/repo-like paths of safe characters: the link's text goes into Markdown as a destination.
	if (!/^(\/[A-Za-z0-9._~-]+){2,}$/.test(parsed.pathname)) return undefined;
	const forge = FORGES.find((candidate) => candidate.host.test(parsed.hostname.toLowerCase()));
	return forge?.commit(repo, commit);
}
