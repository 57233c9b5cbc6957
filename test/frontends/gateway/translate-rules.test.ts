// translateRouteRules as a whole: how unresolved backends keep their share (500 for HTTP, 503 for gRPC),
// dropped rules and the route's conditions, cluster naming for gRPC and TLS, the connect timeout option,
// and the Service ports reported for BackendTLSPolicy ancestors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateRouteRules } from '../../../src/frontends/gateway/routes';
import { grpcRoute, httpRoute, LISTENER, ruleContext, service } from './route-helpers';

test('an unresolved backend keeps its share of traffic, answered 500; the rest forwards', () => {
  const ctx = ruleContext(service('web'));
  const out = translateRouteRules(
    httpRoute({
      rules: [
        {
          backendRefs: [
            { name: 'web', port: 80, weight: 3 },
            { name: 'ghost', port: 80, weight: 1 },
          ],
        },
      ],
    }),
    LISTENER,
    ctx,
  );
  const action = out.routes[0]?.route.action;
  assert.ok(action?.kind === 'forward');
  assert.deepEqual(
    action.clusters.map((c) => c.weight),
    [3, 1],
  );
  assert.equal(action.clusters[0]?.cluster, 'apps/web/80');
  assert.match(action.clusters[1]?.cluster ?? '', /^kxds-unresolved\//);
  assert.equal(action.missingClusterStatus, 500);
  assert.deepEqual(
    out.clusters.map((c) => c.name),
    ['apps/web/80'],
  );
  assert.equal(out.clusters[0]?.connectTimeoutMs, 2500, 'the operator connect timeout reaches the cluster');
  assert.deepEqual(out.conditions, [
    {
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'BackendNotFound',
      message: 'backendRef Service apps/ghost: not found',
    },
  ]);
  assert.equal(ctx.warnings.length, 1, 'the problem is a finding too');
});

test('gRPC: nothing resolvable answers 503 (UNAVAILABLE); the cluster speaks HTTP/2 under its own name', () => {
  const ctx = ruleContext(service('web'));
  const out = translateRouteRules(
    grpcRoute({
      rules: [
        { backendRefs: [{ name: 'web', port: 80 }] },
        { matches: [{ method: { service: 'x.Y' } }], backendRefs: [{ name: 'ghost', port: 80 }] },
      ],
    }),
    LISTENER,
    ctx,
  );
  const [forwarding, unresolved] = out.routes;
  assert.ok(forwarding?.route.action.kind === 'forward');
  assert.equal(forwarding.route.policies.timeoutMs, 0, 'no 15 s cut on long streams');
  assert.ok(unresolved?.route.action.kind === 'direct' && unresolved.route.action.status === 503);
  assert.deepEqual(
    out.clusters.map((c) => [c.name, c.protocol]),
    [['apps/web/80/h2c', 'http2']],
  );
});

test('a dropped rule leaves the others: PartiallyInvalid; every rule dropped: Accepted False', () => {
  const ctx = ruleContext(service('web'));
  const bad = {
    matches: [{ path: { type: 'RegularExpression', value: '(?=x)' } }],
    backendRefs: [{ name: 'web', port: 80 }],
  };
  const partly = translateRouteRules(
    httpRoute({ rules: [bad, { backendRefs: [{ name: 'web', port: 80 }] }] }),
    LISTENER,
    ctx,
  );
  assert.equal(partly.routes.length, 1);
  assert.equal(partly.conditions[0]?.type, 'PartiallyInvalid');
  assert.match(partly.conditions[0]?.message ?? '', /^Dropped Rule/);
  const all = translateRouteRules(httpRoute({ rules: [bad] }), LISTENER, ctx);
  assert.deepEqual(all.routes, []);
  assert.deepEqual([all.conditions[0]?.type, all.conditions[0]?.status], ['Accepted', 'False']);
});

test('backendPorts lists every Service port named, resolved or not', () => {
  const ctx = ruleContext(service('web'), service('db', 'apps', 5432));
  const out = translateRouteRules(
    httpRoute({
      rules: [
        {
          backendRefs: [
            { name: 'web', port: 80 },
            { name: 'db', port: 5432 },
            { name: 'ghost', port: 1 },
          ],
        },
      ],
    }),
    LISTENER,
    ctx,
  );
  assert.deepEqual(
    out.backendPorts?.map((p) => `${p.service}:${p.port}`),
    ['db:5432', 'web:80'],
  );
});

test('ExtensionRef: the rule answers 500 and the route says InvalidKind', () => {
  const ctx = ruleContext(service('web'));
  const out = translateRouteRules(
    httpRoute({
      rules: [
        {
          filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x.io', kind: 'F', name: 'f' } }],
          backendRefs: [{ name: 'web', port: 80 }],
        },
      ],
    }),
    LISTENER,
    ctx,
  );
  assert.deepEqual(out.routes[0]?.route.action, { kind: 'direct', status: 500 });
  assert.equal(out.conditions[0]?.reason, 'InvalidKind');
});

test('websocket upgrades only on the rules whose backend asks for them', () => {
  const ctx = ruleContext(service('ws', 'apps', 80, { appProtocol: 'kubernetes.io/ws' }), service('web'));
  const out = translateRouteRules(
    httpRoute({
      rules: [
        { matches: [{ path: { value: '/ws' } }], backendRefs: [{ name: 'ws', port: 80 }] },
        { backendRefs: [{ name: 'web', port: 80 }] },
      ],
    }),
    LISTENER,
    ctx,
  );
  assert.deepEqual(
    out.routes.map((r) => r.route.policies.websockets),
    [true, false],
  );
});
