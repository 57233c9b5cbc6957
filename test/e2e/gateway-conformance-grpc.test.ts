// GRPCRoute conformance-style tests through the Envoy double, after the upstream suite
// (conformance/tests/grpcroute-exact-method-matching.go, grpcroute-header-matching.go) plus kxds's
// implementation-specific RegularExpression and method-only matches: real gRPC calls from @grpc/grpc-js
// to real gRPC echo backends (h2c), weights, and a backend that can't be resolved answering UNAVAILABLE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import { GREETER_PROTO } from '../../src/demo/greeter';
import { startEchoBackend } from '../envoy-double/echo-backend';
import { backend, gatewayObject, routeObject, serveRoutesToDouble } from '../helpers/gateway-double';
import type { WatchedObject } from '../../src/model/k8s';

const LISTENER_PORT = 8080;
const NS = 'gateway-conformance-infra';
const SVC = 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';
const H2C = { number: 50051, name: 'grpc', appProtocol: 'kubernetes.io/h2c' };
const ref = (name: string, extra: Record<string, unknown> = {}) => ({ name, port: 50051, ...extra });

type Outcome = { servedBy: string } | { code: grpc.status };

/** One gRPC-shaped HTTP/2 request (an empty message) and the grpc-status its reply carries. */
async function grpcStatusOnTheWire(port: number, path: string): Promise<string | undefined> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      let status: string | undefined;
      const take = (h: http2.IncomingHttpHeaders) => (status ??= h['grpc-status'] as string | undefined);
      stream.on('response', take);
      stream.on('trailers', take);
      stream.on('close', () => resolve(status));
      stream.on('error', reject);
      stream.resume();
      stream.end(Buffer.alloc(5));
    });
  } finally {
    session.close();
  }
}

test('GRPCRoute rules through the Envoy double with real gRPC calls', { timeout: 90_000 }, async (t) => {
  const names = ['v1', 'v2', 'v3'] as const;
  const echo = Object.fromEntries(
    await Promise.all(
      names.map(async (n, i) => [n, await startEchoBackend(n, { host: `127.0.0.${41 + i}` })]),
    ),
  ) as Record<(typeof names)[number], Awaited<ReturnType<typeof startEchoBackend>>>;
  t.after(() => Promise.all(Object.values(echo).map((b) => b.close())));
  const objects: WatchedObject[] = [
    gatewayObject(LISTENER_PORT),
    ...backend(NS, 'grpc-infra-backend-v1', echo.v1, H2C),
    ...backend(NS, 'grpc-infra-backend-v2', echo.v2, H2C),
    // A port named "http" without appProtocol: the GRPCRoute still speaks HTTP/2 to it.
    ...backend(NS, 'grpc-infra-backend-v3', echo.v3, { number: 50051, name: 'http' }),
    routeObject('GRPCRoute', NS, 'exact-matching', [
      {
        matches: [{ method: { service: SVC, method: 'Echo' } }],
        backendRefs: [ref('grpc-infra-backend-v1')],
      },
      {
        matches: [{ method: { service: SVC, method: 'EchoTwo' } }],
        backendRefs: [ref('grpc-infra-backend-v2')],
      },
      { matches: [{ method: { service: `${SVC}Missing` } }], backendRefs: [ref('grpc-infra-backend-gone')] },
    ]),
    routeObject('GRPCRoute', NS, 'regex-and-headers', [
      {
        matches: [
          {
            method: {
              type: 'RegularExpression',
              service: 'gateway_api_conformance\\..*',
              method: 'EchoThree|EchoFour',
            },
          },
        ],
        backendRefs: [ref('grpc-infra-backend-v3')],
      },
      { matches: [{ method: { method: 'OnlyMethod' } }], backendRefs: [ref('grpc-infra-backend-v2')] },
      {
        matches: [{ method: { service: 'headers.Svc' }, headers: [{ name: 'version', value: 'two' }] }],
        backendRefs: [ref('grpc-infra-backend-v2')],
      },
      { matches: [{ method: { service: 'headers.Svc' } }], backendRefs: [ref('grpc-infra-backend-v1')] },
      {
        matches: [{ method: { service: 'weights.Svc' } }],
        backendRefs: [
          ref('grpc-infra-backend-v1', { weight: 1 }),
          ref('grpc-infra-backend-v2', { weight: 3 }),
        ],
      },
    ]),
  ];
  let draw = 0;
  const served = await serveRoutesToDouble(t, objects, LISTENER_PORT, () => ((draw++ % 100) + 0.5) / 100);
  const client = new grpc.Client(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
  t.after(() => client.close());
  const reply = new protobuf.Root()
    .loadSync(GREETER_PROTO, { keepCase: true })
    .lookupType('kxds.demo.HelloReply');
  const call = (path: string, headers: Record<string, string> = {}): Promise<Outcome> =>
    new Promise((resolve) => {
      const metadata = new grpc.Metadata();
      for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        metadata,
        { deadline: Date.now() + 10_000 },
        (err, value) => {
          if (err || !value) resolve({ code: err?.code ?? grpc.status.UNKNOWN });
          else
            resolve({
              servedBy: String((reply.decode(value) as unknown as { served_by: string }).served_by),
            });
        },
      );
    });

  // GRPCRouteExactMethodMatching
  assert.deepEqual(await call(`/${SVC}/Echo`), { servedBy: 'v1' });
  assert.deepEqual(await call(`/${SVC}/EchoTwo`), { servedBy: 'v2' });
  assert.deepEqual(
    await call(`/${SVC}/EchoThree`),
    { servedBy: 'v3' },
    'the regex rule, over an HTTP/2 cluster of an "http" port',
  );
  assert.deepEqual(await call(`/${SVC}/EchoFour`), { servedBy: 'v3' });
  // No rule matches: no backend serves it. (Envoy answers 404 as grpc-status UNIMPLEMENTED; the double's
  // no-route reply does not drain the request first, so grpc-js sees a reset instead: only "not served" here.)
  const unmatched = await call(`/${SVC}/EchoFive`);
  assert.ok('code' in unmatched, `no rule matches EchoFive, yet ${JSON.stringify(unmatched)}`);
  assert.deepEqual(await call('/any.Service/OnlyMethod'), { servedBy: 'v2' }, 'method-only match');
  // GRPCRouteHeaderMatching
  assert.deepEqual(await call('/headers.Svc/Get', { version: 'two' }), { servedBy: 'v2' });
  assert.deepEqual(await call('/headers.Svc/Get', { version: 'one' }), { servedBy: 'v1' });
  assert.deepEqual(await call('/headers.Svc/Get'), { servedBy: 'v1' });
  // A backend that can't be resolved: UNAVAILABLE, as the spec asks of gRPC. Read on the wire (grpc-status in
  // the reply's headers): the double ends gRPC local replies in a way grpc-js may report as a reset.
  assert.equal(
    await grpcStatusOnTheWire(served.port, `/${SVC}Missing/Echo`),
    String(grpc.status.UNAVAILABLE),
  );
  // Weights 1:3 over 100 draws.
  draw = 0;
  const counts: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    const outcome = await call('/weights.Svc/Call');
    const key = 'servedBy' in outcome ? outcome.servedBy : `code ${outcome.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  assert.deepEqual(counts, { v1: 25, v2: 75 });
  assert.ok(
    echo.v3.received.every((r) => r.protocol === 'HTTP/2.0'),
    'the "http" port was spoken to in HTTP/2',
  );
  assert.equal(served.envoy.lastNack(), undefined, 'the double accepted every resource');
});
