// Retries (gRFC A44) and fault injection (A33) from mesh route annotations, with gRPC C-core 1.51 (Debian
// python3-grpcio): the same Services as the grpc-js test (test/helpers/mesh-policies.ts). One retry on
// UNAVAILABLE turns a greeter failing every other attempt into 20 answered calls of 20 (40 attempts), the
// same backend without retries fails 10 of 20; 25 % aborts over 400 calls and 50 % of calls delayed 2 s
// (DEADLINE_EXCEEDED at 0.5 s) over 100 calls, within 3 standard deviations; nothing NACKed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CcoreClient } from '../helpers/ccore-client';
import { assertFailureRate, startPolicyServices } from '../helpers/mesh-policies';

async function outcomes(
  client: CcoreClient,
  id: string,
  n: number,
  timeoutS: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const call = await client.call(id, timeoutS);
    const outcome = call.ok ? 'OK' : (call.code ?? 'UNKNOWN');
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return counts;
}

test(
  'gRPC C-core 1.51: route retries with backoff, aborts and delays by percentage',
  { timeout: 180000 },
  async (t) => {
    const { cp, flakyA, flakyB } = await startPolicyServices(t);
    const acked = new Set<string>();
    const nacks: string[] = [];
    cp.streamEvents.add({
      onAck: (_node, kind) => acked.add(kind),
      onNack: (node, kind, nack) => nacks.push(`${node.id} ${kind}: ${nack.message}`),
    });
    const client = new CcoreClient(cp.address, 'ccore-policies');
    t.after(() => client.stop());
    for (const name of ['retried', 'unretried', 'aborted', 'delayed'])
      await client.open(name, `xds:///${name}.demo:50051`);

    // The first call of a channel waits for its config (wait_for_ready); it keeps each backend's parity.
    await client.call('retried', 10);
    const before = flakyA.attempts();
    assert.deepEqual(
      [...(await outcomes(client, 'retried', 20, 5))],
      [['OK', 20]],
      'every call succeeds on its retry',
    );
    assert.equal(flakyA.attempts() - before, 40, 'each call took two attempts');

    await client.call('unretried', 10);
    if (flakyB.attempts() % 2 === 1) await client.call('unretried', 10);
    const plain = await outcomes(client, 'unretried', 20, 5);
    assert.deepEqual([plain.get('OK'), plain.get('UNAVAILABLE')], [10, 10], JSON.stringify([...plain]));

    const aborts = await outcomes(client, 'aborted', 400, 5);
    assertFailureRate(aborts, 'UNAVAILABLE', 0.25, 400);

    await client.call('delayed', 10);
    const delays = await outcomes(client, 'delayed', 100, 0.5);
    assertFailureRate(delays, 'DEADLINE_EXCEEDED', 0.5, 100);

    assert.deepEqual(nacks, []);
    assert.deepEqual([...acked].sort(), ['cluster', 'endpoint', 'listener', 'route']);
  },
);
