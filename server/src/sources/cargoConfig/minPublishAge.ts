/**
 * The minimum publish age that applies to one registry, and what to do with too-new versions, from cargo's
 * settings with cargo-trust's own setting as the last fallback, and the settings cargo ignores or rejects.
 * Pure: reads only the merged config.
 */
import { parseDuration } from './duration';
import { describeOrigin, type CargoConfig, type ConfigOrigin, type Setting } from './types';

export type MinPublishAge =
	| { status: 'ok'; ms: number; key: string; origin: ConfigOrigin | 'cargo-trust setting' }
	| { status: 'unset' }
	| { status: 'invalid'; key: string; origin: ConfigOrigin; reason: string };

/**
 * Precedence: `registries.<name>.min-publish-age`, then `registry.global-min-publish-age`, then ours. `"0"` is a
 * value ("no minimum") and stops the fallthrough. An invalid value is reported, not skipped, because cargo rejects
 * it too. `registry.min-publish-age` is not read: cargo 1.100 ignores it (see `publishAgeNotices`).
 */
export function effectiveMinPublishAge(config: CargoConfig, registryName: string | undefined, fallbackMs: number | undefined): MinPublishAge {
	const candidates: Array<[string, Setting<string> | undefined]> = [
		[`registries.${registryName}.min-publish-age`, registryName ? config.registries.get(registryName)?.minPublishAge : undefined],
		['registry.global-min-publish-age', config.registry.globalMinPublishAge],
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

export type IncompatiblePublishAge =
	| { status: 'ok'; value: 'deny' | 'allow' }
	| { status: 'invalid'; value: string; origin: ConfigOrigin };

/** `resolver.incompatible-publish-age`: cargo accepts `deny` (the default) and `allow`; there is no `fallback`. */
export function incompatiblePublishAge(config: CargoConfig): IncompatiblePublishAge {
	const setting = config.resolver.incompatiblePublishAge;
	if (!setting) return { status: 'ok', value: 'deny' };
	if (setting.value === 'deny' || setting.value === 'allow') return { status: 'ok', value: setting.value };
	return { status: 'invalid', value: setting.value, origin: setting.origin };
}

/** A publish-age setting that does not do what whoever wrote it expects. */
export interface PublishAgeNotice {
	/** The key as written: `registry.min-publish-age`, or the environment variable. */
	key: string;
	/** The file or environment variable it came from. */
	origin: string;
	/** Which registries it concerns: `crates-io` for the removed key, undefined for all. */
	registry: string | undefined;
	message: string;
}

/**
 * Publish-age settings cargo ignores or rejects, so that no one believes a policy is enforced when cargo does not
 * enforce it: the removed `registry.min-publish-age` (cargo#17353; its environment form too) and an
 * `incompatible-publish-age` other than `deny` or `allow`.
 */
export function publishAgeNotices(config: CargoConfig): PublishAgeNotice[] {
	const notices: PublishAgeNotice[] = [];
	const removed = config.registry.minPublishAge;
	if (removed) {
		const env = removed.origin.kind === 'env';
		const key = env ? 'CARGO_REGISTRY_MIN_PUBLISH_AGE' : 'registry.min-publish-age';
		const instead = env
			? 'set CARGO_REGISTRIES_CRATES_IO_MIN_PUBLISH_AGE (crates.io) or CARGO_REGISTRY_GLOBAL_MIN_PUBLISH_AGE (every registry) instead'
			: 'write registries.crates-io.min-publish-age (crates.io) or registry.global-min-publish-age (every registry) instead';
		notices.push({
			key,
			origin: describeOrigin(removed.origin),
			registry: 'crates-io',
			message: `${key} = "${removed.value}" (${describeOrigin(removed.origin)}) has no effect: cargo 1.100 ignores it (removed in cargo#17353), so no minimum publish age is enforced by it; ${instead}`,
		});
	}
	const incompatible = incompatiblePublishAge(config);
	if (incompatible.status === 'invalid') {
		notices.push({
			key: 'resolver.incompatible-publish-age',
			origin: describeOrigin(incompatible.origin),
			registry: undefined,
			message: `resolver.incompatible-publish-age = "${incompatible.value}" (${describeOrigin(incompatible.origin)}) is invalid: cargo accepts only "deny" (the default) or "allow"`,
		});
	}
	return notices;
}
