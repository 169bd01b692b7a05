/**
 * Reading `.crate` archives in memory: a normal crate, every hostile entry (skipped and reported), limits that
 * stop gzip bombs and entry floods, corrupt and truncated archives (errors, never throws), and a seeded fuzz.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ByteBudget } from '../../../server/src/sources/crateSource/byteBudget';
import { readCrateArchive, type CrateArchive, type CrateArchiveLimits, type FileAnomaly } from '../../../server/src/sources/crateSource/readCrateArchive';
import { buildTar, fixChecksum, gnuLongName, paxHeader, tarEntry, type TarEntrySpec } from '../../support/tarBuilder';
import { seededRandom } from '../../support/seededRandom';

const ROOT = 'demo-1.0.0';
const decoder = new TextDecoder();

function gzip(tar: Uint8Array): Uint8Array {
	return gzipSync(tar, { level: 1 });
}

function entries(specs: TarEntrySpec[]): Uint8Array {
	return buildTar(specs.map(tarEntry));
}

function texts(result: CrateArchive): Record<string, string> {
	assert.ok(!('error' in result), `unexpected error: ${'error' in result ? result.error : ''}`);
	return Object.fromEntries(result.files.map((file) => [file.path, decoder.decode(file.bytes)]));
}

async function checkFiles(tar: Uint8Array, expected: Record<string, string>, anomalies: FileAnomaly[] = []): Promise<void> {
	const result = await readCrateArchive(gzip(tar), ROOT);
	assert.deepEqual(texts(result), expected);
	assert.ok(!('error' in result));
	assert.deepEqual(result.anomalies, anomalies);
}

async function checkError(compressed: Uint8Array, pattern: RegExp, limits: Partial<CrateArchiveLimits> = {}): Promise<void> {
	const result = await readCrateArchive(compressed, ROOT, limits);
	assert.ok('error' in result, 'expected an error result');
	assert.match(result.error, pattern);
}

const lib = { name: `${ROOT}/src/lib.rs`, data: 'pub fn f() {}' };
const hostile: [string, TarEntrySpec, string][] = [
	['parent directory traversal', { name: `${ROOT}/../evil.rs`, data: 'x' }, 'parent directory (..) in path'],
	['traversal before the prefix', { name: `../${ROOT}/src/x.rs`, data: 'x' }, 'parent directory (..) in path'],
	['absolute path', { name: '/etc/passwd', data: 'x' }, 'absolute path'],
	['backslash', { name: `${ROOT}\\src\\x.rs`, data: 'x' }, 'backslash in path'],
	['drive letter', { name: `C:/${ROOT}/x.rs`, data: 'x' }, 'drive letter in path'],
	['outside the prefix', { name: 'other-1.0.0/src/lib.rs', data: 'x' }, `outside ${ROOT}/`],
	['prefix as a longer name', { name: `${ROOT}x/src/lib.rs`, data: 'x' }, `outside ${ROOT}/`],
	['symlink', { name: `${ROOT}/src/link.rs`, type: '2', linkname: '/etc/passwd' }, 'symbolic link'],
	['hard link', { name: `${ROOT}/src/hard.rs`, type: '1', linkname: `${ROOT}/src/lib.rs` }, 'hard link'],
	['character device', { name: `${ROOT}/dev`, type: '3' }, 'character device'],
	['block device', { name: `${ROOT}/disk`, type: '4' }, 'block device'],
	['fifo', { name: `${ROOT}/pipe`, type: '6' }, 'fifo'],
	['unknown type', { name: `${ROOT}/sparse`, type: 'S' }, 'unsupported entry type "S"'],
	['file named like the root', { name: ROOT, data: 'x' }, `regular file named ${ROOT} itself`],
];

describe('readCrateArchive', () => {
	it('reads a normal crate, dropping directories and the prefix', async () => {
		const tar = entries([
			{ name: `${ROOT}/`, type: '5' },
			{ name: `${ROOT}/Cargo.toml`, data: '[package]\nname = "demo"\n' },
			{ name: `${ROOT}/src/`, type: '5' },
			lib,
			{ name: `${ROOT}/empty.rs` },
			{ name: `${ROOT}/big.bin`, data: new Uint8Array(1500).fill(7) },
		]);
		const result = await readCrateArchive(gzip(tar), `${ROOT}/`);
		assert.ok(!('error' in result));
		assert.deepEqual(result.files.map((file) => [file.path, file.bytes.length]), [['Cargo.toml', 24], ['src/lib.rs', 13], ['empty.rs', 0], ['big.bin', 1500]]);
		assert.ok(result.files[3]?.bytes.every((byte) => byte === 7));
		assert.deepEqual(result.anomalies, []);
	});

	for (const [name, spec, reason] of hostile) {
		it(`skips and reports: ${name}`, () => checkFiles(entries([lib, spec]), { 'src/lib.rs': 'pub fn f() {}' }, [{ path: spec.name, reason }]));
	}

	it('reads GNU long names', async () => {
		const long = `${ROOT}/src/${'a'.repeat(150)}.rs`;
		await checkFiles(buildTar([...gnuLongName(long, { data: 'long' }), tarEntry(lib)]), { [`src/${'a'.repeat(150)}.rs`]: 'long', 'src/lib.rs': 'pub fn f() {}' });
	});

	it('checks GNU long names like any path', async () => {
		await checkFiles(buildTar(gnuLongName(`${ROOT}/${'../'.repeat(40)}etc/passwd`, { data: 'x' })), {}, [
			{ path: `${ROOT}/${'../'.repeat(40)}etc/passwd`, reason: 'parent directory (..) in path' },
		]);
	});

	it('reads pax paths and sizes, and ignores global pax headers', async () => {
		const long = `${ROOT}/src/${'b'.repeat(200)}.rs`;
		const tar = buildTar([
			tarEntry({ name: 'pax_global_header', type: 'g', data: '20 comment=ignored\n' }),
			paxHeader({ path: long, size: '5' }),
			tarEntry({ name: 'truncated-name', data: 'hello', size: 0 }),
			tarEntry(lib),
		]);
		await checkFiles(tar, { [`src/${'b'.repeat(200)}.rs`]: 'hello', 'src/lib.rs': 'pub fn f() {}' });
	});

	it('joins the ustar prefix field, but not in GNU headers', async () => {
		await checkFiles(entries([{ name: 'src/lib.rs', prefix: ROOT, data: 'p' }]), { 'src/lib.rs': 'p' });
	});

	it('reads base-256 sizes', async () => {
		await checkFiles(entries([{ ...lib, base256Size: true }]), { 'src/lib.rs': 'pub fn f() {}' });
	});

	it('keeps the last of duplicate entries and reports it', async () => {
		await checkFiles(entries([lib, { ...lib, data: 'second' }]), { 'src/lib.rs': 'second' }, [{ path: lib.name, reason: 'duplicate entry; the last one is kept, as extraction would' }]);
	});

	it('skips an entry over the size limit and reports it', async () => {
		const result = await readCrateArchive(gzip(entries([lib, { name: `${ROOT}/huge.bin`, data: new Uint8Array(4096) }])), ROOT, { maxEntryBytes: 1024 });
		assert.deepEqual(texts(result), { 'src/lib.rs': 'pub fn f() {}' });
		assert.ok(!('error' in result));
		assert.deepEqual(result.anomalies, [{ path: `${ROOT}/huge.bin`, reason: 'larger than 1024 bytes' }]);
	});

	it('lets a file over the size limit flow past: skipped and reported, the others kept, nothing pinned or reserved for it', async () => {
		const budget = new ByteBudget(256 * 1024);
		const lease = budget.lease();
		// 4 MiB of zeros, as a .rs file: far over both the entry limit and the whole budget.
		const tar = entries([{ name: `${ROOT}/Cargo.toml`, data: '[package]\n' }, { name: `${ROOT}/src/zeros.rs`, data: new Uint8Array(4 * 1024 * 1024) }, lib]);
		const result = await readCrateArchive(gzip(tar), ROOT, { maxEntryBytes: 1024 * 1024 }, { lease });
		assert.deepEqual(texts(result), { 'Cargo.toml': '[package]\n', 'src/lib.rs': 'pub fn f() {}' });
		assert.ok(!('error' in result));
		assert.deepEqual(result.anomalies, [{ path: `${ROOT}/src/zeros.rs`, reason: 'larger than 1048576 bytes' }]);
		// Each kept file is its own small buffer, not a view that keeps the whole decompressed archive alive.
		for (const file of result.files) assert.ok(file.bytes.buffer.byteLength < 4096, `${file.path} pins ${file.bytes.buffer.byteLength} bytes`);
		assert.equal(lease.bytes, 10 + 13);
		assert.equal(budget.inUse, 23);
		lease.release();
		assert.equal(budget.inUse, 0);
	});

	it('refuses a package whose kept files need more than the budget can grant', async () => {
		const lease = new ByteBudget(4096).lease();
		const result = await readCrateArchive(gzip(entries([lib, { name: `${ROOT}/src/big.rs`, data: new Uint8Array(8192).fill(0x20) }])), ROOT, {}, { lease });
		assert.ok('error' in result);
		assert.equal(result.error, 'files larger than 4096 bytes in total');
		assert.equal(lease.bytes, 0);
	});

	it('still rejects a gzip bomb with a clear reason when streaming, and holds nothing after', async () => {
		const budget = new ByteBudget(1024 * 1024);
		const lease = budget.lease();
		const bomb = gzipSync(entries([lib, { name: `${ROOT}/src/zeros.rs`, data: new Uint8Array(32 * 1024 * 1024) }]), { level: 9 });
		const result = await readCrateArchive(bomb, ROOT, { maxUncompressedBytes: 8 * 1024 * 1024 }, { lease });
		assert.ok('error' in result);
		assert.equal(result.error, 'uncompressed size exceeds the limit of 8388608 bytes');
		assert.equal(budget.inUse, 0);
	});

	it('accepts an archive without end blocks, and ignores what follows them', async () => {
		await checkFiles(buildTar([tarEntry(lib)], false), { 'src/lib.rs': 'pub fn f() {}' });
		await checkFiles(buildTar([buildTar([tarEntry(lib)]), new Uint8Array(512).fill(1)], false), { 'src/lib.rs': 'pub fn f() {}' });
	});

	it('stops a gzip bomb at the limit', async () => {
		// 1 GiB of zeros as 1024 gzip members of 1 MiB each: about 1 MB to build, concatenated members are valid gzip.
		const member = gzipSync(new Uint8Array(1024 * 1024), { level: 9 });
		const bomb = new Uint8Array(member.length * 1024);
		for (let i = 0; i < 1024; i++) bomb.set(member, i * member.length);
		const started = Date.now();
		await checkError(bomb, /uncompressed size exceeds the limit of 16777216 bytes/, { maxUncompressedBytes: 16 * 1024 * 1024 });
		assert.ok(Date.now() - started < 5000, 'the bomb was expanded too far');
	});

	it('stops a single-member gzip bomb at the limit', async () => {
		const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
		await checkError(bomb, /uncompressed size exceeds the limit of 8388608 bytes/, { maxUncompressedBytes: 8 * 1024 * 1024 });
	});

	it('refuses an oversized download before decompressing', () => checkError(new Uint8Array(2048), /compressed size 2048 exceeds the limit of 1024 bytes/, { maxCompressedBytes: 1024 }));
	it('refuses more entries than the limit', () => checkError(gzip(entries([lib, lib, lib])), /more than 2 entries/, { maxEntries: 2 }));
	it('refuses what is not gzip', () => checkError(new TextEncoder().encode('not gzip at all'), /not a valid gzip stream/));
	it('refuses truncated gzip', () => checkError(gzip(entries([lib])).subarray(0, 30), /not a valid gzip stream/));
	it('returns an error for an impossible limit instead of throwing', () => checkError(gzip(entries([lib])), /cannot decompress/, { maxUncompressedBytes: 0 }));

	it('refuses a truncated entry', async () => {
		const tar = entries([{ name: `${ROOT}/big.bin`, data: new Uint8Array(5000) }]);
		await checkError(gzip(tar.subarray(0, 2048)), /truncated entry at offset 0/);
	});

	it('refuses a truncated header', () => checkError(gzip(tarEntry(lib).subarray(0, 300)), /truncated header at offset 0/));

	it('refuses a corrupt header checksum', async () => {
		const tar = entries([lib, { name: `${ROOT}/b.rs`, data: 'b' }]);
		tar[1024] = 0x78;
		await checkError(gzip(tar), /corrupt header checksum at offset 1024/);
	});

	it('refuses an invalid size field', async () => {
		const tar = entries([lib]);
		tar.set(new TextEncoder().encode('9z'), 124);
		fixChecksum(tar, 0);
		await checkError(gzip(tar), /invalid size field at offset 0/);
	});

	it('refuses a lone zero block followed by data', () => checkError(gzip(buildTar([tarEntry(lib), new Uint8Array(512), tarEntry(lib)])), /single zero block at offset 1024/));
	it('refuses a malformed pax header', () => checkError(gzip(buildTar([tarEntry({ name: 'x', type: 'x', data: '99 path=a\n' }), tarEntry(lib)])), /malformed pax header at offset 0/));
	it('refuses an oversized long name', () => checkError(gzip(entries([{ name: 'L', type: 'L', data: new Uint8Array(2 * 1024 * 1024) }])), /extended header larger than/));
});

function mutate(tar: Uint8Array, random: () => number): Uint8Array {
	const int = (n: number): number => Math.floor(random() * n);
	const choice = int(4);
	if (choice === 0) return tar.subarray(0, int(tar.length + 1));
	const copy = new Uint8Array(tar.length + (choice === 3 ? 512 : 0));
	copy.set(tar);
	for (let flips = 1 + int(8); flips > 0; flips--) {
		const at = choice === 1 ? int(copy.length) : int(copy.length / 512) * 512 + int(512);
		copy[at] = int(256);
	}
	if (choice === 3) copy.set(tarHeader512(random), Math.min(int(copy.length / 512) * 512, copy.length - 512));
	// Most mutations of a header would only fail its checksum; re-sealing them reaches the code behind it.
	if (choice >= 2) for (let offset = 0; offset + 512 <= copy.length; offset += 512) if (random() < 0.5) fixChecksum(copy, offset);
	return copy;
}

function tarHeader512(random: () => number): Uint8Array {
	const types = ['0', '1', '2', '5', 'L', 'x', 'g', 'K', '7', 'S', '\0'];
	const header = tarEntry({ name: `${ROOT}/${random() < 0.5 ? '../' : ''}f`, type: types[Math.floor(random() * types.length)] ?? '0', size: Math.floor(random() * 4096) });
	return header.subarray(0, 512);
}

describe('readCrateArchive fuzz', () => {
	it('never throws and never exceeds its limits on mutated archives', async () => {
		const limits: CrateArchiveLimits = { maxCompressedBytes: 1 << 20, maxUncompressedBytes: 64 * 1024, maxEntries: 8, maxEntryBytes: 2048 };
		const seed = buildTar([
			tarEntry({ name: `${ROOT}/`, type: '5' }),
			tarEntry(lib),
			...gnuLongName(`${ROOT}/src/${'c'.repeat(120)}.rs`, { data: 'long' }),
			paxHeader({ path: `${ROOT}/src/pax.rs`, size: '3' }),
			tarEntry({ name: 'p', data: 'pax', size: 0 }),
			tarEntry({ name: `${ROOT}/src/link.rs`, type: '2', linkname: 'lib.rs' }),
			tarEntry({ name: `${ROOT}/data.bin`, data: new Uint8Array(1000).fill(1) }),
		]);
		const random = seededRandom(20261124);
		const outcomes = { error: 0, read: 0 };
		for (let i = 0; i < 3000; i++) {
			const tar = mutate(seed, random);
			const compressed = i % 10 === 9 ? mutate(gzip(tar), random) : gzip(tar);
			const result = await readCrateArchive(compressed, ROOT, limits);
			if ('error' in result) {
				outcomes.error++;
				continue;
			}
			outcomes.read++;
			assert.ok(result.files.length <= limits.maxEntries, `iteration ${i}: too many files`);
			let total = 0;
			for (const file of result.files) {
				assert.ok(file.bytes.length <= limits.maxEntryBytes, `iteration ${i}: file over the entry limit`);
				assert.ok(!file.path.split('/').includes('..') && !file.path.startsWith('/'), `iteration ${i}: unsafe path ${file.path}`);
				total += file.bytes.length;
			}
			assert.ok(total <= limits.maxUncompressedBytes, `iteration ${i}: over the total limit`);
		}
		// A fuzz where every case fails at the first checksum would test nothing behind it.
		assert.ok(outcomes.read > 300 && outcomes.error > 300, JSON.stringify(outcomes));
	});
});
