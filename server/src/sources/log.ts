/**
 * The logger every source writes to. The LSP layer sends it to the client's output channel; the CLI to stderr.
 */
export interface Logger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
