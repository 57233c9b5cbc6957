// A proxyless client's declared namespace (kxds.io/namespace) splits its group only while that namespace
// has consumer mesh routes; sidecars and edges are not affected; the plaintext proxyless port serves every
// node as proxyless; update() says when the namespaces changed (the streams must then be regrouped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallerGroups } from '../../src/server/caller-groups';
import { describeNode } from '../../src/server/node';
import { nodeGroupKey } from '../../src/xds/node-group';

const GRPC_JS = { user_agent_name: 'gRPC Node Pure JS', user_agent_version: '1.14.1' };

test('a proxyless node gets its namespace group only while the namespace has consumer routes', () => {
  const groups = new CallerGroups();
  const node = { id: 'p', ...GRPC_JS, metadata: { 'kxds.io/namespace': 'web' } };
  assert.equal(describeNode(node, groups.groupOf).groupKey, 'proxyless/grpc-js');
  assert.equal(describeNode(node, groups.groupOf).namespace, 'web');

  assert.equal(groups.update(['web']), true);
  assert.equal(groups.update(['web']), false, 'unchanged');
  assert.equal(describeNode(node, groups.groupOf).groupKey, 'proxyless/grpc-js?namespace=web');
  const other = { ...node, metadata: { 'kxds.io/namespace': 'shop' } };
  assert.equal(describeNode(other, groups.groupOf).groupKey, 'proxyless/grpc-js');
  assert.equal(describeNode({ id: 'q', ...GRPC_JS }, groups.groupOf).groupKey, 'proxyless/grpc-js');
  // The namespace keys sidecars read (NAMESPACE, namespace) do not place a proxyless client.
  const legacy = { ...node, metadata: { NAMESPACE: 'web' } };
  assert.equal(describeNode(legacy, groups.groupOf).groupKey, 'proxyless/grpc-js');

  const sidecar = { id: 'pod.web', metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': 'web' } };
  assert.equal(describeNode(sidecar, groups.groupOf).groupKey, 'sidecar/web');
  assert.equal(
    nodeGroupKey(groups.proxylessGroupOf(describeNode(sidecar, groups.groupOf))),
    'proxyless?namespace=web',
    'the proxyless port serves a node claiming to be a sidecar as proxyless, in its namespace',
  );

  assert.equal(groups.update([]), true);
  assert.equal(describeNode(node, groups.groupOf).groupKey, 'proxyless/grpc-js');
});
