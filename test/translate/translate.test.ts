// translate(): the edge group sits next to the proxyless one, and the served Ingresses are listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore } from '../../src/model/store';
import { translate, GROUP_EDGE, GROUP_PROXYLESS } from '../../src/translate/translate';
import type { Ingress } from '../../src/model/k8s';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

function ingress(name: string, className: string): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'demo' },
    spec: {
      ingressClassName: className,
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'greeter', port: { number: 50051 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

test('edge and proxyless groups are both built; servedIngresses lists only ours', () => {
  const model = new ModelStore();
  model.upsert(service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]));
  model.upsert(
    endpointSlice('demo', 'greeter', 'g-1', [{ name: 'grpc', port: 50051 }], [{ ip: '10.0.0.1' }]),
  );
  model.upsert(ingress('mine', 'kxds'));
  model.upsert(ingress('theirs', 'nginx'));
  const result = translate(model);
  assert.deepEqual(result.servedIngresses, ['demo/mine']);
  const edge = result.groups.get(GROUP_EDGE);
  const proxyless = result.groups.get(GROUP_PROXYLESS);
  assert.deepEqual([...(edge?.cluster.keys() ?? [])], ['demo/greeter/50051']);
  assert.deepEqual([...(edge?.listener.keys() ?? [])], ['edge-http']);
  assert.ok(proxyless?.listener.has('greeter.demo:50051'), 'proxyless listeners are still there');
  assert.deepEqual(result.statuses, []);
});

test('a Service annotation problem found by both groups is reported once', () => {
  const model = new ModelStore();
  model.upsert(
    service('demo', 'greeter', [{ name: 'grpc', port: 50051 }], {}, { 'kxds.io/upstream-protocol': 'spdy' }),
  );
  model.upsert(ingress('mine', 'kxds'));
  const result = translate(model);
  const conditions = result.statuses.flatMap((s) => s.conditions);
  assert.equal(conditions.filter((c) => c.message.includes('kxds.io/upstream-protocol')).length, 1);
});
