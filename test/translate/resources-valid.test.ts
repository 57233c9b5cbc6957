// Every resource kxds emits for proxyless clients and sidecars passes Envoy's proto validation rules and
// round-trips through the protos with nothing lost. (The edge has its own golden suite doing the same.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../src/model/store';
import { translate } from '../../src/translate/translate';
import { sidecarGroup } from '../../src/xds/node-group';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME, type ResourceKind } from '../../src/xds/types';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

const objects = [
  service(
    'demo',
    'greeter',
    [
      { name: 'grpc', port: 50051, appProtocol: 'grpc' },
      { name: 'http', port: 8080 },
    ],
    { clusterIP: '10.96.0.10' },
  ),
  service('demo', 'sticky', [{ port: 80 }], { sessionAffinity: 'ClientIP' }),
  service(
    'shop',
    'cart',
    [{ name: 'grpc-api', port: 9000 }],
    {},
    { 'kxds.io/load-balancer': 'least-request' },
  ),
  service('shop', 'v6', [{ port: 443, appProtocol: 'https' }], { clusterIPs: ['fd00::10'] }),
  endpointSlice(
    'demo',
    'greeter',
    'g1',
    [
      { name: 'grpc', port: 9000 },
      { name: 'http', port: 9080 },
    ],
    [
      { ip: '10.0.0.1', zone: 'a' },
      { ip: '10.0.0.2', zone: 'b' },
      { ip: '10.0.0.3', zone: 'b', ready: false, serving: true, terminating: true },
      { ip: '10.0.0.4', ready: false },
    ],
  ),
  endpointSlice('shop', 'v6', 'v1', [{ port: 8443 }], [{ ip: 'fd00::1' }, { ip: 'fd00::2' }], 'IPv6'),
];

test('proxyless and sidecar resources pass validation and round-trip', () => {
  const result = translate(modelFrom(objects), {
    requestedGroups: [
      sidecarGroup('demo', true),
      sidecarGroup('shop', false, ['demo']),
      sidecarGroup('elsewhere', false),
    ],
  });
  let checked = 0;
  for (const [group, set] of result.groups) {
    for (const kind of Object.keys(set) as ResourceKind[]) {
      for (const [name, value] of set[kind]) {
        assert.deepEqual(checkEnvoyResource(MESSAGE_NAME[kind], value), [], `${group} ${kind} ${name}`);
        checked++;
      }
    }
  }
  assert.ok(result.groups.has('sidecar/demo/transparent') && result.groups.has('sidecar/elsewhere'));
  assert.ok(checked > 40, `checked ${checked} resources`);
});
