/**
 * Builds tar archives byte by byte for tests, including the hostile ones no real tool would write: lying
 * sizes, bad checksums, links, devices, GNU long names, pax headers and base-256 numbers.
 */

export interface TarEntrySpec {
	/** Written into the 100-byte name field as is (GNU long names and pax paths are separate entries). */
	name: string;
	data?: Uint8Array | string;
	/** Typeflag character: '0' file (default), '1' hard link, '2' symlink, '5' directory, 'L', 'x', ... */
	type?: string;
	linkname?: string;
	/** The POSIX ustar `prefix` field; forces the POSIX magic. */
	prefix?: string;
	/** 'gnu' writes the GNU magic (`ustar  \0`), the default is POSIX (`ustar\0` `00`). */
	format?: 'ustar' | 'gnu';
	/** A size to write instead of the data's length (a lie, or a pax-overridden size). */
	size?: number;
	/** Write the size as GNU base-256 instead of octal. */
	base256Size?: boolean;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string | undefined): Uint8Array {
	return typeof data === 'string' ? encoder.encode(data) : data ?? new Uint8Array(0);
}

function writeText(header: Uint8Array, offset: number, length: number, text: string): void {
	header.set(encoder.encode(text).subarray(0, length), offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
	writeText(header, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** Sets the checksum field of the header at `offset` to match its bytes, as tar computes it. */
export function fixChecksum(tar: Uint8Array, offset: number): void {
	tar.fill(0x20, offset + 148, offset + 156);
	let sum = 0;
	for (let i = offset; i < offset + BLOCK; i++) sum += tar[i] ?? 0;
	writeText(tar, offset + 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
}

export function tarHeader(spec: TarEntrySpec): Uint8Array {
	const header = new Uint8Array(BLOCK);
	const size = spec.size ?? bytesOf(spec.data).length;
	writeText(header, 0, 100, spec.name);
	writeOctal(header, 100, 8, 0o644);
	writeOctal(header, 108, 8, 0);
	writeOctal(header, 116, 8, 0);
	if (spec.base256Size) {
		header[124] = 0x80;
		for (let i = 135, rest = size; i > 124; i--, rest = Math.floor(rest / 256)) header[i] = rest % 256;
	} else writeOctal(header, 124, 12, size);
	writeOctal(header, 136, 12, 0);
	writeText(header, 156, 1, spec.type ?? '0');
	writeText(header, 157, 100, spec.linkname ?? '');
	writeText(header, 257, 8, spec.format === 'gnu' && spec.prefix === undefined ? 'ustar  \0' : 'ustar\x0000');
	writeText(header, 345, 155, spec.prefix ?? '');
	fixChecksum(header, 0);
	return header;
}

/** Header plus data padded to whole blocks. */
export function tarEntry(spec: TarEntrySpec): Uint8Array {
	const data = bytesOf(spec.data);
	const entry = new Uint8Array(BLOCK + Math.ceil(data.length / BLOCK) * BLOCK);
	entry.set(tarHeader(spec));
	entry.set(data, BLOCK);
	return entry;
}

/** A GNU `L` entry carrying `longName`, then the entry itself with a truncated name field. */
export function gnuLongName(longName: string, spec: Omit<TarEntrySpec, 'name'>): Uint8Array[] {
	const name = encoder.encode(longName + '\0');
	return [tarEntry({ name: '././@LongLink', type: 'L', data: name, format: 'gnu' }), tarEntry({ ...spec, name: longName.slice(0, 100), format: 'gnu' })];
}

/** A pax `x` header whose records apply to the next entry. */
export function paxHeader(records: Record<string, string>): Uint8Array {
	let text = '';
	for (const [key, value] of Object.entries(records)) {
		const body = ` ${key}=${value}\n`;
		let length = body.length + 1;
		while (`${length}${body}`.length !== length) length++;
		text += `${length}${body}`;
	}
	return tarEntry({ name: 'PaxHeaders/x', type: 'x', data: text });
}

/** The parts one after the other, then (unless `end` is false) the two zero blocks that end an archive. */
export function buildTar(parts: Uint8Array[], end = true): Uint8Array {
	const length = parts.reduce((sum, part) => sum + part.length, 0) + (end ? 2 * BLOCK : 0);
	const tar = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		tar.set(part, offset);
		offset += part.length;
	}
	return tar;
}
