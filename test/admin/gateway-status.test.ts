// GET /debug/gateway-status on the admin address: the newest build's Gateway API statuses as a JSON array of
// {kind, namespace, name, generation, status}; a condition's lastTransitionTime stays while its status holds
// and moves when it flips. A fake front-end stands in for the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startControlPlane } from '../helpers/control-plane';
import { SubjectSource } from '../helpers/subject-source';
import { FakeGatewayFrontend } from '../helpers/gateway-ir';
import { service } from '../helpers/k8s-fixtures';
import type { GatewayApiStatus } from '../../src/frontends/gateway/contract';

const accepted = (status: 'True' | 'False', generation: number) => ({
  conditions: [
    {
      type: 'Accepted',
      status,
      reason: status === 'True' ? 'Accepted' : 'Invalid',
      message: '',
      observedGeneration: generation,
    },
  ],
});

async function served(url: string): Promise<GatewayApiStatus[]> {
  const res = await fetch(`${url}/debug/gateway-status`);
  assert.equal(res.status, 200);
  return (await res.json()) as GatewayApiStatus[];
}

async function nextBuild(
  cp: Awaited<ReturnType<typeof startControlPlane>>,
  source: SubjectSource,
  n: number,
) {
  const builds = cp.pipeline.counters.builds;
  source.upsert(service('demo', `svc-${n}`, [{ name: 'http', port: 80 }]));
  const deadline = Date.now() + 10_000;
  while (cp.pipeline.counters.builds === builds && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(cp.pipeline.counters.builds > builds, 'a build followed the change');
}

test('/debug/gateway-status serves the statuses with transition times that follow the conditions', async (t) => {
  const fake = new FakeGatewayFrontend();
  fake.statuses = [
    { kind: 'Gateway', namespace: 'infra', name: 'web', generation: 1, status: accepted('True', 1) },
  ];
  const source = new SubjectSource();
  source.synced();
  const cp = await startControlPlane(source, undefined, 20, {}, { gatewayFrontend: fake.translate });
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();

  const first = await served(cp.adminUrl);
  assert.equal(first.length, 1);
  assert.deepEqual(
    { ...first[0], status: undefined },
    { kind: 'Gateway', namespace: 'infra', name: 'web', generation: 1, status: undefined },
  );
  const condition = (s: GatewayApiStatus[]) =>
    (
      s[0]?.status as {
        conditions: { status: string; observedGeneration: number; lastTransitionTime: string }[];
      }
    ).conditions[0];
  const t0 = condition(first)?.lastTransitionTime;
  assert.match(t0 ?? '', /^\d{4}-\d\d-\d\dT/);

  // Same status, newer generation: the time stays.
  fake.statuses = [
    { kind: 'Gateway', namespace: 'infra', name: 'web', generation: 2, status: accepted('True', 2) },
  ];
  await new Promise((r) => setTimeout(r, 5));
  await nextBuild(cp, source, 1);
  const second = condition(await served(cp.adminUrl));
  assert.equal(second?.observedGeneration, 2);
  assert.equal(second?.lastTransitionTime, t0);

  // Flipped: a new time.
  fake.statuses = [
    { kind: 'Gateway', namespace: 'infra', name: 'web', generation: 3, status: accepted('False', 3) },
  ];
  await new Promise((r) => setTimeout(r, 5));
  await nextBuild(cp, source, 2);
  const third = condition(await served(cp.adminUrl));
  assert.equal(third?.status, 'False');
  assert.notEqual(third?.lastTransitionTime, t0);
});
