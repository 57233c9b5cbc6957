// The stream registry: streams indexed by their NodeInfo and group, counted per role, with open/close
// listeners (a throwing one isolated), and nothing left of a stream once it closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamRegistry } from '../../src/server/stream-registry';
import type { NodeInfo, NodeRole } from '../../src/server/node';
import type { XdsStreamLike } from '../../src/server/client-status';
import { nodeGroupKey, parseNodeGroupKey } from '../../src/xds/node-group';

function stream(id: string, role: NodeRole, groupKey: string): XdsStreamLike & { info: NodeInfo } {
  const group = parseNodeGroupKey(groupKey);
  if (!group || nodeGroupKey(group) !== groupKey) throw new Error(`not a group key: ${groupKey}`);
  const info: NodeInfo = {
    id,
    role,
    group,
    groupKey,
    userAgent: '',
    roleSource: 'metadata',
    grpcDialect: 'grpc',
  };
  return { info, openedAt: new Date(), lastSeen: new Date(), status: () => [] };
}

test('streams are found by NodeInfo and group, counted per role, and forgotten when closed', () => {
  const registry = new StreamRegistry(() => undefined);
  const events: string[] = [];
  registry.subscribe({
    onStreamOpened: () => {
      throw new Error('a broken observer');
    },
  });
  registry.subscribe({
    onStreamOpened: (info) => events.push(`open ${info.id}`),
    onStreamClosed: (info) => events.push(`close ${info.id}`),
  });
  const edge = stream('e1', 'edge', 'edge');
  const px1 = stream('p1', 'proxyless', 'proxyless');
  const px2 = stream('p2', 'proxyless', 'proxyless');
  for (const s of [edge, px1, px2]) registry.opened(s, 'sotw');
  registry.opened(px1, 'sotw'); // a second registration of the same stream is ignored
  registry.opened({ ...px2, info: undefined }, 'delta'); // no node yet: nothing to index

  assert.deepEqual(Object.fromEntries(registry.countsByRole()), { edge: 1, sidecar: 0, proxyless: 2 });
  assert.deepEqual([...registry.members('proxyless')], [px1.info, px2.info]);
  assert.equal(registry.clientOf(edge.info)?.info.id, 'e1');

  registry.closed(px1);
  registry.closed(px1);
  registry.closed(edge);
  assert.deepEqual(Object.fromEntries(registry.countsByRole()), { edge: 0, sidecar: 0, proxyless: 1 });
  assert.deepEqual([...registry.members('proxyless')], [px2.info]);
  assert.equal(registry.members('edge').size, 0);
  assert.equal(registry.clientOf(px1.info), undefined);
  assert.deepEqual(events, ['open e1', 'open p1', 'open p2', 'close p1', 'close e1']);
});
