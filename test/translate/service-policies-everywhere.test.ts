// Service-level policies reach every data plane through its dialect: a sidecar (Envoy) receives all of
// them, checked against Envoy's proto rules; each gRPC dialect receives what its clients support and the
// rest is recorded as held back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import { checkResources } from '../golden/check-resources';
import type { Cluster, ResourceSet, RouteConfiguration } from '../../src/xds/types';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { parseNodeGroupKey, type NodeGroup } from '../../src/xds/node-group';

const EVERY_POLICY = {
  'kxds.io/hash-on': 'header:x-user',
  'kxds.io/max-connections': '10',
  'kxds.io/max-pending-requests': '11',
  'kxds.io/max-requests': '12',
  'kxds.io/max-retries': '3',
  'kxds.io/health-check': 'grpc',
  'kxds.io/health-check-interval': '5s',
  'kxds.io/outlier-consecutive-5xx': '4',
  'kxds.io/outlier-failure-percentage': '60',
  'kxds.io/outlier-interval': '2s',
  'kxds.io/connect-timeout': '750ms',
};
const objects = [
  service('demo', 'api', [{ name: 'grpc', port: 9000, appProtocol: 'grpc' }], {}, EVERY_POLICY),
  service('demo', 'sticky', [{ name: 'http', port: 80 }], { sessionAffinity: 'ClientIP' }),
  endpointSlice('demo', 'api', 'a1', [{ name: 'grpc', port: 9000 }], [{ ip: '10.0.0.1' }]),
  endpointSlice('demo', 'sticky', 's1', [{ name: 'http', port: 8080 }], [{ ip: '10.0.0.2' }]),
];
const GROUPS = ['sidecar/demo', 'proxyless/grpc-js', 'proxyless/grpc-core', 'proxyless'];

function translated() {
  const result = translate(modelFrom(objects), {
    requestedGroups: GROUPS.map((key) => parseNodeGroupKey(key) as NodeGroup),
    connectTimeoutMs: 2000,
  });
  const group = (key: string) => result.groups.get(key) as ResourceSet;
  const cluster = (key: string, name: string) => group(key).cluster.get(name) as Cluster;
  return { result, group, cluster };
}

test('a sidecar receives every Service-level policy, and all of it passes Envoy proto rules', () => {
  const { result, group, cluster } = translated();
  const api = cluster('sidecar/demo', 'demo/api/9000');
  assert.equal(api.lb_policy, 'RING_HASH');
  assert.deepEqual(api.connect_timeout, { seconds: 0, nanos: 750_000_000 });
  const limits = api.circuit_breakers?.thresholds?.[0];
  assert.deepEqual(
    [limits?.max_connections, limits?.max_pending_requests, limits?.max_requests, limits?.max_retries],
    [{ value: 10 }, { value: 11 }, { value: 12 }, { value: 3 }],
  );
  assert.ok(api.health_checks?.[0]?.grpc_health_check);
  assert.deepEqual(api.outlier_detection?.consecutive_5xx, { value: 4 });
  assert.deepEqual(api.outlier_detection?.failure_percentage_threshold, { value: 60 });
  // The serve-wide default applies where the Service sets none.
  assert.deepEqual(cluster('sidecar/demo', 'demo/sticky/80').connect_timeout, { seconds: 2, nanos: 0 });
  const routes = group('sidecar/demo').route.get('outbound') as RouteConfiguration;
  const hashOf = (name: string) =>
    routes.virtual_hosts?.find((v) => v.name === name)?.routes?.[0]?.route?.hash_policy;
  assert.deepEqual(hashOf('demo/api/9000'), [{ header: { header_name: 'x-user' } }]);
  assert.deepEqual(hashOf('demo/sticky/80'), [{ connection_properties: { source_ip: true } }]);
  assert.equal(cluster('sidecar/demo', 'demo/sticky/80').lb_policy, 'RING_HASH');
  for (const key of GROUPS) assert.deepEqual(checkResources(group(key)), [], key);
  assert.deepEqual(result.heldBack.get('sidecar/demo') ?? [], []);
});

test('grpc-js gets ring hash (ClientIP as the channel id), max-requests and A50 outlier detection', () => {
  const { result, group, cluster } = translated();
  const sticky = cluster('proxyless/grpc-js', 'demo/sticky/80');
  assert.equal(sticky.lb_policy, 'RING_HASH');
  const route = group('proxyless/grpc-js').route.get(
    'sticky.demo.svc.cluster.local:80',
  ) as RouteConfiguration;
  assert.deepEqual(route.virtual_hosts?.[0]?.routes?.[0]?.route?.hash_policy, [
    { filter_state: { key: 'io.grpc.channel_id' } },
  ]);
  const api = cluster('proxyless/grpc-js', 'demo/api/9000');
  assert.deepEqual(api.circuit_breakers?.thresholds?.[0]?.max_requests, { value: 12 });
  assert.equal(api.circuit_breakers?.thresholds?.[0]?.max_connections, undefined);
  assert.equal(api.health_checks, undefined);
  assert.equal(api.outlier_detection?.consecutive_5xx, undefined);
  assert.deepEqual(api.outlier_detection?.failure_percentage_threshold, { value: 60 });
  assert.deepEqual(api.outlier_detection?.enforcing_success_rate, { value: 0 });
  assert.equal(api.typed_extension_protocol_options, undefined);
  assert.deepEqual(
    (result.heldBack.get('proxyless/grpc-js') ?? []).map((h) => `${h.cluster} ${h.policy}`),
    [
      'demo/api/9000 circuit-breaker maxConnections',
      'demo/api/9000 circuit-breaker maxPendingRequests',
      'demo/api/9000 circuit-breaker maxRetries',
      'demo/api/9000 health-check',
      'demo/api/9000 outlier-detection consecutive-5xx',
    ],
  );
});

test('C-core and unknown gRPC clients never get RING_HASH; what they lose is held back', () => {
  const { result, cluster, group } = translated();
  for (const key of ['proxyless/grpc-core', 'proxyless']) {
    for (const [name, c] of group(key).cluster)
      assert.equal((c as Cluster).lb_policy, 'ROUND_ROBIN', `${key} ${name}`);
    for (const [, r] of group(key).route)
      assert.equal(
        (r as RouteConfiguration).virtual_hosts?.[0]?.routes?.[0]?.route?.hash_policy,
        undefined,
        key,
      );
  }
  assert.deepEqual(
    cluster('proxyless/grpc-core', 'demo/api/9000').outlier_detection?.failure_percentage_threshold,
    {
      value: 60,
    },
  );
  assert.equal(cluster('proxyless', 'demo/api/9000').outlier_detection, undefined);
  const core = (result.heldBack.get('proxyless/grpc-core') ?? []).map((h) => `${h.cluster} ${h.policy}`);
  assert.ok(core.includes('demo/sticky/80 hash-on channel-id'), core.join('\n'));
  assert.ok(core.includes('demo/sticky/80 lb-policy ring-hash'), core.join('\n'));
  assert.ok(core.includes('demo/api/9000 hash-on header'), core.join('\n'));
  const unknown = (result.heldBack.get('proxyless') ?? []).map((h) => `${h.cluster} ${h.policy}`);
  assert.ok(unknown.includes('demo/api/9000 outlier-detection'), unknown.join('\n'));
  // Known clients that can't hold affinity make the Service's owner hear about it.
  const sticky = result.statuses.find((s) => s.ref.kind === 'Service' && s.ref.name === 'sticky');
  assert.deepEqual(
    sticky?.conditions.map((c) => [c.type, c.status, c.reason]),
    [['PartiallyInvalid', 'True', 'UnsupportedByClient']],
  );
  assert.match(sticky?.conditions[0]?.message ?? '', /gRPC C-core/);
});
