// GAMMA routes through an explicit-mode sidecar, end to end: the Envoy double takes a sidecar's config from
// kxds (node kxds.io/role: sidecar, namespace demo), and a plain grpc-js client dials its 127.0.0.1:15001
// listener with the Service name as authority, as docs/sidecars.md tells apps to. The GRPCRoute on "split"
// sends 80 % / 20 % of 500 calls to v1 / v2 (within 5 points; the double's weighted draw is seeded), the
// GRPCRoute on "routed" sends SayHello with x-version: v2 to v2 and the rest to v1, and a Service without
// routes ("v1" itself) keeps its own cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { greeterClient, sayHello, type GreeterClient } from '../../src/demo/greeter';
import { startEnvoyDouble } from '../envoy-double';
import { startMeshServices } from '../helpers/mesh-services';
import { sayHelloWith } from '../helpers/greeter-metadata';

/** A seeded draw in [0, 1) (a linear congruential generator), so the split is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Which backend answered each of n calls, 50 at a time (the double answers each call slowly, not in order). */
async function served(client: GreeterClient, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < n; start += 50) {
    const batch = Array.from({ length: Math.min(50, n - start) }, (_, i) =>
      sayHello(client, `call-${start + i}`),
    );
    for (const { served_by } of await Promise.all(batch))
      counts.set(served_by, (counts.get(served_by) ?? 0) + 1);
  }
  return counts;
}

test(
  'explicit sidecar: GAMMA weights and header routing for a plain gRPC client',
  { timeout: 90_000 },
  async (t) => {
    const cp = await startMeshServices(t);
    const envoy = await startEnvoyDouble({
      xdsAddress: cp.address,
      node: { id: 'app-1.demo', metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': 'demo' } },
      random: seeded(7),
    });
    t.after(() => envoy.close());
    await envoy.ready();
    const sidecar = `127.0.0.1:${envoy.port(15001)}`;
    const dial = (authority: string) => {
      const client = greeterClient(sidecar, grpc.credentials.createInsecure(), {
        'grpc.default_authority': authority,
      });
      t.after(() => client.close());
      return client;
    };

    const split = await served(dial('split.demo:50051'), 500);
    const v1 = split.get('127.0.0.2') ?? 0;
    const v2 = split.get('127.0.0.3') ?? 0;
    assert.equal(v1 + v2, 500, JSON.stringify([...split]));
    assert.ok(Math.abs(v1 / 500 - 0.8) <= 0.05, `80/20 within 5 points: v1 ${v1}, v2 ${v2}`);

    const routed = dial('routed.demo:50051');
    assert.deepEqual(
      [...(await served(routed, 20)).keys()],
      ['127.0.0.2'],
      'no header: the Greeter service rule (v1)',
    );
    for (let i = 0; i < 10; i++)
      assert.equal((await sayHelloWith(routed, { 'x-version': 'v2' })).served_by, '127.0.0.3');

    // A Service no route names: its own cluster (short name: the sidecar's own namespace).
    assert.deepEqual([...(await served(dial('v2:50051'), 10)).keys()], ['127.0.0.3']);
    assert.deepEqual(envoy.nacks(), [], 'the double accepted every resource');
  },
);
