// TLS and HTTP/2 at the edge, end to end through the Envoy double: a real certificate from an Ingress's
// Secret, served over SDS and chosen by SNI (verified by the client against its CA), ALPN h2, the HTTP ->
// HTTPS redirect, a refused handshake for a name no certificate covers, and gRPC to an HTTP/2 backend over
// h2c prior knowledge and over TLS; with --default-certificate, the chain without SNI names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { httpsGet, request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { backendService, ingress } from '../helpers/edge-objects';
import { TLS_HOST, TLS_SECRET_NAME, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

function h2Get(
  port: number,
  path: string,
  ca: string,
): Promise<{ alpn: string | undefined; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${TLS_HOST}:${port}`, {
      host: '127.0.0.1',
      servername: TLS_HOST,
      ca,
    });
    session.on('error', reject);
    const stream = session.request({ ':path': path, ':authority': TLS_HOST });
    let body = '';
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c: Buffer) => (body += c.toString()));
    stream.on('end', () => {
      resolve({ alpn: session.alpnProtocol, status, body });
      session.close();
    });
    stream.on('error', reject);
    stream.end();
  });
}

function handshake(port: number, servername: string, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, servername, ca, ALPNProtocols: ['http/1.1'] },
      () => {
        resolve(`connected as ${socket.alpnProtocol}`);
        socket.destroy();
      },
    );
    socket.on('error', (err) => resolve(`refused: ${err.message}`));
  });
}

test(
  'TLS by SNI with a real certificate, ALPN h2, redirect to HTTPS and gRPC over h2c through the Envoy double',
  { timeout: 60_000 },
  async (t) => {
    const web = await startEchoBackend('web', { host: '127.0.0.21' });
    const grpcEcho = await startEchoBackend('grpc-echo', { host: '127.0.0.22' });
    t.after(() => Promise.all([web.close(), grpcEcho.close()]));
    const manifests = await writeTlsIngressManifests({ address: web.host, port: web.port });
    const run = await startKxdsOnManifests(
      t,
      {
        'grpc.yaml': [
          ...backendService('rpc', 'echo', grpcEcho.port, [grpcEcho.host], {
            'kxds.io/upstream-protocol': 'grpc',
          }),
          ingress('rpc', 'echo', [{ paths: [{ path: '/kxds.demo.Greeter', service: 'echo' }] }]),
        ],
        // The TLS host's gRPC path, from a second Ingress naming the same host.
        'shop-grpc.yaml': [
          ...backendService('shop', 'rpc', grpcEcho.port, [grpcEcho.host], {
            'kxds.io/upstream-protocol': 'grpc',
          }),
          ingress('shop', 'rpc', [
            { host: TLS_HOST, paths: [{ path: '/kxds.demo.Greeter', service: 'rpc' }] },
          ]),
        ],
      },
      { dir: manifests.dir },
    );
    const envoy = await startEdgeDouble(t, run);
    const [httpPort, httpsPort] = [envoy.port(8080), envoy.port(8443)];

    const secure = await httpsGet(httpsPort, TLS_HOST, TLS_HOST, '/tls?x=1', manifests.caPem);
    assert.equal(secure.status, 200, secure.body);
    const echoed = JSON.parse(secure.body) as EchoedRequest;
    assert.deepEqual([echoed.backend, echoed.path, echoed.host], ['web', '/tls?x=1', TLS_HOST]);
    assert.equal(echoed.headers['x-forwarded-proto'], 'https');

    // The chain's route configuration holds only the hosts its certificate covers.
    assert.equal((await httpsGet(httpsPort, TLS_HOST, 'other.test', '/', manifests.caPem)).status, 404);
    assert.match(await handshake(httpsPort, 'unknown.example.com', manifests.caPem), /^refused/);
    assert.equal(await handshake(httpsPort, TLS_HOST, manifests.caPem), 'connected as http/1.1');

    const h2 = await h2Get(httpsPort, '/over-h2', manifests.caPem);
    assert.equal(h2.alpn, 'h2');
    assert.equal(h2.status, 200);
    assert.equal((JSON.parse(h2.body) as EchoedRequest).path, '/over-h2');

    // A TLS host's HTTP requests are redirected to HTTPS, port and query as Envoy writes them.
    const redirect = await request(httpPort, TLS_HOST, '/secure?x=1');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `https://${TLS_HOST}/secure?x=1`);

    // gRPC with h2c prior knowledge on the HTTP port, forwarded over HTTP/2 to the gRPC backend.
    const client = greeterClient(`127.0.0.1:${httpPort}`);
    t.after(() => client.close());
    const reply = await sayHello(client, 'edge');
    assert.equal(reply.served_by, 'grpc-echo');
    const seen = JSON.parse(reply.message) as EchoedRequest;
    assert.deepEqual(
      [seen.path, seen.protocol, seen.method],
      ['/kxds.demo.Greeter/SayHello', 'HTTP/2.0', 'POST'],
    );

    // gRPC over TLS (ALPN h2), the certificate verified for the TLS host, trailers relayed.
    const secureClient = greeterClient(
      `127.0.0.1:${httpsPort}`,
      grpc.credentials.createSsl(Buffer.from(manifests.caPem)),
      {
        'grpc.ssl_target_name_override': TLS_HOST,
        'grpc.default_authority': TLS_HOST,
      },
    );
    t.after(() => secureClient.close());
    const secureReply = await sayHello(secureClient, 'tls');
    assert.equal(secureReply.served_by, 'grpc-echo');
    assert.equal((JSON.parse(secureReply.message) as EchoedRequest).headers['x-forwarded-proto'], 'https');
    assert.equal(envoy.lastNack(), undefined);
  },
);

test(
  '--default-certificate: clients without SNI, or with a name no Ingress lists, get the default chain',
  { timeout: 60_000 },
  async (t) => {
    const web = await startEchoBackend('web', { host: '127.0.0.23' });
    t.after(() => web.close());
    const manifests = await writeTlsIngressManifests({ address: web.host, port: web.port });
    const run = await startKxdsOnManifests(
      t,
      {},
      { dir: manifests.dir, args: ['--default-certificate', TLS_SECRET_NAME] },
    );
    const envoy = await startEdgeDouble(t, run);
    const httpsPort = envoy.port(8443);

    const noSni = await httpsGet(httpsPort, undefined, TLS_HOST, '/no-sni', manifests.caPem);
    assert.equal(noSni.status, 200, noSni.body);
    assert.equal((JSON.parse(noSni.body) as EchoedRequest).backend, 'web');
    // An unknown name gets the default chain's certificate (which the client then finds is not for that name).
    assert.match(
      await handshake(httpsPort, 'unknown.example.com', manifests.caPem),
      /not in the cert's altnames: DNS:shop\.example\.com/,
    );
    // The default chain serves only the hosts its certificate names.
    assert.equal((await httpsGet(httpsPort, undefined, 'other.test', '/', manifests.caPem)).status, 404);
    assert.equal(envoy.lastNack(), undefined);
  },
);
