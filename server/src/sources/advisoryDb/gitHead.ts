/**
 * Reads the commit a git checkout is at straight from `.git`, without running git:
 * it is on the warm-start path and must cost a few file reads.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readGitHead(dir: string): Promise<string | undefined> {
	const gitDir = join(dir, '.git');
	const head = await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => undefined);
	if (head === undefined) return undefined;
	const trimmed = head.trim();
	if (/^[0-9a-f]{40,64}$/.test(trimmed)) return trimmed;
	const ref = /^ref: (refs\/[^\s]+)$/.exec(trimmed)?.[1];
	if (!ref) return undefined;
	const loose = await readFile(join(gitDir, ref), 'utf8').catch(() => undefined);
	if (loose !== undefined) return loose.trim();
	const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
	for (const line of packed.split('\n')) {
		const [sha, name] = line.split(' ');
		if (name === ref && sha) return sha;
	}
	return undefined;
}
