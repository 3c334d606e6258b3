// The filtering proxy on its own (no sandbox): real HTTP through a real Unix socket, to a loopback server that
// stands in for the internet — the tests route allowed names to it through an injected resolver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllowedDomains } from '../../../../src/core/sandbox/domainAllowlist';
import { FilteringProxy, isLocalAddress, type ProxyResolution } from '../../../../src/node/sandbox/filteringProxy';

let server: Server;
let port = 0;
let dir = '';
const seen: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warden-proxy-test-'));
  server = createServer((req, res) => {
    seen.push(
      `${req.method} ${req.url} host=${req.headers.host} proxy-auth=${req.headers['proxy-authorization'] ?? ''}`,
    );
    res.end('upstream says hi\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const toLoopback: ProxyResolution = { lookup: async () => ['127.0.0.1'], refuses: () => false };

async function start(allowed: string[], resolution = toLoopback): Promise<{ proxy: FilteringProxy; socket: string }> {
  const socket = join(dir, `p${Math.random().toString(36).slice(2, 8)}`);
  const proxy = await FilteringProxy.start(parseAllowedDomains(allowed).patterns, { socketPath: socket }, resolution);
  return { proxy, socket };
}

function plainGet(socket: string, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: url, headers: { 'proxy-authorization': 'Basic x' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT, then a plain HTTP request through the tunnel; resolves with everything the proxy sent back. */
function tunnel(socket: string, target: string, host: string): Promise<string> {
  return new Promise((resolve) => {
    const client = connect(socket);
    let text = '';
    client.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.startsWith('HTTP/1.1 200') && !text.includes('GET sent')) {
        text += '[GET sent]';
        client.write(`GET /through HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      }
    });
    client.on('close', () => resolve(text));
    client.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

describe('FilteringProxy', () => {
  test('forwards a plain HTTP request to an allowed host, without the proxy credentials', async () => {
    const { proxy, socket } = await start(['allowed.test']);
    const reply = await plainGet(socket, `http://allowed.test:${port}/path?q=1`);
    await proxy.close();
    assert.deepEqual(reply, { status: 200, body: 'upstream says hi\n' });
    assert.equal(seen.at(-1), `GET /path?q=1 host=allowed.test:${port} proxy-auth=`);
    assert.deepEqual([...proxy.blocked], []);
  });

  test('tunnels CONNECT to an allowed host', async () => {
    const { proxy, socket } = await start(['*.allowed.test']);
    const text = await tunnel(socket, `api.allowed.test:${port}`, 'api.allowed.test');
    await proxy.close();
    assert.match(text, /^HTTP\/1\.1 200 Connection Established/);
    assert.match(text, /upstream says hi/);
  });

  test('refuses any other host with 403 and records it, for plain HTTP and CONNECT alike', async () => {
    const { proxy, socket } = await start(['allowed.test']);
    const before = seen.length;
    const reply = await plainGet(socket, `http://evil.test:${port}/`);
    const text = await tunnel(socket, 'evil.test:443', 'evil.test');
    await proxy.close();
    assert.equal(reply.status, 403);
    assert.match(reply.body, /evil\.test:\d+ is not an allowed domain/);
    assert.match(text, /^HTTP\/1\.1 403 Forbidden/);
    assert.equal(seen.length, before, 'nothing reached the upstream');
    assert.deepEqual([...proxy.blocked], [`evil.test:${port}`, 'evil.test:443']);
  });

  test('an allowed name that resolves to a local address is refused (no way back to this machine)', async () => {
    const { proxy, socket } = await start(['localhost', 'sneaky.test'], {
      lookup: async (host: string) => (host === 'sneaky.test' ? ['93.184.216.34', '127.0.0.1'] : ['127.0.0.1']),
      refuses: isLocalAddress,
    });
    const direct = await plainGet(socket, `http://localhost:${port}/`);
    const mixed = await plainGet(socket, `http://sneaky.test:${port}/`);
    await proxy.close();
    assert.equal(direct.status, 403);
    assert.match(direct.body, /local address/);
    assert.equal(mixed.status, 403);
    assert.deepEqual([...proxy.blocked], [`localhost:${port}`, `sneaky.test:${port}`]);
  });

  test('a request that is not a proxy request, or not plain http, is refused', async () => {
    const { proxy, socket } = await start(['allowed.test']);
    const relative = await plainGet(socket, '/etc/passwd');
    const ftp = await plainGet(socket, 'ftp://allowed.test/x');
    await proxy.close();
    assert.deepEqual([relative.status, ftp.status], [400, 400]);
  });
});

describe('isLocalAddress', () => {
  const cases: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', true],
    ['169.254.169.254', true],
    ['fe80::1', true],
    ['224.0.0.1', true],
    ['not an address', true],
    ['93.184.216.34', false],
    ['10.0.0.1', false],
    ['2606:4700::1111', false],
  ];
  for (const [address, local] of cases)
    test(`${address} → ${local}`, () => assert.equal(isLocalAddress(address), local));
});
