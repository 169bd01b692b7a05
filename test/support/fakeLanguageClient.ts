/**
 * `vscode-languageclient/node` for tests of the client's bookkeeping: records every client made, every
 * subscription taken on it (with its notification handlers) and every request sent, starts nothing. Bundled only into `test/clientHost/` (esbuild.mjs).
 */
import { FakeDisposable } from './fakeVscode';

export const createdClients: LanguageClient[] = [];

export const State = { Stopped: 1, Running: 2, Starting: 3 };
export const TransportKind = { stdio: 0, ipc: 1, pipe: 2, socket: 3 };

export class LanguageClient {
	readonly subscriptions: FakeDisposable[] = [];
	/** Notification handlers by method, so a test can play the server's notifications. */
	readonly notificationHandlers = new Map<string, (params: unknown) => void>();
	/** Every request sent, in order. */
	readonly requests: { method: string; params: unknown }[] = [];
	running = false;

	constructor(
		readonly id: string,
		readonly name: string,
		readonly serverOptions: unknown,
		readonly clientOptions: unknown,
	) {
		createdClients.push(this);
	}

	private subscribe(): FakeDisposable {
		const subscription = new FakeDisposable();
		this.subscriptions.push(subscription);
		return subscription;
	}

	onNotification(method: string, handler: (params: unknown) => void): FakeDisposable {
		this.notificationHandlers.set(method, handler);
		return this.subscribe();
	}

	onDidChangeState(): FakeDisposable {
		return this.subscribe();
	}

	onRequest(): FakeDisposable {
		return this.subscribe();
	}

	start(): Promise<void> {
		this.running = true;
		return Promise.resolve();
	}

	stop(): Promise<void> {
		this.running = false;
		return Promise.resolve();
	}

	sendRequest(method: string, params?: unknown): Promise<unknown> {
		this.requests.push({ method, params });
		return Promise.resolve(null);
	}

	debug(): void {}
	info(): void {}
	warn(): void {}
	error(): void {}
}
