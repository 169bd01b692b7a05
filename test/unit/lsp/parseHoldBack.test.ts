/**
 * The hold-back of parse problems on the line being typed, driven by a fake scheduler: the lines are held while the
 * user types, released after the pause (and only then), on save, and replaced by the lines of the next edit.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ParseHoldBack, typingPauseMs, type Schedule } from '../../../server/src/lsp/parseHoldBack';

/** Timers that fire only when the test says so. */
function manualTimers(): { schedule: Schedule; pending: () => number[]; fire: () => void } {
	const timers = new Set<{ ms: number; callback: () => void }>();
	return {
		schedule: (ms, callback) => {
			const timer = { ms, callback };
			timers.add(timer);
			return () => timers.delete(timer);
		},
		pending: () => [...timers].map((timer) => timer.ms),
		fire: () => {
			const due = [...timers];
			timers.clear();
			for (const timer of due) timer.callback();
		},
	};
}

const before = '[dependencies]\nserde = "1"\ntime = "0.1"\n';
const typing = (partial: string): string => `[dependencies]\nserde = "1"\n${partial}\ntime = "0.1"\n`;

void describe('ParseHoldBack', () => {
	test('holds the line being typed until the pause, then releases it once', () => {
		const timers = manualTimers();
		const released: string[] = [];
		const holdBack = new ParseHoldBack((file) => released.push(file), timers.schedule);
		holdBack.edited('/w/Cargo.toml', before, typing('i'));
		holdBack.edited('/w/Cargo.toml', typing('i'), typing('in'));
		assert.deepEqual(timers.pending(), [typingPauseMs], 'each keystroke restarts the one timer');
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 2), true);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 1), false);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 3), false);
		assert.equal(holdBack.isHeld('/w/other/Cargo.toml', 2), false);
		assert.deepEqual(released, []);
		timers.fire();
		assert.deepEqual(released, ['/w/Cargo.toml']);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 2), false);
	});

	test('a save releases at once, and the pause then has nothing left to release', () => {
		const timers = manualTimers();
		const released: string[] = [];
		const holdBack = new ParseHoldBack((file) => released.push(file), timers.schedule);
		holdBack.edited('/w/Cargo.toml', before, typing('instant'));
		holdBack.settled('/w/Cargo.toml');
		assert.deepEqual(released, ['/w/Cargo.toml']);
		assert.deepEqual(timers.pending(), []);
		holdBack.settled('/w/Cargo.toml');
		assert.deepEqual(released, ['/w/Cargo.toml'], 'nothing held, nothing to publish again');
	});

	test('an edit on another line moves the hold there', () => {
		const timers = manualTimers();
		const holdBack = new ParseHoldBack(() => {}, timers.schedule);
		holdBack.edited('/w/Cargo.toml', before, typing('instant'));
		holdBack.edited('/w/Cargo.toml', typing('instant'), typing('instant').replace('serde = "1"', 'serde = "1.0"'));
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 1), true);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 2), false);
	});

	test('deleting lines holds the line where they were joined', () => {
		const holdBack = new ParseHoldBack(() => {}, manualTimers().schedule);
		holdBack.edited('/w/Cargo.toml', typing('instant'), before);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 2), true);
		assert.equal(holdBack.isHeld('/w/Cargo.toml', 1), false);
	});
});
