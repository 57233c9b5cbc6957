// GAMMA routes reaching gRPC C-core 1.51 (Debian python3-grpcio): the same Services as the grpc-js test
// (test/helpers/mesh-services.ts): 80/20 weights over 500 calls within 5 points, SayHello with
// x-version: v2 routed to v2 and the rest to v1, a 300 ms HTTPRoute request timeout giving
// DEADLINE_EXCEEDED on a 3 s backend although the caller allowed 5 s, and nothing NACKed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CcoreClient } from '../helpers/ccore-client';
import { startMeshServices } from '../helpers/mesh-services';

test(
  'gRPC C-core 1.51: GAMMA weights, method and header routing, a route timeout',
  { timeout: 180000 },
  async (t) => {
    const cp = await startMeshServices(t);
    const acked = new Set<string>();
    const nacks: string[] = [];
    cp.streamEvents.add({
      onAck: (_node, kind) => acked.add(kind),
      onNack: (node, kind, nack) => nacks.push(`${node.id} ${kind}: ${nack.message}`),
    });
    const client = new CcoreClient(cp.address, 'ccore-mesh');
    t.after(() => client.stop());

    await client.open('split', 'xds:///split.demo:50051');
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const call = await client.call('split', 5);
      assert.ok(call.ok, `call ${i}: ${call.code ?? ''}`);
      counts.set(call.servedBy ?? '', (counts.get(call.servedBy ?? '') ?? 0) + 1);
    }
    const v1 = counts.get('127.0.0.2') ?? 0;
    assert.equal(v1 + (counts.get('127.0.0.3') ?? 0), 500, JSON.stringify([...counts]));
    assert.ok(Math.abs(v1 / 500 - 0.8) <= 0.05, `80/20 within 5 points: ${JSON.stringify([...counts])}`);

    await client.open('routed', 'xds:///routed.demo:50051');
    for (let i = 0; i < 10; i++) {
      {
        const c = await client.call('routed', 5);
        assert.equal(c.servedBy, '127.0.0.2', JSON.stringify(c));
      }
      assert.equal(
        (await client.call('routed', 5, { 'x-version': 'v2' })).servedBy,
        '127.0.0.3',
        'x-version v2',
      );
    }

    await client.open('slow', 'xds:///slow.demo:50051');
    const slow = await client.call('slow', 5);
    assert.equal(slow.code, 'DEADLINE_EXCEEDED', JSON.stringify(slow));

    assert.deepEqual(nacks, []);
    assert.deepEqual([...acked].sort(), ['cluster', 'endpoint', 'listener', 'route']);
  },
);
