/**
 * The HttpClient settings cargo's configuration implies: `net.offline`, `net.retry`, `http.timeout`,
 * `http.proxy` (then the proxy environment variables), and `http.cainfo`. Reads the CA file; a missing or
 * unreadable one is a notice and the client keeps Node's roots, it never throws.
 */
import { readFileSync } from 'node:fs';
import type { Environment } from '../environment';
import type { CargoConfig } from '../cargoConfig/types';
import type { HttpClientOptions } from './httpClient';
import { proxySettingsFromEnv } from './proxySelection';
import { realTimers } from './timers';

export function httpOptionsFromCargoConfig(
	config: CargoConfig,
	environment: Environment,
	userAgent: string,
): { options: HttpClientOptions; notices: string[] } {
	const notices: string[] = [];
	const options: HttpClientOptions = {
		userAgent,
		timers: realTimers(environment),
		offline: config.net.offline?.value ?? false,
		proxy: proxySettingsFromEnv(environment.env, config.http.proxy?.value),
	};
	if (config.http.timeoutSeconds) options.timeoutMs = config.http.timeoutSeconds.value * 1000;
	if (config.net.retry) options.retries = config.net.retry.value;
	const cainfo = config.http.cainfo;
	if (cainfo) {
		try {
			const pem = readFileSync(cainfo.value, 'utf8');
			if (pem.includes('-----BEGIN CERTIFICATE-----')) options.extraCaPem = pem;
			else notices.push(`http.cainfo ${cainfo.value} holds no PEM certificate; using the default roots only`);
		} catch (error) {
			notices.push(`cannot read http.cainfo ${cainfo.value}: ${(error as Error).message}; using the default roots only`);
		}
	}
	return { options, notices };
}
