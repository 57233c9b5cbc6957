// Dialect detection from the node's user agent, and the group key it leads to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grpcDialect } from '../../src/xds/client-dialect';
import { nodeGroupKey, parseNodeGroupKey, proxylessGroup } from '../../src/xds/node-group';
import { describeNode } from '../../src/server/node';
import { groupForNode } from '../../src/server/groups';

test('grpc-js-xds and C-core are recognised by implementation and version; others are conservative', () => {
  // What the real clients here send (grpc-js-xds 1.14.1; Debian python3-grpcio 1.51.1).
  assert.equal(grpcDialect('gRPC Node Pure JS', '1.14.1'), 'grpc-js');
  assert.equal(grpcDialect('gRPC Node Pure JS', '2.0.0'), 'grpc-js');
  assert.equal(grpcDialect('gRPC Node Pure JS', '1.13.4'), 'grpc');
  assert.equal(grpcDialect('gRPC C-core linux Python', 'C-core 29.0.0 Python 1.51.1'), 'grpc-core');
  assert.equal(grpcDialect('gRPC C-core linux Python', 'C-core 28.0.0 Python 1.50.0'), 'grpc');
  assert.equal(grpcDialect('gRPC Go', '1.70.0'), 'grpc');
  assert.equal(grpcDialect(undefined, undefined), 'grpc');
});

test('the dialect is part of the proxyless node group, its key parsed back in one place', () => {
  for (const dialect of ['grpc', 'grpc-js', 'grpc-core'] as const) {
    const group = proxylessGroup(dialect);
    assert.deepEqual(parseNodeGroupKey(nodeGroupKey(group)), group);
  }
  assert.equal(nodeGroupKey(proxylessGroup('grpc')), 'proxyless');
  assert.equal(nodeGroupKey(proxylessGroup('grpc-js')), 'proxyless/grpc-js');
  assert.equal(parseNodeGroupKey('proxyless/envoy'), undefined);
  assert.equal(parseNodeGroupKey('proxyless/bogus'), undefined);
  const node = describeNode(
    { id: 'p', user_agent_name: 'gRPC Node Pure JS', user_agent_version: '1.14.1' },
    groupForNode,
  );
  assert.equal(node.groupKey, 'proxyless/grpc-js');
  // A node forced onto the proxyless port keeps its own dialect.
  assert.deepEqual(groupForNode({ ...node, role: 'proxyless' }), proxylessGroup('grpc-js'));
});
