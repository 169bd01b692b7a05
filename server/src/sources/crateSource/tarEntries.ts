/**
 * Reads the entries of an uncompressed tar archive held in memory: ustar and GNU headers, octal and base-256
 * numbers, checksums, the ustar `prefix` field, GNU long names (`L`) and pax headers (`x`; `g` is ignored).
 * Only regular files under `NAME-VERSION/` are returned; every other entry that could write outside the
 * package or is not plain data (links, devices, `..`, absolute paths) is skipped and reported. Errors are values.
 */
import { TextDecoder } from 'node:util';

export interface PackageFile {
	/** Relative to the package root, with `/`. */
	path: string;
	/** A view into the decompressed archive, not a copy. */
	bytes: Uint8Array;
}

export interface FileAnomaly {
	path: string;
	reason: string;
}

export type TarContents = { files: PackageFile[]; anomalies: FileAnomaly[] } | { error: string };

export interface TarLimits {
	maxEntries: number;
	maxEntryBytes: number;
}

const BLOCK = 512;
/** Long names and pax records are a few hundred bytes; more is an attack, not a path. */
const MAX_METADATA_BYTES = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const SKIPPED_TYPES: Readonly<Record<string, string>> = {
	'1': 'hard link',
	'2': 'symbolic link',
	'3': 'character device',
	'4': 'block device',
	'6': 'fifo',
};

/** What `L` and `x` headers say about the entry that follows them; a null path could not be decoded. */
interface Pending {
	path?: string | null;
	size?: number;
}

export function readTarEntries(tar: Uint8Array, prefix: string, limits: TarLimits): TarContents {
	const root = prefix.replace(/\/+$/, '');
	const files = new Map<string, Uint8Array>();
	const anomalies: FileAnomaly[] = [];
	let pending: Pending = {};
	let entries = 0;
	let offset = 0;
	while (offset < tar.length) {
		if (tar.length - offset < BLOCK) return isZero(tar, offset, tar.length) ? done(files, anomalies) : { error: `truncated header at offset ${offset}` };
		if (isZero(tar, offset, offset + BLOCK)) {
			const next = offset + BLOCK;
			if (next >= tar.length || isZero(tar, next, Math.min(next + BLOCK, tar.length))) return done(files, anomalies);
			return { error: `single zero block at offset ${offset} followed by data` };
		}
		const header = tar.subarray(offset, offset + BLOCK);
		if (!checksumMatches(header)) return { error: `corrupt header checksum at offset ${offset}` };
		const type = String.fromCharCode(header[156] ?? 0);
		const metadata = type === 'L' || type === 'x' || type === 'K' || type === 'g';
		const size = (metadata ? undefined : pending.size) ?? readNumber(header, 124, 12);
		if (size === undefined) return { error: `invalid size field at offset ${offset}` };
		const start = offset + BLOCK;
		if (size > tar.length - start) return { error: `truncated entry at offset ${offset}` };
		const data = tar.subarray(start, start + size);
		const at = offset;
		offset = start + Math.ceil(size / BLOCK) * BLOCK;
		if (metadata) {
			if (type === 'K' || type === 'g') continue;
			if (size > MAX_METADATA_BYTES) return { error: `extended header larger than ${MAX_METADATA_BYTES} bytes at offset ${at}` };
			const read = type === 'L' ? { path: text(data.subarray(0, nulIndex(data))) ?? null } : readPax(data);
			if ('error' in read) return { error: `${read.error} at offset ${at}` };
			pending = { ...pending, ...read };
			continue;
		}
		if (++entries > limits.maxEntries) return { error: `more than ${limits.maxEntries} entries` };
		const path = pending.path === undefined ? headerPath(header) : pending.path;
		pending = {};
		if (path === undefined || path === null) {
			anomalies.push({ path: '(not UTF-8)', reason: 'path is not valid UTF-8' });
			continue;
		}
		const anomaly = checkEntry(path, type, size, root, limits);
		if (anomaly !== undefined) {
			anomalies.push({ path, reason: anomaly });
			continue;
		}
		const relative = relativePath(path, root);
		if (type === '5' || relative === '') continue;
		if (files.has(relative)) anomalies.push({ path, reason: 'duplicate entry; the last one is kept, as extraction would' });
		files.set(relative, data);
	}
	return done(files, anomalies);
}

function done(files: Map<string, Uint8Array>, anomalies: FileAnomaly[]): TarContents {
	return { files: [...files].map(([path, bytes]) => ({ path, bytes })), anomalies };
}

/** Why an entry is skipped, or undefined for a regular file or directory inside the package. */
function checkEntry(path: string, type: string, size: number, root: string, limits: TarLimits): string | undefined {
	if (path.includes('\\')) return 'backslash in path';
	if (path.includes('\0')) return 'NUL in path';
	if (path.startsWith('/')) return 'absolute path';
	if (/^[A-Za-z]:/.test(path)) return 'drive letter in path';
	const parts = path.split('/');
	if (parts.includes('..')) return 'parent directory (..) in path';
	if (parts.find((part) => part !== '' && part !== '.') !== root) return `outside ${root}/`;
	const skipped = SKIPPED_TYPES[type];
	if (skipped !== undefined) return skipped;
	if (type === '5') return undefined;
	if (type !== '0' && type !== '\0' && type !== '7') return `unsupported entry type ${JSON.stringify(type)}`;
	if (relativePath(path, root) === '') return `regular file named ${root} itself`;
	if (size > limits.maxEntryBytes) return `larger than ${limits.maxEntryBytes} bytes`;
	return undefined;
}

/** The path below `root/`, without `.` and empty components; checkEntry has made sure it starts with `root`. */
function relativePath(path: string, root: string): string {
	const parts = path.split('/').filter((part) => part !== '' && part !== '.');
	return parts[0] === root ? parts.slice(1).join('/') : '';
}

/** `prefix/name` for POSIX ustar headers; GNU headers keep other data where ustar has `prefix`. */
function headerPath(header: Uint8Array): string | undefined {
	const name = field(header, 0, 100);
	if (name === undefined || !isPosixUstar(header)) return name;
	const prefix = field(header, 345, 155);
	if (prefix === undefined) return undefined;
	return prefix === '' ? name : `${prefix}/${name}`;
}

function isPosixUstar(header: Uint8Array): boolean {
	return header[257] === 0x75 && header[258] === 0x73 && header[259] === 0x74 && header[260] === 0x61 && header[261] === 0x72 && header[262] === 0;
}

function field(header: Uint8Array, start: number, length: number): string | undefined {
	const bytes = header.subarray(start, start + length);
	return text(bytes.subarray(0, nulIndex(bytes)));
}

function nulIndex(bytes: Uint8Array): number {
	const nul = bytes.indexOf(0);
	return nul < 0 ? bytes.length : nul;
}

/** UTF-8 text, or undefined when the bytes are not UTF-8 (TextDecoder reports that only by throwing). */
function text(bytes: Uint8Array): string | undefined {
	try {
		return utf8.decode(bytes);
	} catch {
		return undefined;
	}
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
	for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
	return true;
}

/** The checksum is the byte sum of the header with its own field read as spaces; old tars summed signed bytes. */
function checksumMatches(header: Uint8Array): boolean {
	const stored = readNumber(header, 148, 8);
	if (stored === undefined) return false;
	let unsigned = 8 * 32;
	let signed = 8 * 32;
	for (let i = 0; i < BLOCK; i++) {
		if (i >= 148 && i < 156) continue;
		const byte = header[i] ?? 0;
		unsigned += byte;
		signed += byte < 128 ? byte : byte - 256;
	}
	return stored === unsigned || stored === signed;
}

/** An octal field (spaces and NULs around the digits), or GNU base-256 when the high bit is set; undefined if malformed. */
function readNumber(header: Uint8Array, start: number, length: number): number | undefined {
	const first = header[start] ?? 0;
	if (first & 0x80) {
		if (first & 0x40) return undefined;
		let value = first & 0x3f;
		for (let i = start + 1; i < start + length; i++) {
			value = value * 256 + (header[i] ?? 0);
			if (value > Number.MAX_SAFE_INTEGER) return undefined;
		}
		return value;
	}
	let i = start;
	const end = start + length;
	while (i < end && (header[i] === 0x20 || header[i] === 0)) i++;
	let value = 0;
	for (; i < end; i++) {
		const byte = header[i] ?? 0;
		if (byte === 0x20 || byte === 0) break;
		if (byte < 0x30 || byte > 0x37) return undefined;
		value = value * 8 + (byte - 0x30);
	}
	for (; i < end; i++) if (header[i] !== 0x20 && header[i] !== 0) return undefined;
	return value;
}

/** pax records `LENGTH key=value\n`; only `path` and `size` matter here. */
function readPax(data: Uint8Array): Pending | { error: string } {
	const result: Pending = {};
	let offset = 0;
	while (offset < data.length) {
		const space = data.indexOf(0x20, offset);
		const digits = space < 0 ? undefined : text(data.subarray(offset, space));
		const length = digits !== undefined && /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
		if (length <= space - offset || offset + length > data.length || data[offset + length - 1] !== 0x0a) {
			return { error: 'malformed pax header' };
		}
		const record = text(data.subarray(space + 1, offset + length - 1));
		const equals = record?.indexOf('=') ?? -1;
		if (record === undefined || equals < 0) return { error: 'malformed pax record' };
		const key = record.slice(0, equals);
		const value = record.slice(equals + 1);
		if (key === 'path') result.path = value;
		else if (key === 'size') {
			if (!/^\d{1,15}$/.test(value)) return { error: 'invalid pax size' };
			result.size = Number(value);
		}
		offset += length;
	}
	return result;
}
