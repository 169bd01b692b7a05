/**
 * A file's text as the engine receives it, with what decoding it found: TOML must be UTF-8, so a file that is not
 * gets a problem, while its text (decoded with U+FFFD replacements) is still read, so every intact entry still counts.
 */
import type { Problem } from '../text';

export interface SourceText {
	path: string;
	/** The text, without a byte-order mark when it was read from disk (editors drop it too, so offsets agree). */
	text: string;
	/** The UTF-16 offset, in `text`, of the U+FFFD that replaced the first invalid UTF-8 sequence, if any. */
	invalidUtf8At?: number;
}

/** The `encoding` problem of a file that was not valid UTF-8, on the first invalid sequence. */
export function encodingProblems(file: SourceText): Problem[] {
	if (file.invalidUtf8At === undefined) return [];
	const start = file.invalidUtf8At;
	const line = file.text.slice(0, start).split('\n').length;
	return [
		{
			code: 'encoding',
			severity: 'error',
			message: `${file.path.split(/[\\/]/).pop()} is not valid UTF-8 (first invalid byte sequence on line ${line}); cargo rejects it, and the invalid bytes are read as U+FFFD`,
			range: { start, end: start + 1 },
		},
	];
}
