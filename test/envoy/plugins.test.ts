// The Envoy back-end's plug-ins: HTTP filters (what each adds to the chain and to a route) and LB
// policies (what each sets on a cluster), registered explicitly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_HTTP_FILTERS, hcmHttpFilters, perFilterConfig } from '../../src/envoy/http-filters';
import { lbPolicyPlugin } from '../../src/envoy/lb-policies';
import { buildCluster } from '../../src/envoy/cluster';
import type { IrCluster, LbPolicy } from '../../src/ir/clusters';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME, type Cluster } from '../../src/xds/types';

test('the edge chain: RBAC, CORS, local rate limit, basic auth and gRPC-Web (disabled), router last', () => {
  const chain = hcmHttpFilters(EDGE_HTTP_FILTERS);
  assert.deepEqual(
    chain.map((f) => [f.name, f.disabled ?? false]),
    [
      ['envoy.filters.http.rbac', false],
      ['envoy.filters.http.cors', false],
      ['envoy.filters.http.local_ratelimit', false],
      ['envoy.filters.http.basic_auth', true],
      ['envoy.filters.http.grpc_web', true],
      ['envoy.filters.http.router', false],
    ],
  );
  assert.ok(chain.every((f) => f.typed_config), 'every filter carries a typed_config');
});

test('a route gets per-filter config only for what it asks', () => {
  assert.deepEqual(perFilterConfig(EDGE_HTTP_FILTERS, { grpcWeb: false }), {});
  const all = perFilterConfig(EDGE_HTTP_FILTERS, {
    grpcWeb: true,
    sourceRanges: { allow: [{ address: '10.0.0.0', prefixLength: 8 }], deny: [], by: 'peer' },
    basicAuth: { htpasswd: 'alice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ=\n' },
    rateLimit: { requestsPerSecond: 5, burst: 10 },
    cors: {
      allowOrigins: ['https://*.example.com'],
      allowMethods: 'GET',
      allowHeaders: '',
      exposeHeaders: '',
      maxAgeSeconds: 60,
      allowCredentials: false,
    },
  });
  assert.deepEqual(Object.keys(all), [
    'envoy.filters.http.rbac',
    'envoy.filters.http.cors',
    'envoy.filters.http.local_ratelimit',
    'envoy.filters.http.basic_auth',
    'envoy.filters.http.grpc_web',
  ]);
  const cors = all['envoy.filters.http.cors'] as { type_url?: string } | undefined;
  assert.match(cors?.type_url ?? '', /CorsPolicy$/);
});

test('every LB policy plug-in sets its lb_policy, and the cluster passes the proto rules', () => {
  const expected: Record<LbPolicy, Cluster['lb_policy']> = {
    'round-robin': 'ROUND_ROBIN',
    'least-request': 'LEAST_REQUEST',
    random: 'RANDOM',
    'ring-hash': 'RING_HASH',
    maglev: 'MAGLEV',
  };
  for (const [policy, lbPolicy] of Object.entries(expected) as [LbPolicy, Cluster['lb_policy']][]) {
    assert.equal(lbPolicyPlugin(policy).policy, policy);
    const ir: IrCluster = {
      name: 'demo/a/80',
      ref: { namespace: 'demo', service: 'a', port: 80, portName: '' },
      protocol: 'http1',
      lbPolicy: policy,
      connectTimeoutMs: 1000,
    };
    const cluster = buildCluster(ir);
    assert.equal(cluster.lb_policy, lbPolicy);
    assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.cluster, cluster), [], policy);
  }
});
