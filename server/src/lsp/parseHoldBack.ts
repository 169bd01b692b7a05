/**
 * Holds back parse problems on the line(s) the user is typing: `instant` on a new line is not an error yet, it is a
 * dependency being written. The last-edited lines of each document stay held until the document has had no change
 * for `pauseMs` (as rust-analyzer waits for incomplete syntax), or is saved or closed; then they are released and the
 * document's diagnostics are published again.
 */
import { diffLines, editedLines } from './lineDiff';

/** Starts a one-shot timer; returns what cancels it. Injected so tests drive time themselves. */
export type Schedule = (ms: number, callback: () => void) => () => void;

export const realSchedule: Schedule = (ms, callback) => {
	const timer = setTimeout(callback, ms);
	return () => clearTimeout(timer);
};

/** About the pause of a person who has finished typing a line. */
export const typingPauseMs = 1000;

interface Held {
	start: number;
	end: number;
	cancel: () => void;
}

export class ParseHoldBack {
	private readonly held = new Map<string, Held>();

	constructor(
		/** Called with the file whose lines were released, so its diagnostics are published again. */
		private readonly onRelease: (file: string) => void,
		private readonly schedule: Schedule = realSchedule,
		private readonly pauseMs = typingPauseMs,
	) {}

	/** A document changed from `before` to `after`: its edited lines are held, replacing what was held before. */
	edited(file: string, before: string, after: string): void {
		this.held.get(file)?.cancel();
		if (before === after) {
			this.held.delete(file);
			return;
		}
		const { start, end } = editedLines(diffLines(before, after));
		const cancel = this.schedule(this.pauseMs, () => this.release(file));
		this.held.set(file, { start, end, cancel });
	}

	/** The user saved or closed the document: its held lines are released now. */
	settled(file: string): void {
		if (this.held.has(file)) this.release(file);
	}

	/** Whether a problem starting on `line` (0-based) of `file` is held back. */
	isHeld(file: string, line: number): boolean {
		const held = this.held.get(file);
		return held !== undefined && line >= held.start && line < held.end;
	}

	dispose(): void {
		for (const held of this.held.values()) held.cancel();
		this.held.clear();
	}

	private release(file: string): void {
		this.held.get(file)?.cancel();
		this.held.delete(file);
		this.onRelease(file);
	}
}
