// Client address lists end to end through the Envoy double: `kxds serve --manifests` with Ingresses
// carrying allow and deny lists, requests from different loopback source addresses (127.0.0.0/8 is all
// loopback), judged by the TCP peer by default (an X-Forwarded-For claim changes nothing), and with
// --edge-trusted-hops 1 --edge-proxy-protocol by the PROXY protocol's source (v1 and v2) or the trusted
// X-Forwarded-For entry; a connection without the PROXY header is closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { startEchoBackend } from '../envoy-double/echo-backend';
import { startEdgeDouble, startKxdsOnManifests, type Reply } from '../helpers/edge-double-fixture';
import { backendService, INGRESS_CLASS, ingress } from '../helpers/edge-objects';

const HTTP = 8080;

/** One HTTP/1.1 request from `from` (a loopback address) to 127.0.0.1:port. */
function requestFrom(
  from: string,
  port: number,
  host: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        path: '/',
        headers: { host, ...headers },
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${host} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A PROXY protocol v2 header (PROXY command, TCP over IPv4) naming `source` as the client. */
function proxyV2(source: string, port: number): Buffer {
  const signature = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const body = Buffer.alloc(12);
  source.split('.').forEach((octet, i) => body.writeUInt8(Number(octet), i));
  [127, 0, 0, 1].forEach((octet, i) => body.writeUInt8(octet, 4 + i));
  body.writeUInt16BE(40000, 8);
  body.writeUInt16BE(port, 10);
  const head = Buffer.from([0x21, 0x11, 0x00, body.length]);
  return Buffer.concat([signature, head, body]);
}

/**
 * Raw HTTP/1.1 over a socket that first sends `preamble` (a PROXY header, or nothing): the status, or
 * "closed" when the edge closed the connection without an answer.
 */
function rawRequest(
  port: number,
  preamble: Buffer | string,
  host: string,
  xff?: string,
): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('connect', () => {
      socket.write(preamble);
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${host}\r\n${xff ? `X-Forwarded-For: ${xff}\r\n` : ''}Connection: close\r\n\r\n`,
      );
    });
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve(status ? Number(status) : 'closed');
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' ? resolve('closed') : reject(err),
    );
  });
}

const manifests = (backend: { port: number; host: string }) => ({
  'backends.yaml': [INGRESS_CLASS, ...backendService('shop', 'web', backend.port, [backend.host])],
  'ingresses.yaml': [
    ingress('shop', 'allow', [{ host: 'allow.test', paths: [{ path: '/', service: 'web' }] }], {
      'nginx.ingress.kubernetes.io/whitelist-source-range': '127.0.0.5, 10.0.0.0/8, ::1',
    }),
    ingress('shop', 'deny', [{ host: 'deny.test', paths: [{ path: '/', service: 'web' }] }], {
      'kxds.io/denylist-source-range': '127.0.0.7/32',
    }),
    ingress('shop', 'bad', [{ host: 'bad.test', paths: [{ path: '/', service: 'web' }] }], {
      'kxds.io/allowlist-source-range': '127.0.0.0/99',
    }),
  ],
});

test(
  'address lists judge the TCP peer; X-Forwarded-For claims change nothing',
  { timeout: 60_000 },
  async (t) => {
    const backend = await startEchoBackend('web', { host: '127.0.0.11' });
    t.after(() => backend.close());
    const run = await startKxdsOnManifests(t, manifests(backend));
    const envoy = await startEdgeDouble(t, run);
    const port = envoy.port(HTTP);

    assert.equal((await requestFrom('127.0.0.5', port, 'allow.test')).status, 200, 'listed address');
    const refused = await requestFrom('127.0.0.6', port, 'allow.test');
    assert.deepEqual([refused.status, refused.body], [403, 'RBAC: access denied']);
    assert.equal(
      (await requestFrom('127.0.0.6', port, 'allow.test', { 'x-forwarded-for': '127.0.0.5' })).status,
      403,
      'a client cannot claim a listed address in X-Forwarded-For',
    );
    assert.equal((await requestFrom('127.0.0.7', port, 'deny.test')).status, 403, 'denied address');
    assert.equal((await requestFrom('127.0.0.6', port, 'deny.test')).status, 200, 'others pass a deny list');
    assert.equal((await requestFrom('127.0.0.5', port, 'bad.test')).status, 403, 'a bad CIDR fails closed');
    assert.equal(backend.received.length, 2, 'refused requests never reached the backend');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);

test(
  'with --edge-proxy-protocol and --edge-trusted-hops 1 the inferred client address is judged',
  { timeout: 60_000 },
  async (t) => {
    const backend = await startEchoBackend('web', { host: '127.0.0.12' });
    t.after(() => backend.close());
    const run = await startKxdsOnManifests(t, manifests(backend), {
      args: ['--edge-proxy-protocol', '--edge-trusted-hops', '1'],
    });
    const envoy = await startEdgeDouble(t, run);
    const port = envoy.port(HTTP);
    const v1 = (source: string) => `PROXY TCP4 ${source} 127.0.0.1 40000 ${port}\r\n`;

    assert.equal(await rawRequest(port, v1('127.0.0.5'), 'allow.test'), 200, 'PROXY v1 source listed');
    assert.equal(
      await rawRequest(port, proxyV2('127.0.0.5', port), 'allow.test'),
      200,
      'PROXY v2 source listed',
    );
    assert.equal(await rawRequest(port, v1('192.0.2.1'), 'allow.test'), 403, 'PROXY source not listed');
    assert.equal(
      await rawRequest(port, proxyV2('127.0.0.7', port), 'deny.test'),
      403,
      'PROXY v2 source denied',
    );
    // One trusted hop: the rightmost X-Forwarded-For entry, written by the proxy in front, is the client.
    assert.equal(await rawRequest(port, v1('192.0.2.1'), 'allow.test', '10.1.2.3'), 200);
    assert.equal(
      await rawRequest(port, v1('192.0.2.1'), 'allow.test', '10.1.2.3, 192.0.2.9'),
      403,
      'an entry left of the trusted hop is the client talking, not the proxy',
    );
    assert.equal(await rawRequest(port, '', 'allow.test'), 'closed', 'no PROXY header: connection closed');
    assert.equal(envoy.lastNack(), undefined, 'the double accepted every resource kxds sent');
  },
);
