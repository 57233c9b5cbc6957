// The back-end's entry point with L4 listeners: a group holding tcp and udp listeners beside an http one
// gets all of them (it threw for tcp and udp before), each memoized like the http ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupResources } from '../../src/envoy/group';
import type { GroupIr } from '../../src/ir/group';
import { TranslationMemos } from '../../src/translate/translation-memos';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME } from '../../src/xds/types';

const ir: GroupIr = {
  listeners: [
    { kind: 'http', name: 'edge-http', address: '0.0.0.0', port: 8080, routes: { name: 'edge-http', virtualHosts: [] } },
    {
      kind: 'tcp',
      name: 'edge-tcp-6379',
      address: '0.0.0.0',
      port: 6379,
      routes: [{ name: 'cache/redis', backends: [{ cluster: 'cache/redis/6379', weight: 1 }] }],
    },
    {
      kind: 'udp',
      name: 'edge-udp-53',
      address: '0.0.0.0',
      port: 53,
      backends: [{ cluster: 'kube-system/dns/53', weight: 1 }],
    },
  ],
  clusters: [],
  endpoints: [],
  secrets: [],
};

test('a group with http, tcp and udp listeners builds every one, each passing the proto rules', () => {
  const memos = new TranslationMemos().groupMemos();
  const out = groupResources(ir, memos);
  assert.deepEqual([...out.listener.keys()], ['edge-http', 'edge-tcp-6379', 'edge-udp-53']);
  for (const [name, listener] of out.listener)
    assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.listener, listener), [], name);
  const again = groupResources(structuredClone(ir), memos);
  assert.equal(again.listener.get('edge-tcp-6379'), out.listener.get('edge-tcp-6379'), 'unchanged tcp: same object');
  assert.equal(again.listener.get('edge-udp-53'), out.listener.get('edge-udp-53'), 'unchanged udp: same object');
});
