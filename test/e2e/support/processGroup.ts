/**
 * Child processes that run in their own process group, so that stopping one also stops everything it started
 * (code-server's extension host, file watcher and the extension's language server outlive the main process).
 * Groups still running when the test process exits or is interrupted are killed, so no run leaks processes.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const liveGroups = new Set<number>();

function killAllSync(): void {
	for (const pgid of liveGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// NOTE: ESRCH: the group is already gone.
		}
	}
	liveGroups.clear();
}

let hooksInstalled = false;
function installExitHooks(): void {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', killAllSync);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			killAllSync();
			process.kill(process.pid, signal);
		});
	}
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
	installExitHooks();
	const child = spawn(command, args, { ...options, detached: true });
	if (child.pid === undefined) throw new Error(`Could not start ${command}`);
	liveGroups.add(child.pid);
	return child;
}

/**
 * Whether any live (non-zombie) process is in the group. Read from /proc rather than `kill(-pgid, 0)`, which
 * also counts zombies: orphaned grandchildren stay zombies forever when PID 1 does not reap them (containers).
 */
function groupExists(pgid: number): boolean {
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return signalReachesGroup(pgid);
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}
		// Fields after the command name, which may itself contain spaces and parentheses: state ppid pgrp ...
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
	}
	return false;
}

function signalReachesGroup(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Sends SIGTERM to the whole group and waits until no process of it is left; SIGKILL after `graceMs`.
 * Safe to call twice and on a group that has already exited.
 */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
	if (!groupExists(pgid)) {
		liveGroups.delete(pgid);
		return;
	}
	try {
		process.kill(-pgid, 'SIGTERM');
	} catch {
		// NOTE: the group exited between the check and the signal.
	}
	const deadline = Date.now() + graceMs;
	while (groupExists(pgid) && Date.now() < deadline) await delay(50);
	if (groupExists(pgid)) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// NOTE: gone at last.
		}
		const killDeadline = Date.now() + graceMs;
		while (groupExists(pgid) && Date.now() < killDeadline) await delay(50);
		if (groupExists(pgid)) throw new Error(`Process group ${pgid} survived SIGKILL for ${graceMs / 1000} s`);
	}
	liveGroups.delete(pgid);
}
