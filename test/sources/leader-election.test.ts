// Lease-based leader election against the API server double: one leader at a time, takeover after a crash
// within the lease duration (and not before it), immediate takeover after a graceful release.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { connectKube, type KubeClient } from '../../src/sources/kube-client';
import { LeaderElector } from '../../src/sources/leader-election';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { sleep, startDouble, waitFor } from './kube-harness';

const LEASE_SECONDS = 2;
const RETRY_MS = 200;
// The crash test measures takeover against the lease: a longer one there leaves room for a loaded machine
// (slack 2 s) while still telling "at the first try after expiry" from "a whole lease later".
const CRASH_LEASE_SECONDS = 4;
const SLACK_MS = 2000;

function elector(client: KubeClient, identity: string, leaseDurationSeconds = LEASE_SECONDS): LeaderElector {
  return new LeaderElector({
    client,
    namespace: 'kxds-system',
    name: 'kxds-leader',
    identity,
    leaseDurationSeconds,
    renewDeadlineMs: 1000,
    retryPeriodMs: RETRY_MS,
  });
}

describe('LeaderElector', () => {
  let double: ApiServerDouble | undefined;
  const electors: LeaderElector[] = [];

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop({ release: false })));
    await double?.stop();
  });

  async function twoCandidates(leaseSeconds = LEASE_SECONDS) {
    const started = await startDouble();
    double = started.double;
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const a = elector(client, 'replica-a', leaseSeconds);
    const b = elector(client, 'replica-b', leaseSeconds);
    electors.push(a, b);
    let bothLeaders = 0;
    for (const e of [a, b]) e.isLeader$.subscribe(() => (bothLeaders += a.isLeader && b.isLeader ? 1 : 0));
    a.start();
    b.start();
    await waitFor('a leader', () => a.isLeader || b.isLeader);
    return { double: started.double, a, b, bothLeaders: () => bothLeaders };
  }

  test('exactly one of two candidates leads, and keeps leading while it renews', async () => {
    const { double, a, b, bothLeaders } = await twoCandidates();
    const leader = a.isLeader ? a : b;
    const follower = leader === a ? b : a;
    await sleep(LEASE_SECONDS * 1000 + 500);
    assert.equal(bothLeaders(), 0);
    assert.ok(leader.isLeader && !follower.isLeader);
    assert.ok(leader.counters.renewals >= 5, `renewals: ${leader.counters.renewals}`);
    const lease = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds-system');
    const spec = lease?.['spec'] as {
      holderIdentity?: string;
      leaseDurationSeconds?: number;
      renewTime?: string;
    };
    assert.equal(spec.holderIdentity, leader === a ? 'replica-a' : 'replica-b');
    assert.equal(spec.leaseDurationSeconds, LEASE_SECONDS);
    assert.match(spec.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('after the leader crashes, the other takes over within the lease duration, not before it expires', async () => {
    const { double, a, b, bothLeaders } = await twoCandidates(CRASH_LEASE_SECONDS);
    const leader = a.isLeader ? a : b;
    const follower = leader === a ? b : a;
    await sleep(300);
    await leader.stop({ release: false });
    const stoppedAt = Date.now();
    // A long wait, so that a late takeover fails below with how late it was.
    await waitFor('the follower to lead', () => follower.isLeader, 3 * CRASH_LEASE_SECONDS * 1000);
    const tookMs = Date.now() - stoppedAt;
    // The follower must wait out the lease as it last saw it renewed (at most one retry period before the crash).
    assert.ok(
      tookMs >= CRASH_LEASE_SECONDS * 1000 - 2 * RETRY_MS,
      `took over after ${tookMs} ms, before the lease expired`,
    );
    assert.ok(tookMs <= CRASH_LEASE_SECONDS * 1000 + 2 * RETRY_MS + SLACK_MS, `took over after ${tookMs} ms`);
    assert.equal(bothLeaders(), 0);
    const spec = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds-system')?.['spec'] as {
      holderIdentity?: string;
      leaseTransitions?: number;
    };
    assert.equal(spec.holderIdentity, follower === a ? 'replica-a' : 'replica-b');
    assert.equal(spec.leaseTransitions, 1);
  });

  test('a leader that stops gracefully releases the lease: takeover long before it would expire', async () => {
    const { a, b } = await twoCandidates(30);
    const leader = a.isLeader ? a : b;
    const follower = leader === a ? b : a;
    await leader.stop();
    const stoppedAt = Date.now();
    // Well within the 30 s lease even on a loaded machine.
    await waitFor('the follower to lead', () => follower.isLeader, 15_000);
    assert.ok(Date.now() - stoppedAt < 15_000);
    assert.equal(leader.isLeader, false);
  });

  test('a leader that cannot reach the API server steps down after the renew deadline', async () => {
    const { double, a, b } = await twoCandidates();
    const leader = a.isLeader ? a : b;
    double.failWith(503, 60_000);
    await waitFor('the leader to step down', () => !leader.isLeader, 10_000);
    assert.ok(!a.isLeader && !b.isLeader, 'nobody leads while the API server is away');
    assert.equal(leader.counters.stepDowns, 1);
    double.recover();
    await waitFor('a leader again', () => a.isLeader || b.isLeader, LEASE_SECONDS * 1000 + 10_000);
  });
});
