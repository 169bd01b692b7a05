/**
 * Which proxy, if any, a request goes through, decided the way cargo (through libcurl) decides it:
 * cargo's `http.proxy` first, then the scheme's environment variable, and NO_PROXY able to exempt a host
 * from either. Pure: it reads only the settings it is given, never `process.env`.
 */

export interface ProxySettings {
	/** cargo's `http.proxy` / CARGO_HTTP_PROXY. An empty string turns proxying off, as it does in libcurl. */
	cargoProxy?: string;
	/** `https_proxy` / `HTTPS_PROXY`, for https URLs. */
	httpsProxy?: string;
	/** `http_proxy` / `HTTP_PROXY`, for http URLs. */
	httpProxy?: string;
	/** `all_proxy` / `ALL_PROXY`, the fallback for either scheme. */
	allProxy?: string;
	/** `no_proxy` / `NO_PROXY`: comma-separated hosts, `.suffix`es, `host:port` or `*`. */
	noProxy?: string;
}

export type ProxyChoice = { kind: 'direct' } | { kind: 'proxy'; url: URL } | { kind: 'error'; reason: 'unsupported'; detail: string };

/** The proxy settings found in an environment, lowercase names first as libcurl reads them. */
export function proxySettingsFromEnv(env: Readonly<Record<string, string | undefined>>, cargoProxy?: string): ProxySettings {
	const pick = (lower: string, upper: string): string | undefined => nonEmpty(env[lower]) ?? nonEmpty(env[upper]);
	const settings: ProxySettings = {};
	if (cargoProxy !== undefined) settings.cargoProxy = cargoProxy;
	const httpsProxy = pick('https_proxy', 'HTTPS_PROXY');
	if (httpsProxy) settings.httpsProxy = httpsProxy;
	const httpProxy = pick('http_proxy', 'HTTP_PROXY');
	if (httpProxy) settings.httpProxy = httpProxy;
	const allProxy = pick('all_proxy', 'ALL_PROXY');
	if (allProxy) settings.allProxy = allProxy;
	const noProxy = pick('no_proxy', 'NO_PROXY');
	if (noProxy) settings.noProxy = noProxy;
	return settings;
}

export function selectProxy(target: URL, settings: ProxySettings): ProxyChoice {
	if (settings.cargoProxy === '') return { kind: 'direct' };
	const raw =
		settings.cargoProxy ?? (target.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy) ?? settings.allProxy;
	if (!raw) return { kind: 'direct' };
	if (settings.noProxy && matchesNoProxy(target, settings.noProxy)) return { kind: 'direct' };
	return parseProxyUrl(raw);
}

/**
 * libcurl's proxy string: `[scheme://][user:pass@]host[:port]`, http when the scheme is missing, and port 1080
 * when the port is missing (libcurl's default, not 80).
 */
export function parseProxyUrl(raw: string): ProxyChoice {
	const text = raw.includes('://') ? raw : `http://${raw}`;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { kind: 'error', reason: 'unsupported', detail: `invalid proxy URL \`${raw}\`` };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { kind: 'error', reason: 'unsupported', detail: `proxy scheme \`${url.protocol.slice(0, -1)}\` is not supported (only http and https proxies)` };
	}
	const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*):(\d+)/i.test(text);
	if (!explicitPort) url.port = url.protocol === 'https:' ? '443' : '1080';
	return { kind: 'proxy', url };
}

/** libcurl's NO_PROXY match: `*`, an exact host, a domain suffix (with or without a leading dot), optionally `:port`. */
export function matchesNoProxy(target: URL, noProxy: string): boolean {
	const host = stripBrackets(target.hostname.toLowerCase());
	const port = target.port || (target.protocol === 'https:' ? '443' : '80');
	for (const rawEntry of noProxy.split(/[,\s]+/)) {
		const entry = rawEntry.trim().toLowerCase();
		if (!entry) continue;
		if (entry === '*') return true;
		const { entryHost, entryPort } = splitHostPort(entry);
		if (entryPort !== undefined && entryPort !== port) continue;
		const suffix = entryHost.startsWith('.') ? entryHost.slice(1) : entryHost;
		if (!suffix) continue;
		if (host === suffix || host.endsWith(`.${suffix}`)) return true;
	}
	return false;
}

function splitHostPort(entry: string): { entryHost: string; entryPort: string | undefined } {
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
	if (bracketed) return { entryHost: bracketed[1] ?? '', entryPort: bracketed[2] };
	// A bare IPv6 address has several colons and no port.
	const colons = entry.split(':').length - 1;
	if (colons === 1) {
		const [entryHost = '', entryPort = ''] = entry.split(':');
		if (/^\d+$/.test(entryPort)) return { entryHost, entryPort };
	}
	return { entryHost: entry, entryPort: undefined };
}

function stripBrackets(host: string): string {
	return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function nonEmpty(value: string | undefined): string | undefined {
	return value && value.trim() ? value.trim() : undefined;
}
