/**
 * The language server in this process, over a pair of in-memory streams (as vscode-languageserver-node's own tests
 * do: `createConnection(reader, writer)` on each end), with injected timers and clock. Fast protocol tests and
 * benchmarks use it; the tests over stdio (`lspClient.ts`'s `startServer`) keep checking the shipped bundle.
 */
import { Duplex } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { Schedule } from '../../server/src/lsp/parseHoldBack';
import { startServer } from '../../server/src/server';
import { LspTestClient } from './lspClient';

/** One direction of the pipe: what is written comes out as data at once. */
class Pipe extends Duplex {
	override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
		this.emit('data', chunk);
		done();
	}
	override _read(): void {}
}

/** Timers on a virtual clock: nothing fires until `advance`, or, with `auto`, on the next turn of the event loop. */
export interface ManualClock {
	schedule: Schedule;
	now(): number;
	advance(ms: number): void;
	/** Timers set and neither fired nor cancelled. */
	pending(): number;
}

export function manualClock(options: { auto: boolean; start?: number }): ManualClock {
	let now = options.start ?? Date.UTC(2026, 11, 1);
	const timers = new Set<{ due: number; callback: () => void }>();
	const advance = (ms: number): void => {
		now += Math.max(0, ms);
		for (const timer of [...timers].sort((a, b) => a.due - b.due)) {
			if (timer.due > now || !timers.has(timer)) continue;
			timers.delete(timer);
			timer.callback();
		}
	};
	return {
		schedule: (ms, callback) => {
			const timer = { due: now + Math.max(0, ms), callback };
			timers.add(timer);
			// Debounces collapse as they would in real time: a timer cancelled before its turn never fires.
			if (options.auto) setImmediate(() => timers.has(timer) && advance(Math.max(0, timer.due - now)));
			return () => timers.delete(timer);
		},
		now: () => now,
		advance,
		pending: () => timers.size,
	};
}

export interface InProcessOptions {
	env?: Record<string, string>;
	/** What `workspace/configuration` answers for `cargoTrust`. */
	settings?: Record<string, unknown>;
	/** Defaults to timers that fire on the next turn of the event loop, so debounces cost no wall time. */
	clock?: ManualClock;
}

export function startInProcessServer(options: InProcessOptions = {}): LspTestClient & { clock: ManualClock } {
	const clock = options.clock ?? manualClock({ auto: true });
	const toServer = new Pipe();
	const toClient = new Pipe();
	const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
	startServer(server, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env }, homeDir: process.env.HOME ?? '/tmp', now: () => new Date(clock.now()) }, { schedule: clock.schedule, handleProcessErrors: false });
	server.listen();
	const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
	const client = Object.assign(new LspTestClient(connection, undefined, options.settings ?? {}), { clock });
	// After shutdown, work already under way (a background fetch, a log line) may still write: the pipes stay open,
	// and what arrives at the disposed client end is dropped, as a closed editor would.
	client.closeInProcess = () => toClient.removeAllListeners('data');
	connection.listen();
	return client;
}
