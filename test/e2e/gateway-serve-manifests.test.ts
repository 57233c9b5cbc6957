// The whole Gateway API path as a user runs it: `kxds serve --manifests` on a directory holding a GatewayClass,
// a Gateway, an HTTPRoute and a GRPCRoute written as the Gateway API docs show them, and an edge Envoy (the
// double) announcing `kxds.io/gateway: NS/NAME`. HTTP and gRPC requests reach the right real backends; an edge
// without that metadata stays the Ingress edge and gets no Gateway listener; the statuses are served at
// /debug/gateway-status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import { GREETER_PROTO } from '../../src/demo/greeter';
import { startEchoBackend } from '../envoy-double/echo-backend';
import { backend } from '../helpers/gateway-double';
import { request, startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';

const GATEWAY = [
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'kxds' },
    spec: { controllerName: 'kxds.io/gateway-controller' },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'prod-web', namespace: 'infra' },
    spec: {
      gatewayClassName: 'kxds',
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
      ],
    },
  },
];

const routes = [
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'store', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'prod-web', namespace: 'infra' }],
      hostnames: ['store.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/cart' } }],
          backendRefs: [{ name: 'cart', port: 80 }],
        },
        { backendRefs: [{ name: 'store', port: 80 }] },
      ],
    },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: { name: 'greeter', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'prod-web', namespace: 'infra' }],
      hostnames: ['grpc.example.com'],
      rules: [
        {
          matches: [{ method: { service: 'kxds.demo.Greeter' } }],
          backendRefs: [{ name: 'greeter', port: 50051 }],
        },
      ],
    },
  },
];

test(
  'a Gateway with an HTTPRoute and a GRPCRoute, served by kxds serve --manifests',
  { timeout: 90_000 },
  async (t) => {
    const [store, cart, greeter] = await Promise.all([
      startEchoBackend('store', { host: '127.0.0.51' }),
      startEchoBackend('cart', { host: '127.0.0.52' }),
      startEchoBackend('greeter', { host: '127.0.0.53' }),
    ]);
    t.after(() => Promise.all([store, cart, greeter].map((b) => b.close())));
    const run = await startKxdsOnManifests(t, {
      'gateway.yaml': GATEWAY,
      'routes.yaml': routes,
      'services.yaml': [
        ...backend('shop', 'store', store),
        ...backend('shop', 'cart', cart),
        ...backend('shop', 'greeter', greeter, {
          number: 50051,
          name: 'grpc',
          appProtocol: 'kubernetes.io/h2c',
        }),
      ],
    });
    const envoy = await startEdgeDouble(t, run, {
      node: { id: 'gw-envoy', metadata: { 'kxds.io/gateway': 'infra/prod-web' } },
    });
    // Port 80 is privileged: the Gateway's Envoy binds 10080 (the double maps it to a free loopback port).
    const port = envoy.port(10080);

    const storeReply = await request(port, 'store.example.com', '/');
    assert.equal(storeReply.status, 200);
    assert.equal(JSON.parse(storeReply.body).backend, 'store');
    assert.equal(JSON.parse((await request(port, 'store.example.com', '/cart/items')).body).backend, 'cart');
    assert.equal((await request(port, 'other.example.com', '/')).status, 404, 'a host no route names: 404');

    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      'grpc.default_authority': 'grpc.example.com',
    });
    t.after(() => client.close());
    const replyType = new protobuf.Root()
      .loadSync(GREETER_PROTO, { keepCase: true })
      .lookupType('kxds.demo.HelloReply');
    const servedBy = await new Promise<string>((resolve, reject) =>
      client.makeUnaryRequest(
        '/kxds.demo.Greeter/SayHello',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        new grpc.Metadata(),
        { deadline: Date.now() + 10_000 },
        (err, value) =>
          err || !value
            ? reject(err ?? new Error('no reply'))
            : resolve(String((replyType.decode(value) as unknown as { served_by: string }).served_by)),
      ),
    );
    assert.equal(servedBy, 'greeter');

    // An edge Envoy without kxds.io/gateway is the Ingress edge: no Gateway listener on 10080.
    const ingressEdge = await startEdgeDouble(t, run, { node: { id: 'ingress-envoy' } });
    assert.throws(() => ingressEdge.port(10080));

    const adminAddress = run.adminAddress;
    const statuses = (await (await fetch(`http://${adminAddress}/debug/gateway-status`)).json()) as {
      kind: string;
      name: string;
      status: { parents?: { conditions: { type: string; status: string }[] }[] };
    }[];
    for (const name of ['store', 'greeter']) {
      const route = statuses.find((s) => s.name === name);
      const accepted = route?.status.parents?.[0]?.conditions.find((c) => c.type === 'Accepted');
      assert.equal(accepted?.status, 'True', `${name} is Accepted on its parent`);
    }
  },
);
