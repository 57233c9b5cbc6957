// ListenerSet precedence and targeting: oldest first, then namespace/name; a parentRef names its Gateway
// (default namespace: the ListenerSet's own; only the Gateway kind of gateway.networking.k8s.io).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayApiObject } from '../../../src/model/gateway-api';
import { compareByAge, listenerSetTargets } from '../../../src/frontends/gateway/listener-sets';

const GW = 'gateway.networking.k8s.io/v1';
const set = (
  namespace: string,
  name: string,
  creationTimestamp?: string,
  parentRef: Record<string, unknown> = { name: 'web' },
) =>
  ({
    apiVersion: GW,
    kind: 'ListenerSet',
    metadata: { namespace, name, ...(creationTimestamp ? { creationTimestamp } : {}) },
    spec: { parentRef, listeners: [] },
  }) as GatewayApiObject<'ListenerSet'>;
const gateway = {
  apiVersion: GW,
  kind: 'Gateway',
  metadata: { namespace: 'infra', name: 'web' },
  spec: {},
} as GatewayApiObject<'Gateway'>;

test('ListenerSets are ordered oldest first, then by namespace/name', () => {
  const sets = [
    set('b', 'x', '2026-01-02T00:00:00Z'),
    set('a', 'z', '2026-01-01T00:00:00Z'),
    set('a', 'y', '2026-01-02T00:00:00Z'),
  ];
  assert.deepEqual(
    [...sets].sort(compareByAge).map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    ['a/z', 'a/y', 'b/x'],
  );
});

test('a ListenerSet targets a Gateway by name, in its own namespace unless it names another', () => {
  assert.equal(listenerSetTargets(set('infra', 'a'), gateway), true);
  assert.equal(listenerSetTargets(set('team', 'a'), gateway), false);
  assert.equal(
    listenerSetTargets(set('team', 'a', undefined, { name: 'web', namespace: 'infra' }), gateway),
    true,
  );
  assert.equal(
    listenerSetTargets(set('infra', 'a', undefined, { name: 'web', kind: 'Service' }), gateway),
    false,
  );
  assert.equal(
    listenerSetTargets(set('infra', 'a', undefined, { name: 'web', group: 'example.com' }), gateway),
    false,
  );
  assert.equal(listenerSetTargets(set('infra', 'a', undefined, { name: 'other' }), gateway), false);
});
