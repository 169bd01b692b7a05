/**
 * `.cargo_vcs_info.json` (formats.md §3.1): `git.sha1`, `git.dirty` (written only when true) and `path_in_vcs`
 * (absent before cargo 1.57, meaning the repository root). Hostile input is a reason, never a value git sees:
 * the sha1 must be 40 hex digits and the path plain relative components.
 */

export interface VcsInfo {
	/** Lowercase. */
	sha1: string;
	dirty: boolean;
	/** '' for the repository root; no leading, trailing or doubled `/`. */
	pathInVcs: string;
}

export function parseVcsInfo(text: string): VcsInfo | { error: string } {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { error: `.cargo_vcs_info.json is not JSON: ${(error as Error).message}` };
	}
	if (!isRecord(value)) return { error: '.cargo_vcs_info.json is not an object' };
	const git = value.git;
	if (!isRecord(git)) return { error: '.cargo_vcs_info.json has no "git" object' };
	if (typeof git.sha1 !== 'string' || !/^[0-9a-fA-F]{40}$/.test(git.sha1)) return { error: `.cargo_vcs_info.json: git.sha1 ${JSON.stringify(git.sha1)?.slice(0, 80)} is not 40 hex digits` };
	if (git.dirty !== undefined && typeof git.dirty !== 'boolean') return { error: '.cargo_vcs_info.json: git.dirty is not a boolean' };
	const path = value.path_in_vcs ?? '';
	if (typeof path !== 'string') return { error: '.cargo_vcs_info.json: path_in_vcs is not a string' };
	const problem = pathProblem(path);
	if (problem) return { error: `.cargo_vcs_info.json: path_in_vcs ${JSON.stringify(path).slice(0, 200)} ${problem}` };
	return { sha1: git.sha1.toLowerCase(), dirty: git.dirty === true, pathInVcs: path.split('/').filter((part) => part !== '').join('/') };
}

function pathProblem(path: string): string | undefined {
	if (path.startsWith('/') || path.includes('\\')) return 'is not a relative path';
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f]/.test(path)) return 'holds control characters';
	if (path.split('/').some((part) => part === '..' || part === '.')) return 'holds . or ..';
	return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
