/**
 * Reads the commit a git checkout is at straight from `.git`, without running git:
 * it is on the warm-start path and must cost a few file reads. Only regular files are read, so a FIFO cannot block us.
 */
import { join } from 'node:path';
import { readRegularFile } from '../readRegularFile';

async function readText(path: string): Promise<string | undefined> {
	const read = await readRegularFile(path);
	return 'text' in read ? read.text : undefined;
}

export async function readGitHead(dir: string): Promise<string | undefined> {
	const gitDir = join(dir, '.git');
	const head = await readText(join(gitDir, 'HEAD'));
	if (head === undefined) return undefined;
	const trimmed = head.trim();
	if (/^[0-9a-f]{40,64}$/.test(trimmed)) return trimmed;
	const ref = /^ref: (refs\/[^\s]+)$/.exec(trimmed)?.[1];
	if (!ref) return undefined;
	const loose = await readText(join(gitDir, ref));
	if (loose !== undefined) return loose.trim();
	const packed = (await readText(join(gitDir, 'packed-refs'))) ?? '';
	for (const line of packed.split('\n')) {
		const [sha, name] = line.split(' ');
		if (name === ref && sha) return sha;
	}
	return undefined;
}
