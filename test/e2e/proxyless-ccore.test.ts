// The second real proxyless client, gRPC C-core 1.51 (Debian python3-grpcio): kxds detects it from the
// node's user agent and serves it its own dialect. Ring hash (which crashes this C-core) is never sent, so
// ClientIP affinity is reported as held back, not silently broken; outlier detection still ejects a
// failing backend; and the client ACKs everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCcoreGreeter } from '../helpers/ccore-client';
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

    // The process would die with SIGSEGV on a RING_HASH cluster; it runs to the end and balances instead.
    const [sticky] = await runCcoreGreeter(cp.address, 'xds:///sticky.demo:50051', 30, 1, 'ccore-sticky');
    assert.ok(sticky);
    assert.deepEqual(sticky.errors, {});
    assert.equal(Object.keys(sticky.served_by).length, 3, `round robin: ${JSON.stringify(sticky.served_by)}`);

    // Long enough for several 1 s ejection intervals; by the end the broken pod gets no calls.
    const [flaky] = await runCcoreGreeter(cp.address, 'xds:///flaky.demo:50051', 3000, 1, 'ccore-flaky');
    assert.ok(flaky);
    assert.ok((flaky.errors.UNAVAILABLE ?? 0) > 0, 'the broken pod was called before it was ejected');
    assert.deepEqual(Object.keys(flaky.last).sort(), ['127.0.0.2', '127.0.0.3'], JSON.stringify(flaky));

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
