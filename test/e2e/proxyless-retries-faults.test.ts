// Retries (gRFC A44) and fault injection (A33) from mesh route annotations, with the real grpc-js-xds
// client: against a greeter that fails every other attempt, a route with one retry on UNAVAILABLE answers
// 20 calls of 20 (40 attempts reach the backend) while the same backend without retries fails 10 of 20;
// 25 % aborts measured over 400 calls and 50 % of calls delayed 2 s (a 500 ms deadline then ends them with
// DEADLINE_EXCEEDED) over 100 calls, each within statistical bounds; every resource sent is ACKed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient, sayHello, type GreeterClient } from '../../src/demo/greeter';
import { assertFailureRate, startPolicyServices } from '../helpers/mesh-policies';
import type { NodeSummary } from '../../src/admin/node-summary';

/** Outcome counts of n sequential calls: "OK" or the gRPC status name. */
async function outcomes(client: GreeterClient, n: number, timeoutMs: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    let outcome = 'OK';
    try {
      await sayHello(client, `call-${i}`, timeoutMs);
    } catch (err) {
      outcome = grpc.status[(err as grpc.ServiceError).code] ?? 'UNKNOWN';
    }
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return counts;
}

test(
  'grpc-js-xds: route retries with backoff, aborts and delays by percentage',
  { timeout: 180000 },
  async (t) => {
    unrefLongTimers();
    const { cp, flakyA, flakyB } = await startPolicyServices(t);
    useControlPlane(cp.address, 'grpc-js-policies');
    const open = (name: string) => {
      const client = greeterClient(`xds:///${name}.demo:50051`);
      t.after(() => client.close());
      return client;
    };

    const retried = open('retried');
    await firstReply(retried);
    const before = flakyA.attempts();
    assert.deepEqual(
      [...(await outcomes(retried, 20, 5000))],
      [['OK', 20]],
      'every call succeeds on its retry',
    );
    assert.equal(flakyA.attempts() - before, 40, 'each call took two attempts');

    const unretried = open('unretried');
    await firstReply(unretried);
    const plain = await outcomes(unretried, 20, 5000);
    assert.deepEqual([plain.get('OK'), plain.get('UNAVAILABLE')], [10, 10], JSON.stringify([...plain]));
    assert.equal(flakyB.attempts() % 2, 0);

    const aborted = open('aborted');
    await firstReply(aborted);
    const aborts = await outcomes(aborted, 400, 5000);
    assertFailureRate(aborts, 'UNAVAILABLE', 0.25, 400);

    const delayed = open('delayed');
    await firstReply(delayed, 30000);
    const delays = await outcomes(delayed, 100, 500);
    assertFailureRate(delays, 'DEADLINE_EXCEEDED', 0.5, 100);

    for (const client of [retried, unretried, aborted, delayed]) client.close();
    const nodes = ((await (await fetch(`${cp.adminUrl}/debug/nodes`)).json()) as { nodes: NodeSummary[] })
      .nodes;
    const node = nodes.find((n) => n.id === 'grpc-js-policies');
    assert.ok(node, JSON.stringify(nodes.map((n) => n.id)));
    for (const type of node.types) {
      assert.equal(type.nack, undefined, `${type.type} NACKed: ${JSON.stringify(type.nack)}`);
      assert.equal(type.ackedVersion, type.sentVersion, `${type.type} ACKed`);
    }
  },
);
