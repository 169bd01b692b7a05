/**
 * The command that moves Cargo.lock to the chosen version. We never run cargo: the editor types it in a terminal,
 * the CLI prints it. `NAME@LOCKED` picks the one locked package when several versions of the crate are locked.
 * The names and versions come from a lockfile (hostile input), and the text lands in a shell: anything but a plain
 * crate name and semver characters gives no command at all.
 */
const CRATE_NAME = /^[A-Za-z0-9_-]+$/;
const VERSION = /^[0-9A-Za-z.+-]+$/;

export function cargoUpdateCommand(name: string, locked: string, version: string): string | undefined {
	if (!CRATE_NAME.test(name) || !VERSION.test(locked) || !VERSION.test(version)) return undefined;
	return `cargo update -p ${name}@${locked} --precise ${version}`;
}
