/**
 * The facts service's queues: work is de-duplicated while queued or running, taken in priority order, bounded per
 * host, cancelled by root; landings are coalesced. Driven by hand-settled promises and fake timers, never by sleeps.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { FactQueue, Priority } from '../../../server/src/facts/factQueue';
import { LandingCoalescer } from '../../../server/src/facts/landingCoalescer';
import { fakeSessionTimers } from '../../support/fakeSessionTimers';

/** A task the test finishes by hand, recording when it started. */
function gate(started: string[], name: string) {
	let finish!: () => void;
	const finished = new Promise<void>((resolve) => (finish = resolve));
	return { run: async (signal: AbortSignal) => { started.push(name); await Promise.race([finished, new Promise((resolve) => signal.addEventListener('abort', resolve))]); }, finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

void describe('FactQueue', () => {
	test('the same key queued twice, or while running, runs once', async () => {
		const started: string[] = [];
		const queue = new FactQueue('test', 1, () => {});
		const a = gate(started, 'a');
		const first = queue.enqueue('k', '/ws', 'h', Priority.rest, a.run);
		await flush();
		const second = queue.enqueue('k', '/ws', 'h', Priority.rest, gate(started, 'a-again').run);
		await flush();
		assert.deepEqual(started, ['a']);
		assert.equal(queue.size, 1);
		a.finish();
		await Promise.all([first, second]);
		assert.deepEqual(started, ['a']);
		assert.equal(queue.size, 0);
	});

	test('runs the best priority first, first come first served within one, and a re-queued key moves up', async () => {
		const started: string[] = [];
		const queue = new FactQueue('test', 1, () => {});
		const blocker = gate(started, 'blocker');
		void queue.enqueue('blocker', '/ws', 'h', Priority.rest, blocker.run);
		await flush();
		const tasks = Object.fromEntries(['rest1', 'rest2', 'direct', 'open', 'later-hovered'].map((name) => [name, gate(started, name)]));
		void queue.enqueue('rest1', '/ws', 'h', Priority.rest, tasks.rest1!.run);
		void queue.enqueue('rest2', '/ws', 'h', Priority.rest, tasks.rest2!.run);
		void queue.enqueue('direct', '/ws', 'h', Priority.direct, tasks.direct!.run);
		void queue.enqueue('open', '/ws', 'h', Priority.open, tasks.open!.run);
		void queue.enqueue('rest2', '/ws', 'h', Priority.hovered, tasks['later-hovered']!.run);
		for (const name of ['blocker', 'rest2', 'open', 'direct', 'rest1']) {
			const task = name === 'blocker' ? blocker : name === 'rest2' ? tasks.rest2! : tasks[name]!;
			task.finish();
			await flush();
		}
		assert.deepEqual(started, ['blocker', 'rest2', 'open', 'direct', 'rest1']);
	});

	test('at most `perHost` tasks run against one host; another host is not held back', async () => {
		const started: string[] = [];
		const queue = new FactQueue('test', 2, () => {});
		const gates = ['a1', 'a2', 'a3', 'b1'].map((name) => gate(started, name));
		for (const [index, name] of ['a1', 'a2', 'a3'].entries()) void queue.enqueue(name, '/ws', 'a.example', Priority.rest, gates[index]!.run);
		void queue.enqueue('b1', '/ws', 'b.example', Priority.rest, gates[3]!.run);
		await flush();
		assert.deepEqual(started, ['a1', 'a2', 'b1']);
		gates[0]!.finish();
		await flush();
		assert.deepEqual(started, ['a1', 'a2', 'b1', 'a3']);
		for (const g of gates) g.finish();
	});

	test('a workspace queued in one pass starts with its best priorities, not with the first packages queued', async () => {
		const started: string[] = [];
		const queue = new FactQueue('test', 2, () => {});
		// As the facts service queues a lockfile: alphabetical order, the direct dependencies among the rest.
		const packages: [string, number][] = [['autocfg', Priority.rest], ['bitflags', Priority.rest], ['serde', Priority.direct], ['tokio', Priority.open]];
		const gates = packages.map(([name]) => gate(started, name));
		for (const [index, [name, priority]] of packages.entries()) void queue.enqueue(name, '/ws', 'h', priority, gates[index]!.run);
		await flush();
		assert.deepEqual(started, ['tokio', 'serde']);
		for (const g of gates) g.finish();
	});

	test('closing a root drops its queued work and aborts its running work; other roots carry on', async () => {
		const started: string[] = [];
		const settled: string[] = [];
		const queue = new FactQueue('test', 1, (root) => settled.push(root));
		let abortedRunning = false;
		void queue.enqueue('one', '/a', 'h', Priority.rest, async (signal) => {
			started.push('one');
			await new Promise((resolve) => signal.addEventListener('abort', resolve));
			abortedRunning = signal.aborted;
		});
		const queued = queue.enqueue('two', '/a', 'h', Priority.rest, gate(started, 'two').run);
		const other = gate(started, 'other');
		void queue.enqueue('other', '/b', 'h', Priority.rest, other.run);
		await flush();
		assert.equal(queue.pending('/a'), 2);
		assert.deepEqual(queue.cancelRoot('/a', 'the workspace was closed').sort(), ['one', 'two']);
		await queued;
		await flush();
		assert.equal(abortedRunning, true);
		assert.equal(queue.pending('/a'), 0);
		assert.deepEqual(started, ['one', 'other'], 'the dropped task never ran');
		other.finish();
		await flush();
		assert.equal(queue.size, 0);
	});

	test('cancelling without a reason drops the queued work and lets the running work finish', async () => {
		const started: string[] = [];
		const queue = new FactQueue('test', 1, () => {});
		const running = gate(started, 'one');
		let aborted: boolean | undefined;
		const ran = queue.enqueue('one', '/a', 'h', Priority.rest, async (signal) => {
			await running.run(signal);
			aborted = signal.aborted;
		});
		const queued = queue.enqueue('two', '/a', 'h', Priority.rest, gate(started, 'two').run);
		await flush();
		assert.deepEqual(queue.cancelRoot('/a').sort(), ['one', 'two']);
		await queued;
		assert.equal(queue.pending('/a'), 1, 'the running task is still counted');
		running.finish();
		await ran;
		await flush();
		assert.equal(aborted, false);
		assert.deepEqual(started, ['one'], 'the dropped task never ran');
		assert.equal(queue.size, 0);
	});
});

void describe('LandingCoalescer', () => {
	test('a burst of landings reaches listeners once per interval, with every root', () => {
		const timers = fakeSessionTimers();
		const coalescer = new LandingCoalescer(timers, timers.now, 250);
		const heard: string[][] = [];
		coalescer.listen((roots) => heard.push([...roots].sort()));
		coalescer.land('/a');
		timers.advance(0);
		assert.deepEqual(heard, [['/a']], 'the first landing is told at once');
		coalescer.land('/a');
		coalescer.land('/b');
		timers.advance(100);
		coalescer.land('/a');
		assert.equal(heard.length, 1, 'not again within 250 ms');
		timers.advance(150);
		assert.deepEqual(heard, [['/a'], ['/a', '/b']]);
		timers.advance(10_000);
		assert.equal(heard.length, 2, 'nothing more without new landings');
		coalescer.dispose();
		assert.equal(timers.pending(), 0);
	});

	test('a forgotten root is not told', () => {
		const timers = fakeSessionTimers();
		const coalescer = new LandingCoalescer(timers, timers.now, 250);
		const heard: string[][] = [];
		coalescer.listen((roots) => heard.push([...roots]));
		coalescer.land('/closed');
		coalescer.forget('/closed');
		timers.advance(1000);
		assert.deepEqual(heard, []);
	});
});
