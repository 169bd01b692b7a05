/**
 * Turns whatever the client sends for `cargoTrust` into valid Settings, key by key:
 * a bad value is logged and replaced by its default, never trusted. In restricted mode (an untrusted workspace)
 * the settings that redirect paths or network traffic keep their defaults.
 */
import { defaultSettings, settingsSchema, type Settings } from '../protocol';
import type { Logger } from '../sources/log';

export function resolveSettings(raw: unknown, trusted: boolean, log: Logger): Settings {
	const settings = structuredClone(defaultSettings);
	for (const [key, descriptor] of Object.entries(settingsSchema)) {
		const path = key.split('.').slice(1);
		const value = lookup(raw, path);
		if (value === undefined || isDeepEqual(value, descriptor.default)) continue;
		if (descriptor.restricted && !trusted) {
			log.warn(`Restricted mode: ${key} is ignored until the workspace is trusted.`);
			continue;
		}
		const valid =
			descriptor.type === 'array'
				? Array.isArray(value) && value.every((item) => typeof item === 'string' && (descriptor.itemEnum === undefined || descriptor.itemEnum.includes(item)))
				: typeof value === descriptor.type && (descriptor.enum === undefined || descriptor.enum.includes(value as string)) && (descriptor.minimum === undefined || (value as number) >= descriptor.minimum);
		if (!valid) {
			log.warn(`Setting ${key} has an invalid value ${JSON.stringify(value)}; using the default.`);
			continue;
		}
		assign(settings, path, value);
	}
	return settings;
}

function lookup(raw: unknown, path: string[]): unknown {
	let node = raw;
	for (const part of path) {
		if (!node || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[part];
	}
	return node;
}

function assign(target: object, path: string[], value: unknown): void {
	let node = target as Record<string, unknown>;
	for (const part of path.slice(0, -1)) node = node[part] as Record<string, unknown>;
	node[path[path.length - 1]!] = value;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}
