// Typed statuses: findings pushed one per problem merge into one status per object, each finding once, in
// the order found; references print the way kubectl names objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, formatObjectRef, mergeStatuses, type ObjectStatus } from '../../src/ir/status';

const web = { group: 'networking.k8s.io', kind: 'Ingress', namespace: 'demo', name: 'web' };
const svc = { group: '', kind: 'Service', namespace: 'demo', name: 'web' };

function one(ref: ObjectStatus['ref'], reason: string, message: string): ObjectStatus {
  return {
    ref,
    observedGeneration: 2,
    conditions: [{ type: 'ResolvedRefs', status: 'False', reason, message }],
  };
}

test('mergeStatuses gives one status per object and drops repeated findings', () => {
  const merged = mergeStatuses([
    one(web, 'BackendNotFound', 'path /a: Service demo/x not found'),
    one(svc, 'InvalidAnnotation', 'bad value'),
    one(web, 'BackendNotFound', 'path /a: Service demo/x not found'), // found again by another group
    one(web, 'BackendNotFound', 'path /b: Service demo/y not found'),
  ]);
  assert.deepEqual(
    merged.map((s) => [formatObjectRef(s.ref), s.observedGeneration, s.conditions.map((c) => c.message)]),
    [
      ['Ingress demo/web', 2, ['path /a: Service demo/x not found', 'path /b: Service demo/y not found']],
      ['Service demo/web', 2, ['bad value']],
    ],
  );
});

test('a Service and an Ingress of the same name are different objects', () => {
  assert.equal(mergeStatuses([one(web, 'R', 'm'), one(svc, 'R', 'm')]).length, 2);
});

test('findingsOf lists one row per condition with its object', () => {
  const rows = findingsOf(mergeStatuses([one(web, 'A', 'a'), one(web, 'B', 'b')]));
  assert.deepEqual(
    rows.map((r) => [formatObjectRef(r.ref), r.observedGeneration, r.condition.reason]),
    [
      ['Ingress demo/web', 2, 'A'],
      ['Ingress demo/web', 2, 'B'],
    ],
  );
});

test('formatObjectRef names cluster-scoped objects without a namespace', () => {
  assert.equal(
    formatObjectRef({ group: 'networking.k8s.io', kind: 'IngressClass', name: 'kxds' }),
    'IngressClass kxds',
  );
});
