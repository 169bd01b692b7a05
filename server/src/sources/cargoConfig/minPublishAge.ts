/**
 * The minimum publish age that applies to one registry, and what to do with too-new versions, from cargo's
 * settings with cargo-trust's own setting as the last fallback. Pure: reads only the merged config.
 */
import { parseDuration } from './duration';
import type { CargoConfig, ConfigOrigin, Setting } from './types';

export type MinPublishAge =
	| { status: 'ok'; ms: number; key: string; origin: ConfigOrigin | 'cargo-trust setting' }
	| { status: 'unset' }
	| { status: 'invalid'; key: string; origin: ConfigOrigin; reason: string };

/**
 * Precedence: `registries.<name>.min-publish-age`, then `registry.global-min-publish-age`, then, for crates.io
 * only, the deprecated `registry.min-publish-age` (removed from cargo in favour of the global key), then ours.
 * `"0"` is a value ("no minimum") and stops the fallthrough. An invalid value is reported, not skipped, because
 * cargo rejects it too.
 */
export function effectiveMinPublishAge(config: CargoConfig, registryName: string | undefined, fallbackMs: number | undefined): MinPublishAge {
	const candidates: Array<[string, Setting<string> | undefined]> = [
		[`registries.${registryName}.min-publish-age`, registryName ? config.registries.get(registryName)?.minPublishAge : undefined],
		['registry.global-min-publish-age', config.registry.globalMinPublishAge],
		['registry.min-publish-age', registryName === 'crates-io' ? config.registry.minPublishAge : undefined],
	];
	for (const [key, setting] of candidates) {
		if (!setting) continue;
		const parsed = parseDuration(setting.value);
		if (!parsed.ok) return { status: 'invalid', key, origin: setting.origin, reason: parsed.reason };
		return { status: 'ok', ms: parsed.ms, key, origin: setting.origin };
	}
	if (fallbackMs !== undefined) return { status: 'ok', ms: fallbackMs, key: 'cargo-trust setting', origin: 'cargo-trust setting' };
	return { status: 'unset' };
}

export type IncompatiblePublishAge = 'allow' | 'deny' | 'fallback';

/** `resolver.incompatible-publish-age`; cargo's default is `deny`. Unknown values read as the default. */
export function incompatiblePublishAge(config: CargoConfig): IncompatiblePublishAge {
	const value = config.resolver.incompatiblePublishAge?.value;
	return value === 'allow' || value === 'fallback' ? value : 'deny';
}
