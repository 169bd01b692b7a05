/**
 * One promise per key while its work runs: whoever asks for the same key meanwhile shares it, so a package's
 * sources are read (or a repository's commit fetched) once however many callers want it at the same time.
 */
export class InFlight<T> {
	private readonly running = new Map<string, Promise<T>>();

	run(key: string, start: () => Promise<T>): Promise<T> {
		let pending = this.running.get(key);
		if (!pending) {
			pending = start().finally(() => this.running.delete(key));
			this.running.set(key, pending);
		}
		return pending;
	}
}
