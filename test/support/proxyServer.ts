/**
 * An HTTP forward proxy on 127.0.0.1 for tests: forwards absolute-URI requests (plain http) and tunnels
 * CONNECT (https), recording each so a test can prove the traffic went through it. It listens on 127.0.0.1 only
 * and must only ever be pointed at other local test servers.
 */
import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface ForwardedRequest {
	method: string;
	/** The absolute URL for forwarded requests, `host:port` for CONNECT. */
	target: string;
	headers: IncomingHttpHeaders;
}

export class ProxyServer {
	readonly forwarded: ForwardedRequest[] = [];
	private readonly sockets = new Set<Socket>();
	url = '';

	private constructor(private readonly server: Server) {}

	static async start(): Promise<ProxyServer> {
		const server = createServer();
		const proxy = new ProxyServer(server);
		server.on('connection', (socket: Socket) => proxy.track(socket));
		server.on('request', (incoming, outgoing) => {
			proxy.forwarded.push({ method: incoming.method ?? 'GET', target: incoming.url ?? '', headers: incoming.headers });
			let target: URL;
			try {
				target = new URL(incoming.url ?? '');
			} catch {
				outgoing.writeHead(400).end('absolute URI required');
				return;
			}
			const upstream = httpRequest(
				{ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: incoming.method, headers: incoming.headers },
				(response) => {
					outgoing.writeHead(response.statusCode ?? 502, response.headers);
					response.pipe(outgoing);
				},
			);
			upstream.on('error', () => outgoing.destroy());
			incoming.pipe(upstream);
		});
		server.on('connect', (incoming, client: Socket, head: Buffer) => {
			proxy.forwarded.push({ method: 'CONNECT', target: incoming.url ?? '', headers: incoming.headers });
			const [host = '', port = '443'] = (incoming.url ?? '').split(':');
			const upstream = connect(Number(port), host, () => {
				client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(client);
				client.pipe(upstream);
			});
			proxy.track(upstream);
			proxy.track(client);
			upstream.on('error', () => client.destroy());
			client.on('error', () => upstream.destroy());
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return proxy;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private track(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
	}
}
