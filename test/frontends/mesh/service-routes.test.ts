// The mesh (GAMMA) front-end on its own: which routes attach to which Service port, producer routes
// (in the Service's namespace) for every caller and consumer routes (in another namespace) only for the
// callers of their own namespace, in place of the producer routes of that port; statuses per parent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore } from '../../../src/model/store';
import type { WatchedObject } from '../../../src/model/k8s';
import {
  consumerNamespaces,
  meshRoutes,
  routesForCaller,
  type MeshRoutes,
} from '../../../src/frontends/mesh/service-routes';
import { meshParentRefs } from '../../../src/frontends/mesh/parent-refs';
import { withMeshParents } from '../../../src/frontends/mesh/merge-parents';
import type { GatewayApiObject } from '../../../src/model/gateway-api';
import { service } from '../../helpers/k8s-fixtures';

const PORTS = [
  { name: 'grpc', port: 50051, appProtocol: 'grpc' },
  { name: 'admin', port: 9000 },
];

function route(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  created = '2026-01-01T00:00:00Z',
) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute' as const,
    metadata: { namespace, name, generation: 3, creationTimestamp: created },
    spec,
  } as GatewayApiObject<'GRPCRoute'>;
}

const toService = (name: string, namespace?: string, port?: number) => ({
  group: '',
  kind: 'Service',
  name,
  ...(namespace ? { namespace } : {}),
  ...(port ? { port } : {}),
});

function mesh(...objects: WatchedObject[]): MeshRoutes {
  const model = new ModelStore();
  for (const o of [
    service('shop', 'cart', PORTS),
    service('shop', 'v2', PORTS),
    service('web', 'v3', PORTS),
    ...objects,
  ])
    model.upsert(o);
  return meshRoutes(model, {
    model,
    warnings: [],
    options: {
      address: '0.0.0.0',
      privilegedPortOffset: 0,
      allowExternalName: false,
      connectTimeoutMs: 5000,
    },
  });
}

const sources = (routes: ReturnType<typeof routesForCaller>) => (routes ?? []).map((r) => r.route.source);
const conditionsOf = (m: MeshRoutes, name: string) =>
  (
    m.statuses.find((s) => s.name === name)?.status.parents as {
      conditions: { type: string; status: string; reason: string; message: string }[];
    }[]
  ).map((p) => p.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`));

test('a producer route with a port decides that Service port for every caller', () => {
  const m = mesh(
    route('shop', 'prod', {
      parentRefs: [toService('cart', undefined, 50051)],
      rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
    }),
  );
  assert.deepEqual([...m.byServicePort.keys()], ['shop/cart/50051']);
  assert.deepEqual(m.consumers.size, 0);
  assert.ok(m.clusters.has('shop/v2/50051'), [...m.clusters.keys()].join());
  for (const caller of [undefined, 'shop', 'web'])
    assert.equal(routesForCaller(m, 'shop/cart/50051', caller)?.length, 1, `caller ${caller ?? 'unknown'}`);
  assert.equal(routesForCaller(m, 'shop/cart/9000', 'web'), undefined, 'the other port keeps plain routing');
  assert.deepEqual(conditionsOf(m, 'prod'), [['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs']]);
  const parent = (
    m.statuses[0]?.status.parents as { parentRef: unknown; conditions: { observedGeneration: number }[] }[]
  )[0];
  assert.deepEqual(parent?.parentRef, {
    group: '',
    kind: 'Service',
    namespace: 'shop',
    name: 'cart',
    port: 50051,
  });
  assert.equal(parent?.conditions[0]?.observedGeneration, 3);
});

test('a parentRef without a port attaches to every TCP port of the Service', () => {
  const m = mesh(
    route('shop', 'prod', {
      parentRefs: [toService('cart')],
      rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
    }),
  );
  assert.deepEqual([...m.byServicePort.keys()].sort(), ['shop/cart/50051', 'shop/cart/9000']);
});

test('a consumer route applies to its own namespace only, in place of the producer routes of that port', () => {
  const m = mesh(
    route('shop', 'prod', {
      parentRefs: [toService('cart')],
      rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
    }),
    route('web', 'mine', {
      parentRefs: [toService('cart', 'shop', 50051)],
      rules: [{ backendRefs: [{ name: 'v3', port: 50051 }] }],
    }),
  );
  assert.deepEqual(consumerNamespaces(m), ['web']);
  assert.deepEqual([...(m.consumers.get('web')?.keys() ?? [])], ['shop/cart/50051']);
  assert.deepEqual(sources(routesForCaller(m, 'shop/cart/50051', 'web')), ['GRPCRoute web/mine']);
  assert.deepEqual(sources(routesForCaller(m, 'shop/cart/50051', 'shop')), ['GRPCRoute shop/prod']);
  assert.deepEqual(sources(routesForCaller(m, 'shop/cart/50051', 'other')), ['GRPCRoute shop/prod']);
  assert.deepEqual(
    sources(routesForCaller(m, 'shop/cart/50051')),
    ['GRPCRoute shop/prod'],
    'namespace unknown',
  );
  // The consumer route names port 50051 only: the caller's other port keeps the producer route.
  assert.deepEqual(sources(routesForCaller(m, 'shop/cart/9000', 'web')), ['GRPCRoute shop/prod']);
  // A consumer route's backend without a namespace is in the route's namespace (web/v3), not the Service's.
  assert.ok(m.clusters.has('web/v3/50051'), [...m.clusters.keys()].join());
  assert.deepEqual(conditionsOf(m, 'mine'), [['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs']]);
});

test('consumer routes of one namespace merge by the spec precedence (most specific match first)', () => {
  const method = (m: string) => ({
    matches: [{ method: { service: 'kxds.demo.Greeter', method: m } }],
    backendRefs: [{ name: 'v3', port: 50051 }],
  });
  const m = mesh(
    route(
      'web',
      'any',
      {
        parentRefs: [toService('cart', 'shop', 50051)],
        rules: [{ backendRefs: [{ name: 'v3', port: 50051 }] }],
      },
      '2026-01-01T00:00:00Z',
    ),
    route(
      'web',
      'exact',
      { parentRefs: [toService('cart', 'shop', 50051)], rules: [method('SayHello')] },
      '2026-02-01T00:00:00Z',
    ),
  );
  assert.deepEqual(sources(routesForCaller(m, 'shop/cart/50051', 'web')), [
    'GRPCRoute web/exact',
    'GRPCRoute web/any',
  ]);
});

test('a parent Service that does not exist, or lacks the port, is reported on the route', () => {
  const m = mesh(
    route('shop', 'gone', {
      parentRefs: [toService('nope')],
      rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
    }),
    route('shop', 'port', {
      parentRefs: [toService('cart', undefined, 1234)],
      rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
    }),
  );
  assert.equal(m.byServicePort.size, 0);
  assert.deepEqual(conditionsOf(m, 'gone'), [
    ['ResolvedRefs=True/ResolvedRefs', 'Accepted=False/NoMatchingParent'],
  ]);
  const message = (
    m.statuses.find((s) => s.name === 'port')?.status.parents as { conditions: { message: string }[] }[]
  )[0]?.conditions.find((c) => c.message.includes('1234'))?.message;
  assert.equal(message, 'Service shop/cart has no TCP port 1234');
});

test('a route with only Gateway parents is no mesh route; parentRefs default to the route namespace', () => {
  const gw = route('shop', 'edge', {
    parentRefs: [{ name: 'web' }],
    rules: [{ backendRefs: [{ name: 'v2', port: 50051 }] }],
  });
  const m = mesh(gw);
  assert.deepEqual(m.statuses, []);
  assert.deepEqual(
    meshParentRefs(
      route('shop', 'r', {
        parentRefs: [
          toService('cart'),
          { group: 'core', kind: 'Service', name: 'x', port: 1 },
          { kind: 'Service', name: 'no-group' },
        ],
      }),
    ),
    [
      { namespace: 'shop', name: 'cart' },
      { namespace: 'shop', name: 'x', port: 1 },
    ],
  );
});

test('a route with Gateway and Service parents gets one status holding both parents', () => {
  const gw = {
    kind: 'GRPCRoute' as const,
    namespace: 'shop',
    name: 'r',
    generation: 1,
    status: { parents: [{ g: 1 }] },
  };
  const meshOnly = {
    kind: 'GRPCRoute' as const,
    namespace: 'shop',
    name: 'm',
    generation: 1,
    status: { parents: [{ m: 2 }] },
  };
  const both = { ...gw, status: { parents: [{ m: 1 }] } };
  assert.deepEqual(withMeshParents([gw], [both, meshOnly]), [
    { ...gw, status: { parents: [{ g: 1 }, { m: 1 }] } },
    meshOnly,
  ]);
});
