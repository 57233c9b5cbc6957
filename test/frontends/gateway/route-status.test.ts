// Route status per parent with the rules' own verdicts (fake rules): a route its rules refuse is not
// Accepted and not counted in attachedRoutes; unresolved references are reported even when nothing attached;
// findings name the object and, for listeners, the listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrom } from '../../../src/model/store';
import type { WatchedObject } from '../../../src/model/k8s';
import type { Statuses } from '../../../src/translate/findings';
import type { ApiCondition, GatewayApiStatus } from '../../../src/frontends/gateway/contract';
import { OPTIONS, translateWithFakeRules } from './fake-rules';
import { gateway, httpRoute, kxdsClass } from './objects';

const objects = (routes: string[], sectionName?: string): WatchedObject[] => [
  kxdsClass(),
  gateway([{ name: 'http', port: 80, protocol: 'HTTP' }], 2),
  ...routes.map((name) =>
    httpRoute(name, { parentRefs: [{ name: 'web', ...(sectionName ? { sectionName } : {}) }] }, 5),
  ),
];

function find(statuses: GatewayApiStatus[], kind: string, name: string): Record<string, unknown> {
  const found = statuses.find((s) => s.kind === kind && s.name === name);
  assert.ok(found, `${kind} ${name} has a status`);
  return found.status;
}
const parentConditions = (status: Record<string, unknown>) =>
  ((status.parents as { conditions: ApiCondition[] }[])[0]?.conditions ?? []).map((c) => [
    c.type,
    c.status,
    c.reason,
  ]);

test('routes the rules refuse are not Accepted and not counted; unresolved ones are both', () => {
  const warnings: Statuses = [];
  const { statuses, gateways } = translateWithFakeRules(
    modelFrom(objects(['ok', 'rejected-one', 'broken-one'])),
    OPTIONS,
    warnings,
  );
  assert.deepEqual(parentConditions(find(statuses, 'HTTPRoute', 'ok')), [
    ['Accepted', 'True', 'Accepted'],
    ['ResolvedRefs', 'True', 'ResolvedRefs'],
  ]);
  assert.deepEqual(parentConditions(find(statuses, 'HTTPRoute', 'rejected-one')), [
    ['Accepted', 'False', 'UnsupportedValue'],
    ['ResolvedRefs', 'True', 'ResolvedRefs'],
  ]);
  assert.deepEqual(parentConditions(find(statuses, 'HTTPRoute', 'broken-one')), [
    ['Accepted', 'True', 'Accepted'],
    ['ResolvedRefs', 'False', 'BackendNotFound'],
  ]);
  const listeners = find(statuses, 'Gateway', 'web').listeners as { attachedRoutes: number }[];
  assert.equal(listeners[0]?.attachedRoutes, 2);
  const sources = gateways[0]?.ir.listeners
    .flatMap((l) => (l.kind === 'http' ? (l.routes?.virtualHosts ?? []) : []))
    .flatMap((v) => v.routes.map((r) => r.source));
  assert.deepEqual(sources, ['HTTPRoute infra/broken-one', 'HTTPRoute infra/ok']);
  // Findings: one per problem, about the route, with its generation.
  const routeFindings = warnings
    .filter((w) => w.ref.kind === 'HTTPRoute')
    .map((w) => [w.ref.name, w.observedGeneration, w.conditions[0]?.reason]);
  assert.deepEqual(routeFindings, [
    ['broken-one', 5, 'BackendNotFound'],
    ['rejected-one', 5, 'UnsupportedValue'],
  ]);
});

test('a route that attaches nowhere still has its references checked', () => {
  const { statuses } = translateWithFakeRules(modelFrom(objects(['broken-two'], 'nope')), OPTIONS, []);
  assert.deepEqual(parentConditions(find(statuses, 'HTTPRoute', 'broken-two')), [
    ['Accepted', 'False', 'NoMatchingParent'],
    ['ResolvedRefs', 'False', 'BackendNotFound'],
  ]);
});

test('PartiallyInvalid only on a route that is accepted', () => {
  const accepted = translateWithFakeRules(modelFrom(objects(['partial-ok'])), OPTIONS, []);
  assert.deepEqual(parentConditions(find(accepted.statuses, 'HTTPRoute', 'partial-ok')), [
    ['Accepted', 'True', 'Accepted'],
    ['ResolvedRefs', 'True', 'ResolvedRefs'],
    ['PartiallyInvalid', 'True', 'UnsupportedValue'],
  ]);
  const detached = translateWithFakeRules(modelFrom(objects(['partial-nowhere'], 'nope')), OPTIONS, []);
  assert.deepEqual(parentConditions(find(detached.statuses, 'HTTPRoute', 'partial-nowhere')), [
    ['Accepted', 'False', 'NoMatchingParent'],
    ['ResolvedRefs', 'True', 'ResolvedRefs'],
  ]);
});

test('listener findings are about the Gateway and name the listener', () => {
  const model = modelFrom([
    kxdsClass(),
    gateway([
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'raw', port: 9000, protocol: 'example.com/raw' },
    ]),
  ]);
  const warnings: Statuses = [];
  translateWithFakeRules(model, OPTIONS, warnings);
  const messages = warnings
    .filter((w) => w.ref.kind === 'Gateway')
    .map((w) => `${w.conditions[0]?.type} ${w.conditions[0]?.reason}: ${w.conditions[0]?.message}`);
  assert.ok(
    messages.some((m) => m.startsWith('Accepted UnsupportedProtocol: listener raw:')),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => m.startsWith('Accepted ListenersNotValid')),
    messages.join('\n'),
  );
});
