import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNode } from '../../src/server/node';
import { groupForNode } from '../../src/server/groups';

test('role comes from metadata kxds.io/role', () => {
  const info = describeNode(
    { id: 'x', user_agent_name: 'gRPC Go', metadata: { 'kxds.io/role': 'edge' } },
    groupForNode,
  );
  assert.equal(info.role, 'edge');
  assert.equal(info.roleSource, 'metadata');
  assert.deepEqual(info.group, { kind: 'edge' });
  assert.equal(info.groupKey, 'edge');
});

test('without metadata a gRPC library is proxyless and anything else an edge Envoy', () => {
  assert.equal(describeNode({ id: 'a', user_agent_name: 'gRPC Node' }, groupForNode).role, 'proxyless');
  assert.equal(describeNode({ id: 'b', user_agent_name: 'envoy' }, groupForNode).role, 'edge');
  assert.equal(describeNode(undefined, groupForNode).role, 'edge');
  assert.equal(
    describeNode(
      { id: 'c', metadata: { 'kxds.io/role': 'bogus' }, user_agent_name: 'gRPC Java' },
      groupForNode,
    ).role,
    'proxyless',
  );
});

test('sidecars are grouped by namespace, capture mode and egress list, never per node', () => {
  const a = describeNode({ id: 'pod-a.shop', metadata: { 'kxds.io/role': 'sidecar' } }, groupForNode);
  const b = describeNode({ id: 'pod-b.shop', metadata: { 'kxds.io/role': 'sidecar' } }, groupForNode);
  assert.deepEqual(a.group, { kind: 'sidecar', namespace: 'shop', transparent: false });
  assert.equal(a.groupKey, 'sidecar/shop');
  assert.equal(a.groupKey, b.groupKey);
  const t = describeNode(
    {
      id: 'p',
      metadata: {
        'kxds.io/role': 'sidecar',
        'kxds.io/namespace': 'shop',
        'kxds.io/capture': 'iptables',
        'kxds.io/egress-namespaces': 'b, a',
      },
    },
    groupForNode,
  );
  assert.deepEqual(t.group, { kind: 'sidecar', namespace: 'shop', transparent: true, egress: ['a', 'b'] });
  assert.equal(t.groupKey, 'sidecar/shop/transparent?egress=a,b');
});

test('an edge announcing kxds.io/gateway is served its Gateway; a bad value is kept for the refusal', () => {
  const gw = describeNode(
    { id: 'e', metadata: { 'kxds.io/role': 'edge', 'kxds.io/gateway': 'infra/web' } },
    groupForNode,
  );
  assert.deepEqual(gw.gateway, { namespace: 'infra', name: 'web' });
  assert.deepEqual(gw.group, { kind: 'gateway', namespace: 'infra', name: 'web' });
  assert.equal(gw.groupKey, 'gateway/infra/web');
  // Without a role an Envoy is an edge too, so the metadata alone picks the Gateway.
  assert.equal(
    describeNode({ id: 'e', metadata: { 'kxds.io/gateway': 'infra/web' } }, groupForNode).groupKey,
    'gateway/infra/web',
  );
  const bad = describeNode({ id: 'e', metadata: { 'kxds.io/gateway': 'web' } }, groupForNode);
  assert.equal(bad.badGatewayRef, 'web');
  assert.equal(bad.groupKey, 'edge');
  // Only edges serve Gateways: a sidecar's kxds.io/gateway means nothing.
  const sidecar = describeNode(
    { id: 'p.shop', metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/gateway': 'infra/web' } },
    groupForNode,
  );
  assert.equal(sidecar.groupKey, 'sidecar/shop');
  assert.equal(describeNode({ id: 'e' }, groupForNode).groupKey, 'edge');
});
