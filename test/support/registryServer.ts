/**
 * A crates.io-shaped registry on 127.0.0.1 for tests, speaking the real protocol: a sparse index (config.json,
 * index files at cargo's paths, ETag / Last-Modified / 304), the web API's JSON for /api/v1/crates/NAME and
 * /api/v1/crates/NAME/versions, and .crate downloads. Faults can be switched on per path (500, 429 with
 * Retry-After, delays past a timeout, truncated or stalled bodies, garbage index lines, 401, a server that never
 * answers, one that drips a byte at a time, an HTML login page, a body shorter than its Content-Length, a huge
 * body), and every request
 * is recorded with its headers so tests can count requests and check tokens and the User-Agent. It listens on
 * 127.0.0.1 only and shares no code with the client it tests.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FakeDependency {
	name: string;
	req: string;
	kind?: 'normal' | 'build' | 'dev';
	optional?: boolean;
	target?: string;
	package?: string;
}

export interface FakeVersion {
	vers: string;
	yanked?: boolean;
	/** Written to the index line when set; older crates.io lines have none. */
	pubtime?: string;
	/** The API's created_at; defaults to pubtime, else 2020-01-01. */
	createdAt?: string;
	/** The publisher's login; null for a version crates.io has no publisher for. */
	publishedBy?: string | null;
	/** The publisher's numeric crates.io user id (`published_by.id`); 1 by default. */
	publisherId?: number;
	/** crates.io's trustpub_data, for versions published through Trusted Publishing. */
	trustpub?: Record<string, string>;
	rustVersion?: string;
	features?: Record<string, string[]>;
	features2?: Record<string, string[]>;
	deps?: FakeDependency[];
	v?: number;
	/** The .crate file; defaults to a few bytes naming the version. Its SHA-256 is the index `cksum`. */
	crate?: Uint8Array;
}

export interface FakeCrate {
	name: string;
	versions: FakeVersion[];
}

export type FaultKind =
	| 'status-500'
	| 'status-429'
	| 'status-401'
	| 'delay'
	| 'truncate'
	| 'stall-body'
	| 'garbage'
	| 'redirect'
	/** Accepts the request and never sends a byte. */
	| 'hang'
	/** Accepts the request and answers it as usual only when `releaseHeld` is called: work held in flight on cue. */
	| 'hold'
	/** Sends the headers, then one byte of the body every `dripMs`, never finishing within any sane time. */
	| 'drip'
	/** 200 with an HTML login page instead of the data, as a captive portal or an SSO proxy answers. */
	| 'html'
	/** The whole body, but a Content-Length `missingBytes` larger, then the connection is closed. */
	| 'short-body'
	/** `hugeBytes` of filler streamed with no Content-Length (the cap must stop it while it streams). */
	| 'huge';

export interface Fault {
	kind: FaultKind;
	/** Requests whose path starts with this are affected; all requests when absent. */
	path?: string;
	/** How many matching requests get the fault; unlimited when absent. */
	times?: number;
	/** 429: the Retry-After header value. */
	retryAfter?: string;
	/** delay: how long the response is held before anything is sent. */
	delayMs?: number;
	/** redirect: the Location of a 302. */
	location?: string;
	/** drip: the pause between bytes (default 2000 ms). */
	dripMs?: number;
	/** short-body: how many declared bytes never come (default 100). */
	missingBytes?: number;
	/** huge: the body's size (default 200 MB). */
	hugeBytes?: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	/** The client's port: one per connection, so distinct values count connections. */
	remotePort: number | undefined;
}

export interface RegistryServerOptions {
	crates?: FakeCrate[];
	/** When set, config.json says auth-required and index requests without exactly this Authorization get 401. */
	requireToken?: string;
	/** Whether config.json names the API (default true). */
	api?: boolean;
	/** config.json's dl; default `<url>/api/v1/crates`. `{url}` is replaced by the server's base URL. */
	dl?: string;
	/** Compress index files with gzip when the client accepts it. */
	gzip?: boolean;
	/** Serve HTTPS with this certificate. */
	tls?: { cert: string; key: string };
}

/** A fixed epoch for Last-Modified, so tests never depend on the clock. */
const BASE_TIME = Date.UTC(2024, 0, 1);

export class RegistryServer {
	readonly requests: RecordedRequest[] = [];
	/** The most requests this server was answering at the same moment. */
	maxInFlight = 0;
	private inFlight = 0;
	private readonly crates = new Map<string, { name: string; versions: FakeVersion[]; revision: number }>();
	private faults: Array<Fault & { used: number }> = [];
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	/** Answers of requests under a `hold` fault, sent by `releaseHeld`, with the paths they answer. */
	private held: { path: string; answer: () => void }[] = [];
	private readonly heldWaiters = new Set<() => void>();
	url = '';

	private constructor(private readonly options: RegistryServerOptions, private readonly server: Server) {
		for (const krate of options.crates ?? []) this.crates.set(krate.name.toLowerCase(), { name: krate.name, versions: [...krate.versions], revision: 1 });
	}

	static async start(options: RegistryServerOptions = {}): Promise<RegistryServer> {
		const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }) : createHttpServer();
		const registry = new RegistryServer(options, server);
		server.on('request', (request: IncomingMessage, response: ServerResponse) => registry.handle(request, response));
		server.on('connection', (socket: Socket) => {
			registry.sockets.add(socket);
			socket.on('close', () => registry.sockets.delete(socket));
		});
		server.on('secureConnection', (socket: Socket) => {
			registry.sockets.add(socket);
			socket.on('close', () => registry.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		registry.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
		return registry;
	}

	/** The sparse index root, ending in `/`. */
	get indexUrl(): string {
		return `${this.url}/index/`;
	}

	/** Requests whose path starts with `prefix` (all requests without one). */
	count(prefix = ''): number {
		return this.requests.filter((request) => request.path.startsWith(prefix)).length;
	}

	fault(fault: Fault): void {
		this.faults.push({ ...fault, used: 0 });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** The paths of the requests a `hold` fault is holding. */
	heldPaths(): string[] {
		return this.held.map((request) => request.path);
	}

	/** Resolves once `predicate` holds for the held paths, checked as each request is held. */
	waitForHeld(predicate: (paths: string[]) => boolean): Promise<void> {
		return new Promise((resolve) => {
			const check = (): void => {
				if (!predicate(this.heldPaths())) return;
				this.heldWaiters.delete(check);
				resolve();
			};
			this.heldWaiters.add(check);
			check();
		});
	}

	/** Answers every request a `hold` fault is holding (later ones are held again while the fault stays). */
	releaseHeld(): void {
		const held = this.held;
		this.held = [];
		for (const request of held) request.answer();
	}

	/** Adds a version, which changes the crate's ETag and Last-Modified. */
	publish(name: string, version: FakeVersion): void {
		const krate = this.crates.get(name.toLowerCase());
		if (krate) {
			krate.versions.push(version);
			krate.revision++;
		} else {
			this.crates.set(name.toLowerCase(), { name, versions: [version], revision: 1 });
		}
	}

	/** Yanks a published version, which changes the crate's ETag and Last-Modified. */
	yank(name: string, vers: string): void {
		const krate = this.crates.get(name.toLowerCase());
		const version = krate?.versions.find((candidate) => candidate.vers === vers);
		if (!krate || !version) throw new Error(`no ${name} ${vers} to yank`);
		krate.versions = krate.versions.map((candidate) => (candidate === version ? { ...candidate, yanked: true } : candidate));
		krate.revision++;
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private handle(request: IncomingMessage, response: ServerResponse): void {
		const path = new URL(request.url ?? '/', 'http://registry').pathname;
		this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, remotePort: request.socket.remotePort });
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		response.on('close', () => this.inFlight--);
		const fault = this.faults.find((candidate) => (!candidate.path || path.startsWith(candidate.path)) && (candidate.times === undefined || candidate.used < candidate.times));
		if (fault) fault.used++;
		if (fault?.kind === 'delay') {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				if (!response.destroyed) this.route(path, request, response, undefined);
			}, fault.delayMs ?? 10_000);
			this.timers.add(timer);
			return;
		}
		if (fault?.kind === 'hang') return;
		if (fault?.kind === 'hold') {
			this.held.push({ path, answer: () => !response.destroyed && this.route(path, request, response, undefined) });
			for (const check of [...this.heldWaiters]) check();
			return;
		}
		if (fault?.kind === 'drip') return this.drip(response, fault.dripMs ?? 2000);
		if (fault?.kind === 'html') return this.send(response, 200, 'text/html; charset=utf-8', '<!DOCTYPE html>\n<html>\n<head><title>Sign in</title></head>\n<body><form action="/login">Sign in to continue</form></body>\n</html>\n');
		if (fault?.kind === 'huge') return this.huge(response, fault.hugeBytes ?? 200 * 1024 * 1024);
		this.route(path, request, response, fault);
	}

	/** Headers at once, then a byte per `everyMs` (each byte resets an idle timeout, so only a total deadline ends it). */
	private drip(response: ServerResponse, everyMs: number): void {
		response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000000' });
		const timer = setInterval(() => {
			if (response.destroyed) {
				clearInterval(timer);
				this.timers.delete(timer);
				return;
			}
			response.write('{');
		}, everyMs);
		this.timers.add(timer);
	}

	/** Streams filler with backpressure until `size` bytes are sent or the client goes away. */
	private huge(response: ServerResponse, size: number): void {
		response.writeHead(200, { 'content-type': 'text/plain' });
		const chunk = Buffer.alloc(1024 * 1024, 0x20);
		let sent = 0;
		const pump = (): void => {
			while (sent < size && !response.destroyed) {
				sent += chunk.length;
				if (!response.write(chunk)) {
					response.once('drain', pump);
					return;
				}
			}
			if (!response.destroyed) response.end();
		};
		pump();
	}

	private route(path: string, request: IncomingMessage, response: ServerResponse, active: Fault | undefined): void {
		const fault = active?.kind;
		if (fault === 'status-500') return this.send(response, 500, 'text/plain', 'internal error');
		if (fault === 'status-401') return this.send(response, 401, 'text/plain', 'unauthorized', { 'www-authenticate': 'Cargo login_url="https://example.invalid/me"' });
		if (fault === 'status-429') return this.send(response, 429, 'text/plain', 'slow down', active?.retryAfter ? { 'retry-after': active.retryAfter } : {});
		if (fault === 'redirect') return this.send(response, 302, 'text/plain', 'moved', { location: active?.location ?? '/' });
		if (path.startsWith('/index/')) {
			if (this.options.requireToken && request.headers.authorization !== this.options.requireToken) {
				return this.send(response, 401, 'text/plain', 'token required', { 'www-authenticate': 'Cargo login_url="https://example.invalid/me"' });
			}
			return this.index(path.slice('/index/'.length), request, response, fault);
		}
		const api = /^\/api\/v1\/crates\/([^/]+)(?:\/(versions)|\/([^/]+)\/download)?$/.exec(path);
		const krate = api?.[1] ? this.crates.get(decodeURIComponent(api[1]).toLowerCase()) : undefined;
		if (!api || !krate) return this.send(response, 404, 'application/json', JSON.stringify({ errors: [{ detail: 'Not Found' }] }));
		if (api[3]) {
			const version = krate.versions.find((candidate) => candidate.vers === decodeURIComponent(api[3] ?? ''));
			if (!version) return this.send(response, 404, 'text/plain', 'no such version');
			return this.body(response, 200, 'application/gzip', Buffer.from(crateBytes(krate.name, version)), {}, fault);
		}
		const versions = krate.versions.map((version, index) => encodableVersion(krate.name, version, index));
		if (api[2]) return this.body(response, 200, 'application/json', Buffer.from(JSON.stringify({ versions, meta: { total: versions.length, next_page: null } })), {}, fault);
		const payload = {
			crate: { id: krate.name, name: krate.name, num_versions: versions.length, max_version: versions.at(-1)?.num, newest_version: versions.at(-1)?.num, trustpub_only: false },
			versions,
			keywords: [],
			categories: [],
		};
		return this.body(response, 200, 'application/json', Buffer.from(JSON.stringify(payload)), {}, fault);
	}

	private index(file: string, request: IncomingMessage, response: ServerResponse, fault: FaultKind | undefined): void {
		if (file === 'config.json') {
			const config: Record<string, unknown> = { dl: (this.options.dl ?? '{url}/api/v1/crates').replace('{url}', this.url) };
			if (this.options.api ?? true) config.api = this.url;
			if (this.options.requireToken) config['auth-required'] = true;
			return this.body(response, 200, 'application/json', Buffer.from(JSON.stringify(config)), {}, fault);
		}
		const name = file.split('/').at(-1) ?? '';
		const krate = this.crates.get(name);
		if (!krate || file !== expectedIndexPath(name)) return this.send(response, 404, 'text/plain', 'not found');
		let text = krate.versions.map((version) => JSON.stringify(indexLine(krate.name, version))).join('\n') + '\n';
		if (fault === 'garbage') text = `${text}this is not json\n{"name":"${krate.name}","vers":"9.9.9"}\n{"name":"${krate.name}","vers":"9.9.8","deps":[],"cksum":"${'0'.repeat(64)}","features":{},"yanked":fal\n`;
		const etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
		const lastModified = new Date(BASE_TIME + krate.revision * 1000).toUTCString();
		const headers = { etag, 'last-modified': lastModified };
		const ifNoneMatch = request.headers['if-none-match'];
		const ifModifiedSince = request.headers['if-modified-since'];
		if ((ifNoneMatch !== undefined && ifNoneMatch === etag) || (ifNoneMatch === undefined && ifModifiedSince === lastModified)) {
			response.writeHead(304, headers);
			response.end();
			return;
		}
		let body = Buffer.from(text);
		const compress = this.options.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
		if (compress) body = gzipSync(body);
		return this.body(response, 200, 'text/plain', body, compress ? { ...headers, 'content-encoding': 'gzip' } : headers, fault);
	}

	/** Sends a body, or half of it when a truncate or stall fault applies. */
	private body(response: ServerResponse, status: number, type: string, body: Buffer, headers: Record<string, string>, fault: FaultKind | undefined): void {
		if (fault === 'short-body') {
			const missing = this.faults.find((candidate) => candidate.kind === 'short-body')?.missingBytes ?? 100;
			response.writeHead(status, { 'content-type': type, 'content-length': String(body.length + missing), ...headers });
			response.write(body, () => response.socket?.end());
			return;
		}
		response.writeHead(status, { 'content-type': type, 'content-length': String(body.length), ...headers });
		if (fault === 'truncate' || fault === 'stall-body') {
			// Half the body, then (truncate) a clean FIN once it is on the wire: a reset could drop the half already sent.
			response.write(body.subarray(0, Math.floor(body.length / 2)), () => {
				if (fault === 'truncate') response.socket?.end();
			});
			return;
		}
		response.end(body);
	}

	private send(response: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}): void {
		this.body(response, status, type, Buffer.from(text), headers, undefined);
	}
}

export function crateBytes(name: string, version: FakeVersion): Uint8Array {
	return version.crate ?? Buffer.from(`${name}-${version.vers}.crate contents`);
}

export function checksumOf(name: string, version: FakeVersion): string {
	return createHash('sha256').update(crateBytes(name, version)).digest('hex');
}

/** The line crates.io writes for a version (crates_io_index::Crate). */
function indexLine(name: string, version: FakeVersion): Record<string, unknown> {
	const line: Record<string, unknown> = {
		name,
		vers: version.vers,
		deps: (version.deps ?? []).map((dep) => ({
			name: dep.name,
			req: dep.req,
			features: [],
			optional: dep.optional ?? false,
			default_features: true,
			target: dep.target ?? null,
			kind: dep.kind ?? 'normal',
			...(dep.package ? { package: dep.package } : {}),
		})),
		cksum: checksumOf(name, version),
		features: version.features ?? {},
		yanked: version.yanked ?? false,
		links: null,
	};
	if (version.features2) line.features2 = version.features2;
	if (version.rustVersion) line.rust_version = version.rustVersion;
	if (version.pubtime) line.pubtime = version.pubtime;
	if (version.v !== undefined) line.v = version.v;
	else if (version.features2) line.v = 2;
	return line;
}

/** crates.io's EncodableVersion, with the fields cargo-trust reads and a few around them. */
function encodableVersion(name: string, version: FakeVersion, index: number): Record<string, unknown> {
	const createdAt = version.createdAt ?? version.pubtime ?? '2020-01-01T00:00:00.000000Z';
	const login = version.publishedBy === undefined ? 'alice' : version.publishedBy;
	return {
		id: index + 1,
		crate: name,
		num: version.vers,
		dl_path: `/api/v1/crates/${name}/${version.vers}/download`,
		created_at: createdAt,
		updated_at: createdAt,
		downloads: 0,
		features: version.features ?? {},
		yanked: version.yanked ?? false,
		yank_message: null,
		license: 'MIT',
		checksum: checksumOf(name, version),
		rust_version: version.rustVersion ?? null,
		published_by: version.trustpub || login === null ? null : { id: version.publisherId ?? 1, login, name: `${login} example`, avatar: null, url: `https://github.com/${login}` },
		trustpub_data: version.trustpub ?? null,
		audit_actions: [],
	};
}

/** Cargo's index path rule, restated here so the server checks the client rather than sharing its code. */
function expectedIndexPath(lowerName: string): string {
	if (lowerName.length <= 2) return `${lowerName.length}/${lowerName}`;
	if (lowerName.length === 3) return `3/${lowerName[0]}/${lowerName}`;
	return `${lowerName.slice(0, 2)}/${lowerName.slice(2, 4)}/${lowerName}`;
}
