// Service-level policies reaching the real grpc-js-xds client through its dialect: ClientIP affinity holds
// (ring hash on the gRPC channel id, gRFC A42), outlier detection ejects a backend that fails every call
// (failure percentage, gRFC A50), what the client can't take is held back and shown in /debug/nodes, and
// the client ACKs everything it is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstReply, spread, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { startPolicyServices } from '../helpers/policy-services';
import type { NodeSummary } from '../../src/admin/node-summary';

test(
  'grpc-js-xds: ClientIP affinity holds per channel, outlier detection ejects a failing backend',
  { timeout: 90000 },
  async (t) => {
    unrefLongTimers();
    // The gRPC health check is Envoy-only: held back for gRPC clients, and shown as such.
    const cp = await startPolicyServices(t, { 'kxds.io/health-check': 'grpc' });
    useControlPlane(cp.address, 'grpc-js-policies');

    // Affinity: every call of one channel reaches one backend (round robin would spread them over three).
    for (let channel = 0; channel < 4; channel++) {
      const client = greeterClient('xds:///sticky.demo:50051');
      await firstReply(client);
      const counts = await spread(client, 30);
      client.close();
      assert.equal(counts.size, 1, `channel ${channel}: ${JSON.stringify([...counts])}`);
    }

    // Outlier detection: within a few intervals a round of calls sees no failure and never the broken pod.
    const client = greeterClient('xds:///flaky.demo:50051');
    await firstReply(client);
    const deadline = Date.now() + 20_000;
    let round: { ok: Map<string, number>; failed: number } = { ok: new Map(), failed: -1 };
    while (Date.now() < deadline) {
      round = { ok: new Map(), failed: 0 };
      for (let i = 0; i < 30; i++) {
        try {
          const reply = await sayHello(client, `call-${i}`);
          round.ok.set(reply.served_by, (round.ok.get(reply.served_by) ?? 0) + 1);
        } catch {
          round.failed++;
        }
      }
      if (round.failed === 0) break;
    }
    assert.equal(
      round.failed,
      0,
      `the failing backend is ejected: last round ${JSON.stringify([...round.ok])}`,
    );
    assert.deepEqual([...round.ok.keys()].sort(), ['127.0.0.2', '127.0.0.3']);

    // Everything sent was ACKed; the dialect and what it held back are visible per node.
    const nodes = ((await (await fetch(`${cp.adminUrl}/debug/nodes`)).json()) as { nodes: NodeSummary[] })
      .nodes;
    const node = nodes.find((n) => n.id === 'grpc-js-policies');
    assert.ok(node, JSON.stringify(nodes.map((n) => n.id)));
    assert.equal(node.dialect, 'grpc-js');
    assert.equal(node.group, 'proxyless/grpc-js');
    for (const type of node.types) {
      assert.equal(type.nack, undefined, `${type.type} NACKed: ${JSON.stringify(type.nack)}`);
      assert.equal(type.ackedVersion, type.sentVersion, `${type.type} ACKed`);
    }
    assert.deepEqual(
      node.heldBack.map((h) => [h.cluster, h.policy]),
      [['demo/flaky/50051', 'health-check']],
    );
  },
);
