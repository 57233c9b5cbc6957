// The Gateway front-end wired into translate(): each Gateway it serves becomes the node group gateway/NS/NAME
// built by the shared Envoy back-end, with the options the front-end needs; its statuses come back sorted;
// watched Gateway groups it does not serve are answered empty. A fake front-end stands in for the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore } from '../../src/model/store';
import { translate, Translator } from '../../src/translate/translate';
import { gatewayGroup } from '../../src/xds/node-group';
import type { ClusterLoadAssignment } from '../../src/xds/types';
import { checkResources } from '../golden/check-resources';
import { FakeGatewayFrontend, gatewayIr, irRoute } from '../helpers/gateway-ir';

const web = { namespace: 'infra', name: 'web' };
const api = { namespace: 'apps', name: 'api' };

function frontend(): FakeGatewayFrontend {
  const fake = new FakeGatewayFrontend();
  fake.gateways = [
    { ...web, ir: gatewayIr(web, [irRoute('/', [{ cluster: 'demo/echo/80', weight: 100 }])]) },
    { ...api, ir: gatewayIr(api, [irRoute('/v1', [{ cluster: 'demo/echo/80', weight: 100 }])]) },
  ];
  fake.statuses = [
    { kind: 'HTTPRoute', namespace: 'demo', name: 'r', generation: 2, status: { parents: [] } },
    { kind: 'Gateway', namespace: 'infra', name: 'web', generation: 1, status: { conditions: [] } },
    { kind: 'GatewayClass', name: 'kxds', generation: 3, status: { conditions: [] } },
    { kind: 'Gateway', namespace: 'apps', name: 'api', generation: 1, status: { conditions: [] } },
  ];
  return fake;
}

test('every served Gateway is a standing node group of Envoy resources that pass the proto rules', () => {
  const fake = frontend();
  const result = translate(new ModelStore(), {}, fake.translate);
  const webSet = result.groups.get('gateway/infra/web');
  const apiSet = result.groups.get('gateway/apps/api');
  assert.ok(webSet && apiSet);
  assert.deepEqual([...webSet.listener.keys()], ['infra/web/8080']);
  assert.deepEqual([...webSet.route.keys()], ['infra/web/8080']);
  assert.deepEqual([...webSet.cluster.keys()], ['demo/echo/80']);
  assert.deepEqual([...webSet.endpoint.keys()], ['demo/echo/80']);
  assert.deepEqual(checkResources(webSet), []);
  assert.deepEqual(checkResources(apiSet), []);
  assert.ok(result.standingGroups.includes('gateway/infra/web'));
  assert.ok(result.standingGroups.includes('gateway/apps/api'));
  assert.ok(result.groups.has('edge'), 'the Ingress edge is still built beside them');
});

test('the front-end gets the bind address, the privileged-port offset and the cluster defaults', () => {
  const fake = frontend();
  translate(new ModelStore(), {}, fake.translate);
  translate(
    new ModelStore(),
    { edgeAddress: '127.0.0.1', privilegedPortOffset: 20000, connectTimeoutMs: 750, allowExternalName: true },
    fake.translate,
  );
  assert.deepEqual(fake.calls, [
    { address: '0.0.0.0', privilegedPortOffset: 10000, allowExternalName: false, connectTimeoutMs: 5000 },
    { address: '127.0.0.1', privilegedPortOffset: 20000, allowExternalName: true, connectTimeoutMs: 750 },
  ]);
});

test('Gateway API statuses come back sorted by kind, namespace and name', () => {
  const result = translate(new ModelStore(), {}, frontend().translate);
  assert.deepEqual(
    result.gatewayStatuses.map((s) => `${s.kind} ${s.namespace ?? ''}/${s.name}`),
    ['Gateway apps/api', 'Gateway infra/web', 'GatewayClass /kxds', 'HTTPRoute demo/r'],
  );
});

test('a watched Gateway group the front-end does not serve is answered empty and is not standing', () => {
  const result = translate(
    new ModelStore(),
    { requestedGroups: [gatewayGroup('infra', 'gone')] },
    frontend().translate,
  );
  const gone = result.groups.get('gateway/infra/gone');
  assert.ok(gone, 'an empty set, so its Envoys hear "nothing" instead of waiting');
  for (const kind of ['listener', 'route', 'cluster', 'endpoint', 'secret'] as const)
    assert.equal(gone[kind].size, 0);
  assert.ok(!result.standingGroups.includes('gateway/infra/gone'));
});

test('two Gateways with equal resource names keep their own resources; unchanged ones come back identical', () => {
  const fake = frontend();
  const other = gatewayIr(api, [irRoute('/v1', [{ cluster: 'demo/echo/80', weight: 100 }])], {
    endpointPort: 9999,
  });
  fake.gateways = [fake.gateways[0]!, { ...api, ir: other }];
  const translator = new Translator(fake.translate);
  const first = translator.translate(new ModelStore());
  const port = (key: string) =>
    (first.groups.get(key)?.endpoint.get('demo/echo/80') as ClusterLoadAssignment | undefined)?.endpoints?.[0]
      ?.lb_endpoints?.[0]?.endpoint?.address?.socket_address?.port_value;
  assert.equal(port('gateway/infra/web'), 9000);
  assert.equal(port('gateway/apps/api'), 9999);
  const second = translator.translate(new ModelStore());
  for (const key of ['gateway/infra/web', 'gateway/apps/api']) {
    assert.equal(
      second.groups.get(key)?.cluster.get('demo/echo/80'),
      first.groups.get(key)?.cluster.get('demo/echo/80'),
    );
    assert.equal(
      second.groups.get(key)?.listener.get(`${key.slice(8)}/8080`),
      first.groups.get(key)?.listener.get(`${key.slice(8)}/8080`),
    );
  }
  // A Gateway that is no longer served leaves the memo too.
  const before = translator.memoSize();
  fake.gateways = [fake.gateways[0]!];
  translator.translate(new ModelStore());
  assert.ok(translator.memoSize() < before);
});

test('a Gateway whose IR the back-end cannot build costs that Gateway only, with a condition on it', () => {
  const fake = frontend();
  const broken = gatewayIr(web, []);
  // udp_proxy routes to exactly one cluster: a UDP listener without one cannot be built.
  broken.listeners = [{ kind: 'udp', name: 'u', address: '0.0.0.0', port: 53, backends: [] }];
  fake.gateways = [{ ...web, ir: broken }, fake.gateways[1]!];
  const model = new ModelStore();
  model.upsert({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace: 'infra', generation: 1 },
    spec: { gatewayClassName: 'kxds', listeners: [] },
  } as never);
  const result = translate(model, {}, fake.translate);
  assert.equal(result.groups.get('gateway/infra/web')?.listener.size, 0);
  assert.equal(result.groups.get('gateway/apps/api')?.listener.size, 1, 'the other Gateway is served');
  const failed = result.statuses.find((s) => s.ref.kind === 'Gateway' && s.ref.name === 'web');
  assert.match(
    failed?.conditions[0]?.message ?? '',
    /could not translate this object \(udp listener u needs exactly one backend cluster, got 0/,
  );
});
