// The second real proxyless client, gRPC C-core 1.51 (Debian python3-grpcio): kxds detects it from the
// node's user agent and serves it its own dialect. Ring hash (which crashes this C-core) is never sent, so
// ClientIP affinity is reported as held back, not silently broken; outlier detection still ejects a
// failing backend; and the client ACKs everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CcoreClient } from '../helpers/ccore-client';
import { startPolicyServices } from '../helpers/policy-services';

test(
  'gRPC C-core 1.51: no ring hash (affinity held back and reported), outlier ejection, everything ACKed',
  { timeout: 120000 },
  async (t) => {
    const cp = await startPolicyServices(t);
    const acked = new Set<string>();
    const nacks: string[] = [];
    let group = '';
    cp.streamEvents.add({
      onAck: (node, kind) => {
        acked.add(kind);
        group = node.groupKey;
      },
      onNack: (node, kind, nack) => nacks.push(`${node.id} ${kind}: ${nack.message}`),
    });

    const client = new CcoreClient(cp.address, 'ccore-policies');
    t.after(() => client.stop());

    // The process would die with SIGSEGV on a RING_HASH cluster; it keeps answering and balances instead.
    await client.open('sticky', 'xds:///sticky.demo:50051');
    const sticky = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const call = await client.call('sticky', 5);
      assert.ok(call.ok, `call ${i}: ${call.code ?? ''}`);
      sticky.set(call.servedBy ?? '', (sticky.get(call.servedBy ?? '') ?? 0) + 1);
    }
    assert.equal(sticky.size, 3, `round robin: ${JSON.stringify([...sticky])}`);

    // Within several 1 s ejection intervals the broken pod is ejected: 30 calls in a row succeed.
    await client.open('flaky', 'xds:///flaky.demo:50051');
    let failures = 0;
    let streak: string[] = [];
    const deadline = Date.now() + 20_000;
    while (streak.length < 30 && Date.now() < deadline) {
      const call = await client.call('flaky', 5);
      if (call.ok) streak.push(call.servedBy ?? '');
      else {
        failures++;
        streak = [];
      }
    }
    assert.ok(failures > 0, 'the broken pod was called before it was ejected');
    assert.equal(streak.length, 30, `no run of 30 successes within 20 s (${failures} failures)`);
    assert.deepEqual([...new Set(streak)].sort(), ['127.0.0.2', '127.0.0.3']);

    assert.equal(group, 'proxyless/grpc-core', 'detected from user_agent_name / user_agent_version');
    assert.deepEqual(nacks, []);
    assert.deepEqual([...acked].sort(), ['cluster', 'endpoint', 'listener', 'route']);
    const status = cp.pipeline.statuses.find((s) => s.ref.kind === 'Service' && s.ref.name === 'sticky');
    assert.equal(status?.conditions[0]?.reason, 'UnsupportedByClient');
    assert.match(status?.conditions[0]?.message ?? '', /session affinity .* does not hold for gRPC C-core/);
    assert.deepEqual(
      cp.pipeline.heldBackFor('proxyless/grpc-core').map((h) => [h.cluster, h.policy]),
      [
        ['demo/sticky/50051', 'hash-on channel-id'],
        ['demo/sticky/50051', 'lb-policy ring-hash'],
      ],
    );
  },
);
