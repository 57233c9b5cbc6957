// edgeClusterForServicePort: protocol precedence, ExternalName gating, hashing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeClusterForServicePort } from '../../src/translate/clusters';
import type { Statuses } from '../../src/translate/findings';
import type { Service } from '../../src/model/k8s';
import { service } from '../helpers/k8s-fixtures';

const options = { allowExternalName: false };

function only(svc: Service, extra: Partial<Parameters<typeof edgeClusterForServicePort>[3]> = {}) {
  const warnings: Statuses = [];
  const port = svc.spec.ports?.[0];
  assert.ok(port);
  const result = edgeClusterForServicePort(svc, port, warnings, { ...options, ...extra });
  return { result, warnings };
}

test('the Service annotation beats an Ingress backend-protocol, which beats appProtocol and port names', () => {
  const annotated = service(
    'demo',
    'a',
    [{ name: 'grpc', port: 80 }],
    {},
    { 'kxds.io/upstream-protocol': 'http' },
  );
  const fromService = only(annotated, { protocolHint: 'tls-http2' }).result;
  assert.ok(fromService.ok && fromService.cluster.protocol === 'http1');
  const plain = service('demo', 'b', [{ name: 'http', port: 80, appProtocol: 'http' }]);
  const fromIngress = only(plain, { protocolHint: 'tls-http2' }).result;
  assert.ok(fromIngress.ok && fromIngress.cluster.protocol === 'tls-http2');
  const byName = only(service('demo', 'c', [{ name: 'grpc-web', port: 80 }])).result;
  assert.ok(byName.ok && byName.cluster.protocol === 'http2');
});

test('ExternalName needs the flag; localhost is refused even with it', () => {
  const ext = (name: string) =>
    service('demo', 'x', [{ port: 443 }], { type: 'ExternalName', externalName: name });
  const refused = only(ext('api.example.com')).result;
  assert.equal(refused.ok, false);
  const allowed = only(ext('api.example.com'), { allowExternalName: true }).result;
  assert.ok(allowed.ok);
  assert.deepEqual(allowed.cluster.discovery, { kind: 'dns', host: 'api.example.com', port: 443 });
  for (const name of ['localhost', 'db.localhost', '127.0.0.1', 'not a name']) {
    assert.equal(only(ext(name), { allowExternalName: true }).result.ok, false, name);
  }
});

test('hashing picks ring-hash unless the Service chose a balancer; ClientIP hashes on the source address', () => {
  const affinity = only(service('demo', 'a', [{ port: 80 }], { sessionAffinity: 'ClientIP' })).result;
  assert.ok(affinity.ok);
  assert.equal(affinity.cluster.lbPolicy, 'ring-hash');
  assert.deepEqual(affinity.cluster.hashOn, [{ kind: 'source-ip' }]);
  const maglev = only(
    service(
      'demo',
      'b',
      [{ port: 80 }],
      {},
      { 'kxds.io/hash-on': 'header:x-user', 'kxds.io/load-balancer': 'maglev' },
    ),
  ).result;
  assert.ok(maglev.ok);
  assert.equal(maglev.cluster.lbPolicy, 'maglev');
  assert.deepEqual(maglev.cluster.hashOn, [{ kind: 'header', name: 'x-user' }]);
});
