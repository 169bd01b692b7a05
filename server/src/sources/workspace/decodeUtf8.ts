/**
 * Decodes a file's bytes as UTF-8 the way an editor shows them: a leading byte-order mark is dropped (VS Code drops
 * it from the document text, so offsets into either agree) and invalid sequences become U+FFFD, so the rest of the
 * file still reads; but where the first invalid sequence was is kept, because cargo rejects such a file.
 */
import type { SourceText } from '../../engine/toml/sourceText';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Whether `byte` is a continuation byte within `[low, high]`. */
function inRange(byte: number | undefined, low = 0x80, high = 0xbf): boolean {
	return byte !== undefined && byte >= low && byte <= high;
}

/** The byte length of the valid sequence at `i`, or 0 when it is invalid (the WHATWG decoder's rules). */
function sequenceLength(bytes: Uint8Array, i: number): number {
	const lead = bytes[i]!;
	if (lead < 0x80) return 1;
	if (lead >= 0xc2 && lead <= 0xdf) return inRange(bytes[i + 1]) ? 2 : 0;
	if (lead >= 0xe0 && lead <= 0xef) {
		// E0 must not encode what fits in two bytes; ED must not encode a surrogate.
		const second = lead === 0xe0 ? inRange(bytes[i + 1], 0xa0) : lead === 0xed ? inRange(bytes[i + 1], 0x80, 0x9f) : inRange(bytes[i + 1]);
		return second && inRange(bytes[i + 2]) ? 3 : 0;
	}
	if (lead >= 0xf0 && lead <= 0xf4) {
		// F0 must not encode what fits in three bytes; F4 must not go past U+10FFFF.
		const second = lead === 0xf0 ? inRange(bytes[i + 1], 0x90) : lead === 0xf4 ? inRange(bytes[i + 1], 0x80, 0x8f) : inRange(bytes[i + 1]);
		return second && inRange(bytes[i + 2]) && inRange(bytes[i + 3]) ? 4 : 0;
	}
	return 0;
}

function firstInvalidByte(bytes: Uint8Array): number {
	for (let i = 0; i < bytes.length; ) {
		const length = sequenceLength(bytes, i);
		if (length === 0) return i;
		i += length;
	}
	return bytes.length;
}

export function decodeUtf8(path: string, bytes: Uint8Array): SourceText {
	try {
		return { path, text: strict.decode(bytes) };
	} catch {
		// Only broken files pay for the second pass that finds where.
		const text = lenient.decode(bytes);
		const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
		const invalid = firstInvalidByte(bytes);
		// Everything before the invalid byte is valid, so its decoded length is the offset of the U+FFFD.
		return { path, text, invalidUtf8At: lenient.decode(bytes.subarray(bom, invalid)).length };
	}
}
