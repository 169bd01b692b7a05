/**
 * The command line of `cargo-trust`, as ../shared/reference/cli-report.md defines it.
 * Also accepts being run as `cargo trust ...` (cargo passes the subcommand name first).
 */
export interface CheckArgs {
	command: 'check';
	path: string;
	format: 'text' | 'json' | 'sarif';
	offline: boolean;
	advisoryDb: string | undefined;
	cacheDir: string | undefined;
	failOn: 'error' | 'warning' | 'information' | 'never';
	/** `--allow-unknown`: unknown advisory data no longer fails the check on its own. */
	allowUnknown: boolean;
	/** `--no-provenance`: do not compare packages with their repositories (no git runs). */
	noProvenance: boolean;
	/** `--suggest`: the text report ends with the pin/upgrade fixes as commands. */
	suggest: boolean;
	/** `--deep-provenance`: also check that each recorded commit is on a branch or tag (fetches commit history). */
	deepProvenance: boolean;
}

export type CliArgs = CheckArgs | { command: 'lsp' } | { command: 'help' } | { command: 'version' };

export const usage = `Usage:
  cargo-trust check [PATH] [--format text|json|sarif] [--offline] [--advisory-db DIR]
                    [--cache-dir DIR] [--fail-on error|warning|information|never] [--allow-unknown]
                    [--no-provenance] [--deep-provenance] [--suggest]
  cargo-trust lsp --stdio          run the language server for any editor
  cargo-trust --version

PATH is a workspace root or member directory, a Cargo.toml or a Cargo.lock (default: the current directory).
Exit status: 0 when no finding is at or above --fail-on (default error); 1 when one is, or when advisory data is
unknown (--allow-unknown turns that off); 2 for a usage error or input that cannot be read.
--suggest prints, for each package that fails the trust policy, the fix as commands (cargo update --precise).
--no-provenance skips comparing each package with its repository at the commit it was published from.
--deep-provenance also checks that each of those commits is on a branch or tag of the repository, not only on a
fork's ref (an imposter commit); it fetches the history of every branch and tag (commits and trees only).
`;

export function parseArgs(argv: readonly string[]): CliArgs | { error: string } {
	const args = [...argv];
	if (args[0] === 'trust') args.shift();
	const command = args.shift();
	if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
	if (command === '--version' || command === '-V') return { command: 'version' };
	if (command === 'lsp') return { command: 'lsp' };
	if (command !== 'check') return { error: `unknown command "${command}"` };

	const result: CheckArgs = { command: 'check', path: '.', format: 'text', offline: false, advisoryDb: undefined, cacheDir: undefined, failOn: 'error', allowUnknown: false, noProvenance: false, deepProvenance: false, suggest: false };
	let sawPath = false;
	while (args.length) {
		const arg = args.shift()!;
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = (): string | undefined => inline ?? args.shift();
		switch (flag) {
			case '--format': {
				const format = value();
				if (format !== 'text' && format !== 'json' && format !== 'sarif') return { error: `--format must be text, json or sarif, not "${format ?? ''}"` };
				result.format = format;
				break;
			}
			case '--fail-on': {
				const level = value();
				if (level !== 'error' && level !== 'warning' && level !== 'information' && level !== 'never') return { error: `--fail-on must be error, warning, information or never, not "${level ?? ''}"` };
				result.failOn = level;
				break;
			}
			case '--offline':
				result.offline = true;
				break;
			case '--allow-unknown':
				result.allowUnknown = true;
				break;
			case '--no-provenance':
				result.noProvenance = true;
				break;
			case '--suggest':
				result.suggest = true;
				break;
			case '--deep-provenance':
				result.deepProvenance = true;
				break;
			case '--advisory-db':
			case '--cache-dir': {
				const dir = value();
				if (!dir) return { error: `${flag} needs a directory` };
				if (flag === '--advisory-db') result.advisoryDb = dir;
				else result.cacheDir = dir;
				break;
			}
			default:
				if (arg.startsWith('-')) return { error: `unknown option "${arg}"` };
				if (sawPath) return { error: `only one PATH may be given ("${result.path}" and "${arg}")` };
				result.path = arg;
				sawPath = true;
		}
	}
	return result;
}
