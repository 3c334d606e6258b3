// The only way out of the sandbox's empty network: an HTTP proxy (CONNECT for TLS, absolute-URI requests for
// plain HTTP) outside the sandbox, reachable only through a Unix socket bound into it. It forwards to allowed
// hosts only, resolves names itself and refuses loopback, link-local and other local addresses (an allowed
// name must not lead back to a service on this machine), and records every refused host for the result.
import { lookup } from 'node:dns/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { BlockList, connect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isHostAllowed, type DomainPattern } from '../../core/sandbox/domainAllowlist';

/** Addresses never reached through the proxy, whatever name led to them. */
const LOCAL_ADDRESSES = new BlockList();
LOCAL_ADDRESSES.addSubnet('0.0.0.0', 8, 'ipv4');
LOCAL_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL_ADDRESSES.addSubnet('169.254.0.0', 16, 'ipv4');
LOCAL_ADDRESSES.addSubnet('224.0.0.0', 4, 'ipv4');
LOCAL_ADDRESSES.addSubnet('255.255.255.255', 32, 'ipv4');
LOCAL_ADDRESSES.addAddress('::', 'ipv6');
LOCAL_ADDRESSES.addAddress('::1', 'ipv6');
LOCAL_ADDRESSES.addSubnet('fe80::', 10, 'ipv6');
LOCAL_ADDRESSES.addSubnet('ff00::', 8, 'ipv6');

export function isLocalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return LOCAL_ADDRESSES.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return LOCAL_ADDRESSES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

type Resolved = { ok: true; address: string } | { ok: false; reason: string };

export interface ProxyResolution {
  /** Name resolution (default: the system resolver, every address). */
  lookup(host: string): Promise<string[]>;
  /** Addresses never connected to (default: loopback, link-local, multicast, unspecified). */
  refuses(address: string): boolean;
}

const SYSTEM_RESOLUTION: ProxyResolution = {
  lookup: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
  refuses: isLocalAddress,
};

export interface ProxyListen {
  /** A Unix socket path (Linux: bound into the sandbox). */
  socketPath?: string;
  /** Or a port on 127.0.0.1 (macOS, where there is no network namespace); 0 picks one. */
  port?: number;
}

export class FilteringProxy {
  /** `host:port` of every refused request, in order of first refusal. */
  readonly blocked = new Set<string>();
  private readonly sockets = new Set<Socket | Duplex>();

  private constructor(
    private readonly server: Server,
    private readonly allowed: readonly DomainPattern[],
    readonly port: number | undefined,
    private readonly resolution: ProxyResolution,
  ) {}

  static async start(
    allowed: readonly DomainPattern[],
    listen: ProxyListen,
    resolution: Partial<ProxyResolution> = {},
  ): Promise<FilteringProxy> {
    const how = { ...SYSTEM_RESOLUTION, ...resolution };
    const server = createServer();
    const proxy = await new Promise<FilteringProxy>((resolve, reject) => {
      server.once('error', reject);
      const ready = (): void => {
        server.off('error', reject);
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : undefined;
        resolve(new FilteringProxy(server, allowed, port, how));
      };
      if (listen.socketPath !== undefined) server.listen(listen.socketPath, ready);
      else server.listen(listen.port ?? 0, '127.0.0.1', ready);
    });
    server.on('connection', (socket: Socket) => proxy.track(socket));
    server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => void proxy.tunnel(req, socket, head));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void proxy.forward(req, res));
    server.on('clientError', (_error, socket: Duplex) => socket.destroy());
    return proxy;
  }

  private track(socket: Socket | Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private async resolve(host: string, port: number): Promise<Resolved> {
    const key = `${host}:${port}`;
    if (!Number.isInteger(port) || port < 1 || port > 65535 || !isHostAllowed(host, this.allowed)) {
      this.blocked.add(key);
      return { ok: false, reason: `${key} is not an allowed domain (warden.sandbox.network.allowedDomains).` };
    }
    const bare = host.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(bare) ? [bare] : await this.resolution.lookup(bare);
    } catch {
      return { ok: false, reason: `${host} could not be resolved.` };
    }
    // Every address must be public: a name with one local address among others could be steered to it.
    if (addresses.length === 0 || addresses.some((address) => this.resolution.refuses(address))) {
      this.blocked.add(key);
      return { ok: false, reason: `${host} resolves to a local address, which the sandbox never reaches.` };
    }
    return { ok: true, address: addresses[0] };
  }

  private async tunnel(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    this.track(client);
    const target = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
    const resolved = target ? await this.resolve(target[1], Number(target[2])) : undefined;
    if (!target || !resolved?.ok) {
      const reason = resolved && !resolved.ok ? resolved.reason : 'Malformed CONNECT target.';
      client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      return;
    }
    const upstream = connect(Number(target[2]), resolved.address);
    this.track(upstream);
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
    client.once('close', () => upstream.destroy());
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Only proxy requests (absolute URLs) are served.\n');
      return;
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Use CONNECT for anything but plain http.\n');
      return;
    }
    const port = url.port === '' ? 80 : Number(url.port);
    const resolved = await this.resolve(url.hostname, port);
    if (!resolved.ok) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`${resolved.reason}\n`);
      return;
    }
    const headers = endToEnd(req.headers);
    headers.host = url.host;
    const upstream = httpRequest(
      {
        host: resolved.address,
        port,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        setHost: false,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, endToEnd(reply.headers));
        reply.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end();
    });
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
