// report(): a finding is a typed condition on the object's API reference; the reason decides the condition
// type and status, and observedGeneration is the object's metadata.generation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { report, type Statuses } from '../../src/translate/findings';
import { translate } from '../../src/translate/translate';
import { ModelStore } from '../../src/model/store';
import type { Ingress } from '../../src/model/k8s';
import { service } from '../helpers/k8s-fixtures';

test('the reference carries the API group, core objects have group ""', () => {
  const into: Statuses = [];
  const svc = service('demo', 'web', [{ port: 80 }]);
  report(into, svc, 'InvalidAnnotation', 'bad');
  report(
    into,
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kxds' } },
    'UnsupportedValue',
    'odd',
  );
  assert.deepEqual(
    into.map((s) => s.ref),
    [
      { group: '', kind: 'Service', namespace: 'demo', name: 'web' },
      { group: 'networking.k8s.io', kind: 'IngressClass', name: 'kxds' },
    ],
  );
});

test('each reason belongs to one condition type with the status that means "a problem"', () => {
  const into: Statuses = [];
  const svc = service('demo', 'web', [{ port: 80 }]);
  report(into, svc, 'BackendNotFound', 'm');
  report(into, svc, 'RouteConflict', 'm');
  report(into, svc, 'InvalidAnnotation', 'm');
  report(into, svc, 'UnsupportedAddressType', 'm');
  assert.deepEqual(
    into.map((s) => [s.conditions[0]?.type, s.conditions[0]?.status, s.conditions[0]?.reason]),
    [
      ['ResolvedRefs', 'False', 'BackendNotFound'],
      ['Conflicted', 'True', 'RouteConflict'],
      ['PartiallyInvalid', 'True', 'InvalidAnnotation'],
      ['Accepted', 'False', 'UnsupportedAddressType'],
    ],
  );
});

test('translate() reports observedGeneration from metadata.generation', () => {
  const model = new ModelStore();
  const ingress: Ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'demo', generation: 7 },
    spec: {
      ingressClassName: 'kxds',
      rules: [
        {
          host: 'a.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'missing', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
  model.upsert(ingress);
  const [status] = translate(model).statuses;
  assert.equal(status?.observedGeneration, 7);
  assert.deepEqual(status?.ref, {
    group: 'networking.k8s.io',
    kind: 'Ingress',
    namespace: 'demo',
    name: 'web',
  });
  assert.equal(status?.conditions[0]?.reason, 'BackendNotFound');
  assert.match(
    status?.conditions[0]?.message ?? '',
    /Service demo\/missing not found; the route answers 503/,
  );
});
