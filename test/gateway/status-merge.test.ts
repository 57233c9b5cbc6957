// Merging a computed Gateway API status into the one an object has: lastTransitionTime kept while a
// condition's status holds, other controllers' route parents and policy ancestors kept, ours replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeGatewayStatus, statusEqual } from '../../src/frontends/gateway/status-merge';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const cond = (type: string, status: string, reason = type, observedGeneration = 1) => ({
  type,
  status,
  reason,
  message: `${type} ${status}`,
  observedGeneration,
});

test('a condition keeps its lastTransitionTime while its status holds; a new or flipped one gets now', () => {
  const previous = {
    conditions: [
      { ...cond('Accepted', 'True'), lastTransitionTime: T0 },
      { ...cond('Programmed', 'True'), lastTransitionTime: T0 },
    ],
    listeners: [
      {
        name: 'http',
        attachedRoutes: 1,
        conditions: [{ ...cond('Accepted', 'True'), lastTransitionTime: T0 }],
      },
    ],
  };
  const computed = {
    conditions: [
      cond('Accepted', 'True', 'Accepted', 2),
      cond('Programmed', 'False', 'Invalid', 2),
      cond('Ready', 'True'),
    ],
    listeners: [
      { name: 'https', attachedRoutes: 0, conditions: [cond('Accepted', 'True')] },
      { name: 'http', attachedRoutes: 2, conditions: [cond('Accepted', 'True')] },
    ],
  };
  const merged = mergeGatewayStatus(previous, computed, T1) as typeof previous;
  assert.deepEqual(
    merged.conditions.map((c) => [c.type, c.observedGeneration, c.lastTransitionTime]),
    [
      ['Accepted', 2, T0],
      ['Programmed', 2, T1],
      ['Ready', 1, T1],
    ],
  );
  // Listeners are matched by name, not position.
  assert.equal(merged.listeners[0]?.conditions[0]?.lastTransitionTime, T1);
  assert.equal(merged.listeners[1]?.conditions[0]?.lastTransitionTime, T0);
  assert.equal(merged.listeners[1]?.attachedRoutes, 2);
});

test("route parents: other controllers' entries are kept, ours replaced, ours no longer computed dropped", () => {
  const theirs = {
    parentRef: { name: 'other-gw' },
    controllerName: 'example.com/other',
    conditions: [{ ...cond('Accepted', 'True'), lastTransitionTime: T0 }],
  };
  const previous = {
    parents: [
      theirs,
      {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web', namespace: 'infra' },
        controllerName: 'kxds.io/gateway-controller',
        conditions: [{ ...cond('Accepted', 'True'), lastTransitionTime: T0 }],
      },
      {
        parentRef: { name: 'old', namespace: 'infra' },
        controllerName: 'kxds.io/gateway-controller',
        conditions: [{ ...cond('Accepted', 'True'), lastTransitionTime: T0 }],
      },
    ],
  };
  // The computed reference omits the defaults the API server stored: still the same parent.
  const computed = {
    parents: [
      {
        parentRef: { name: 'web', namespace: 'infra' },
        controllerName: 'kxds.io/gateway-controller',
        conditions: [cond('Accepted', 'True'), cond('ResolvedRefs', 'False', 'BackendNotFound')],
      },
    ],
  };
  const merged = mergeGatewayStatus(previous, computed, T1) as typeof previous;
  assert.equal(merged.parents.length, 2);
  assert.deepEqual(merged.parents[0], theirs);
  assert.deepEqual(
    merged.parents[1]?.conditions.map((c) => c.lastTransitionTime),
    [T0, T1],
  );
});

test('policy ancestors are shared the same way', () => {
  const previous = {
    ancestors: [{ ancestorRef: { name: 'g' }, controllerName: 'x.io/y', conditions: [] }],
  };
  const computed = {
    ancestors: [
      {
        ancestorRef: { name: 'g' },
        controllerName: 'kxds.io/gateway-controller',
        conditions: [cond('Accepted', 'True')],
      },
    ],
  };
  const merged = mergeGatewayStatus(previous, computed, T1) as { ancestors: { controllerName: string }[] };
  assert.deepEqual(
    merged.ancestors.map((a) => a.controllerName),
    ['x.io/y', 'kxds.io/gateway-controller'],
  );
});

test('statusEqual ignores key order, and a merge of an unchanged status equals what is stored', () => {
  assert.ok(statusEqual({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  assert.ok(!statusEqual({ a: [1, 2] }, { a: [2, 1] }));
  const stored = { conditions: [{ ...cond('Accepted', 'True'), lastTransitionTime: T0 }] };
  assert.ok(statusEqual(mergeGatewayStatus(stored, { conditions: [cond('Accepted', 'True')] }, T1), stored));
  assert.ok(
    !statusEqual(
      mergeGatewayStatus(stored, { conditions: [cond('Accepted', 'True', 'Accepted', 2)] }, T1),
      stored,
    ),
  );
});
