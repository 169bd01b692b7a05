/**
 * Reads the entries of an uncompressed tar stream, chunk by chunk: ustar and GNU headers, octal and base-256
 * numbers, checksums, the ustar `prefix` field, GNU long names (`L`) and pax headers (`x`; `g` is ignored).
 * Only regular files under `NAME-VERSION/` are returned; every other entry that could write outside the
 * package or is not plain data (links, devices, `..`, absolute paths) is skipped and reported. Errors are values.
 */
import { TextDecoder } from 'node:util';

export interface PackageFile {
	/** Relative to the package root, with `/`. */
	path: string;
	/** The file's own bytes (an entry is stored only when kept). */
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

/** Where the reader is: in a header, in an entry's data, in its padding, after one zero block, or past the end. */
type Mode = 'header' | 'data' | 'padding' | 'zero' | 'end';

/** The entry whose data is arriving: kept in `sink` (a file to keep, a long name, a pax header), or let go by. */
interface Current {
	at: number;
	remaining: number;
	sink: Uint8Array | undefined;
	filled: number;
	complete: (data: Uint8Array) => string | undefined;
}

/**
 * Reads a tar stream chunk by chunk, as the gzip stage produces it, so only the files kept are ever held: an
 * entry that is skipped (too large, hostile, not a file) flows past without being stored. A file is stored only
 * within `maxKeptBytes` for the whole package (the caller's share of the memory budget). After an error the
 * reader ignores everything; `end` gives the result.
 */
export class TarReader {
	private readonly root: string;
	private readonly files = new Map<string, Uint8Array>();
	private readonly anomalies: FileAnomaly[] = [];
	private readonly header = new Uint8Array(BLOCK);
	/** Bytes of the header (or of the block after a lone zero block) received so far. */
	private blockFilled = 0;
	private mode: Mode = 'header';
	private current: Current | undefined;
	private padding = 0;
	/** Where the lone zero block was, while the block after it is checked. */
	private zeroAt = 0;
	private pending: Pending = {};
	private entries = 0;
	/** Offset in the tar stream of the next byte pushed. */
	private offset = 0;
	private error: string | undefined;
	/** Set when a file did not fit in `maxKeptBytes`: the package cannot be counted whole. */
	private overBudget: string | undefined;
	/** Bytes of the files kept so far, including the one being filled. */
	keptBytes = 0;

	constructor(
		prefix: string,
		private readonly limits: TarLimits & { maxKeptBytes: number },
	) {
		this.root = prefix.replace(/\/+$/, '');
	}

	/** The first error met so far, if any; the caller may stop feeding the reader then. */
	push(chunk: Uint8Array): string | undefined {
		let at = 0;
		while (at < chunk.length && this.error === undefined) {
			const next = this.step(chunk, at);
			this.offset += next - at;
			at = next;
		}
		return this.error;
	}

	end(): TarContents {
		if (this.error === undefined) {
			if (this.mode === 'header' && !isZero(this.header, 0, this.blockFilled)) this.error = `truncated header at offset ${this.offset - this.blockFilled}`;
			else if (this.mode === 'data' && this.current !== undefined) this.error = `truncated entry at offset ${this.current.at}`;
		}
		const error = this.error ?? this.overBudget;
		if (error !== undefined) return { error };
		return { files: [...this.files].map(([path, bytes]) => ({ path, bytes })), anomalies: this.anomalies };
	}

	/** Consumes what it can of `chunk` from `at` in the current mode; returns where it stopped. */
	private step(chunk: Uint8Array, at: number): number {
		switch (this.mode) {
			case 'end':
				// What follows the end blocks is ignored, as tar does; the gzip stage still bounds it.
				return chunk.length;
			case 'padding': {
				const skip = Math.min(this.padding, chunk.length - at);
				this.padding -= skip;
				if (this.padding === 0) this.mode = 'header';
				return at + skip;
			}
			case 'zero': {
				const take = Math.min(BLOCK - this.blockFilled, chunk.length - at);
				if (!isZero(chunk, at, at + take)) this.error = `single zero block at offset ${this.zeroAt} followed by data`;
				this.blockFilled += take;
				if (this.blockFilled === BLOCK) this.mode = 'end';
				return at + take;
			}
			case 'header': {
				const take = Math.min(BLOCK - this.blockFilled, chunk.length - at);
				this.header.set(chunk.subarray(at, at + take), this.blockFilled);
				this.blockFilled += take;
				if (this.blockFilled === BLOCK) {
					this.blockFilled = 0;
					this.error = this.readHeader(this.offset + take - BLOCK);
				}
				return at + take;
			}
			case 'data': {
				const entry = this.current;
				if (entry === undefined) return chunk.length;
				const take = Math.min(entry.remaining, chunk.length - at);
				entry.sink?.set(chunk.subarray(at, at + take), entry.filled);
				entry.filled += take;
				entry.remaining -= take;
				if (entry.remaining === 0) this.finishEntry(entry);
				return at + take;
			}
		}
	}

	/** Reads the header just completed at tar offset `at`; returns an error, or sets up the entry's data. */
	private readHeader(at: number): string | undefined {
		const header = this.header;
		if (isZero(header, 0, BLOCK)) {
			this.mode = 'zero';
			this.zeroAt = at;
			return undefined;
		}
		if (!checksumMatches(header)) return `corrupt header checksum at offset ${at}`;
		const type = String.fromCharCode(header[156] ?? 0);
		const metadata = type === 'L' || type === 'x' || type === 'K' || type === 'g';
		const size = (metadata ? undefined : this.pending.size) ?? readNumber(header, 124, 12);
		if (size === undefined) return `invalid size field at offset ${at}`;
		if (metadata) {
			if (type === 'K' || type === 'g') return this.skip(at, size);
			if (size > MAX_METADATA_BYTES) return `extended header larger than ${MAX_METADATA_BYTES} bytes at offset ${at}`;
			return this.keep(at, size, (data) => {
				const read = type === 'L' ? { path: text(data.subarray(0, nulIndex(data))) ?? null } : readPax(data);
				if ('error' in read) return `${read.error} at offset ${at}`;
				this.pending = { ...this.pending, ...read };
				return undefined;
			});
		}
		if (++this.entries > this.limits.maxEntries) return `more than ${this.limits.maxEntries} entries`;
		const path = this.pending.path === undefined ? headerPath(header) : this.pending.path;
		this.pending = {};
		if (path === undefined || path === null) {
			this.anomalies.push({ path: '(not UTF-8)', reason: 'path is not valid UTF-8' });
			return this.skip(at, size);
		}
		const anomaly = checkEntry(path, type, size, this.root, this.limits);
		if (anomaly !== undefined) {
			this.anomalies.push({ path, reason: anomaly });
			return this.skip(at, size);
		}
		const relative = relativePath(path, this.root);
		if (type === '5' || relative === '') return this.skip(at, size);
		if (this.files.has(relative)) this.anomalies.push({ path, reason: 'duplicate entry; the last one is kept, as extraction would' });
		if (this.keptBytes + size > this.limits.maxKeptBytes) {
			// Not stored, and the package fails at the end, unless a truncation (which explains a lying size) comes first.
			this.overBudget ??= `files larger than ${this.limits.maxKeptBytes} bytes in total`;
			return this.skip(at, size);
		}
		this.keptBytes += size;
		return this.keep(at, size, (data) => {
			const replaced = this.files.get(relative);
			if (replaced !== undefined) this.keptBytes -= replaced.length;
			this.files.set(relative, data);
			return undefined;
		});
	}

	/** The entry's data flows past unstored. */
	private skip(at: number, size: number): undefined {
		return this.expect({ at, remaining: size, sink: undefined, filled: 0, complete: () => undefined });
	}

	/** The entry's data is stored (the caller has bounded `size`), then handed to `complete`. */
	private keep(at: number, size: number, complete: (data: Uint8Array) => string | undefined): undefined {
		return this.expect({ at, remaining: size, sink: new Uint8Array(size), filled: 0, complete });
	}

	private expect(entry: Current): undefined {
		this.current = entry;
		this.mode = 'data';
		if (entry.remaining === 0) this.finishEntry(entry);
		return undefined;
	}

	private finishEntry(entry: Current): void {
		this.current = undefined;
		this.error = entry.complete(entry.sink ?? new Uint8Array(0));
		this.padding = (BLOCK - (entry.filled % BLOCK)) % BLOCK;
		this.mode = this.padding > 0 ? 'padding' : 'header';
	}
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
