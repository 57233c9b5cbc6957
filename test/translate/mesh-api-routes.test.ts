// A mesh route's retries and faults as each dialect receives them on an "api" listener: gRPC clients with
// their own dialect get gRPC-status retries with backoff (HTTP conditions and per-try timeouts held back
// and recorded) and faults; unknown gRPC clients get neither, recorded too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshApiRoutes } from '../../src/translate/mesh-api-routes';
import { DIALECTS } from '../../src/translate/dialects/dialect';
import type { IrCluster } from '../../src/ir/clusters';
import type { RankedRoute } from '../../src/frontends/gateway/contract';
import type { IrRoutePolicies } from '../../src/ir/http';

const PARENT: IrCluster = {
  name: 'demo/cart/50051',
  ref: { namespace: 'demo', service: 'cart', port: 50051, portName: 'grpc' },
  protocol: 'http2',
  lbPolicy: 'round-robin',
  connectTimeoutMs: 5000,
};

function ranked(policies: Partial<IrRoutePolicies>): RankedRoute[] {
  return [
    {
      route: {
        source: 'GRPCRoute demo/cart',
        match: { path: { kind: 'prefix', path: '/' }, headers: [] },
        action: {
          kind: 'forward',
          clusters: [{ cluster: 'demo/cart/50051', weight: 1 }],
          http2: true,
          hashOn: [],
          autoHostRewrite: false,
        },
        policies: { websockets: false, grpcWeb: false, ...policies },
      },
      owner: { kind: 'GRPCRoute', namespace: 'demo', name: 'cart', creationTimestamp: '' },
      ruleIndex: 0,
      matchIndex: 0,
    },
  ];
}

const RETRY = { on: ['5xx', 'unavailable'], numRetries: 2, perTryTimeoutMs: 100, backoff: { baseMs: 10 } };
const FAULT = { abort: { grpcStatus: 14, percent: 25 } };

test('grpc-js and C-core get gRPC-status retries and faults; the rest is held back and recorded', () => {
  for (const id of ['grpc-js', 'grpc-core'] as const) {
    const out = meshApiRoutes(ranked({ retry: RETRY, fault: FAULT }), PARENT, new Map(), [], DIALECTS[id]);
    assert.deepEqual(
      out.routes[0]?.retry,
      { on: ['unavailable'], numRetries: 2, backoff: { baseMs: 10 } },
      id,
    );
    assert.deepEqual(out.routes[0]?.fault, FAULT, id);
    assert.deepEqual(
      out.heldBack.map((h) => h.policy),
      ['GRPCRoute demo/cart: retry-on 5xx', 'GRPCRoute demo/cart: per-try-timeout'],
      id,
    );
  }
});

test('a retry with no gRPC status condition is left out for gRPC clients, saying so', () => {
  const out = meshApiRoutes(ranked({ retry: { on: ['5xx'] } }), PARENT, new Map(), [], DIALECTS['grpc-js']);
  assert.equal(out.routes[0]?.retry, undefined);
  assert.deepEqual(
    out.heldBack.map((h) => h.policy),
    ['GRPCRoute demo/cart: retry-on 5xx', 'GRPCRoute demo/cart: retry'],
  );
});

test('unknown gRPC clients get neither retries nor faults, and the route still forwards', () => {
  const out = meshApiRoutes(ranked({ retry: RETRY, fault: FAULT }), PARENT, new Map(), [], DIALECTS.grpc);
  assert.equal(out.routes.length, 1);
  assert.equal(out.routes[0]?.retry, undefined);
  assert.equal(out.routes[0]?.fault, undefined);
  assert.deepEqual(
    out.heldBack.map((h) => h.policy),
    ['GRPCRoute demo/cart: retry', 'GRPCRoute demo/cart: fault injection'],
  );
  assert.match(out.heldBack[0]?.reason ?? '', /other gRPC xDS clients/);
});
