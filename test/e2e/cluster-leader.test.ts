// Issue 3 end to end: two real `kxds serve --leader-elect` processes share one Lease on the API server
// double. Exactly one (the leader) writes Ingress status - the address on the Ingresses it serves, cleared from
// one it does not - and posts Events; the other keeps serving xDS; when the leader is SIGKILLed (so it cannot
// release the Lease) the other takes over once the lease expires, and catches up with what changed meanwhile;
// a leader stopped with SIGTERM releases the Lease, so a third replica takes over without waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KxdsProcess } from '../helpers/cli-process';
import { waitForHttp } from '../helpers/cli-process';
import { AdsTestClient } from '../helpers/ads-client';
import {
  Cleanup,
  eventually,
  greeterService,
  killKxds,
  namespace,
  startClusterKxds,
  startDoubleWithKubeconfig,
  type ClusterKxds,
} from '../helpers/cluster-kxds';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import type { StoredObject } from '../k8s-double/selectors';

const ADDRESS = '192.0.2.10';
const LEASE_SECONDS = 3;
const RETRY_SECONDS = 0.5;

/** An Ingress of `className`; `withAddress`: its status already holds kxds's address. */
function ingress(name: string, className: string, withAddress = false): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'demo' },
    spec: {
      ingressClassName: className,
      defaultBackend: { service: { name: 'app', port: { number: 80 } } },
    },
    ...(withAddress ? { status: { loadBalancer: { ingress: [{ ip: ADDRESS }] } } } : {}),
  };
}

function addressOf(double: ApiServerDouble, name: string): string {
  const status = double.get('networking.k8s.io/v1', 'Ingress', name, 'demo')?.['status'] as
    { loadBalancer?: { ingress?: unknown[] } } | undefined;
  return JSON.stringify(status?.loadBalancer?.ingress ?? []);
}
const WRITTEN = JSON.stringify([{ ip: ADDRESS }]);
const CLEARED = '[]';

const statusWrites = (p: KxdsProcess) =>
  p.logs.filter((l) => l.msg === 'cleared the edge address' || l.msg === 'wrote the edge address').length;
const becameLeader = (p: KxdsProcess) => p.logs.find((l) => l.msg === 'became the leader');

test(
  'two kxds replicas: one leader writes Ingress status and Events, the other takes over after SIGKILL',
  { timeout: 240_000 },
  async (t) => {
    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    cleanup.add(() => double.stop());
    double.create(namespace('demo'));
    double.create({ ...greeterService('app'), spec: { ports: [{ name: 'http', port: 80 }] } });
    double.create(ingress('web', 'kxds')); // served: gets the address
    double.create(ingress('stale', 'other', true)); // not served, but carries our address: cleared
    // A Service with a bad annotation: a translation warning that becomes an Event.
    const badLb = greeterService('badlb');
    badLb.metadata.annotations = { 'kxds.io/load-balancer': 'bogus' };
    double.create(badLb);

    const args = [
      '--leader-elect',
      '--lease-namespace',
      'kxds',
      '--lease-duration',
      String(LEASE_SECONDS),
      '--lease-renew-deadline',
      '2',
      '--lease-retry-period',
      String(RETRY_SECONDS),
      '--publish-address',
      ADDRESS,
    ];
    const replicas: ClusterKxds[] = [
      await startClusterKxds(kubeconfig, args),
      await startClusterKxds(kubeconfig, args),
    ];
    for (const r of replicas) cleanup.add(() => killKxds(r));
    for (const r of replicas) await waitForHttp(`${r.adminUrl}/readyz`);

    const patches = () =>
      double.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status')).length;
    const badLbEvents = () =>
      double.store
        .list(double.store.resourceOf({ apiVersion: 'v1', kind: 'Event' }))
        .filter((e) => (e['involvedObject'] as { name?: string }).name === 'badlb').length;

    const [leader, follower] = await eventually('exactly one leader', () => {
      const leaders = replicas.filter((r) => becameLeader(r.kxds));
      if (leaders.length !== 1) return undefined;
      return [leaders[0], replicas.find((r) => r !== leaders[0])] as [ClusterKxds, ClusterKxds];
    });

    await t.test('only the leader writes Ingress status and posts the warning Event, once', async () => {
      await eventually('web written, stale cleared', () =>
        addressOf(double, 'web') === WRITTEN && addressOf(double, 'stale') === CLEARED ? true : undefined,
      );
      await eventually('the warning Event', () => (badLbEvents() >= 1 ? true : undefined));
      // More builds (a change elsewhere) neither rewrite the status nor repeat the Event.
      double.create(greeterService('another'));
      await eventually('both replicas saw the change', () =>
        replicas.every((r) => r.kxds.logs.filter((l) => l.msg === 'snapshots updated').length >= 2)
          ? true
          : undefined,
      );
      await eventually('the leader logged its two writes', () =>
        statusWrites(leader.kxds) === 2 ? true : undefined,
      );
      assert.equal(patches(), 2, 'two status writes in all');
      assert.equal(statusWrites(follower.kxds), 0, 'none by the follower');
      assert.equal(badLbEvents(), 1, 'one Event in all');
      const lease = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds');
      assert.equal(
        (lease?.['spec'] as { holderIdentity?: string })?.holderIdentity,
        becameLeader(leader.kxds)?.identity,
      );
    });

    await t.test('the follower keeps serving xDS', async () => {
      assert.equal((await fetch(`${follower.adminUrl}/readyz`)).status, 200);
      const ads = new AdsTestClient(follower.xdsAddress, {
        id: 'probe',
        metadata: { 'kxds.io/role': 'proxyless' },
      });
      cleanup.add(() => ads.close());
      ads.request('cluster');
      const cds = await ads.waitFor('cluster', 1, 10_000);
      assert.ok(
        cds.names.some((n) => n.includes('badlb')),
        JSON.stringify(cds.names),
      );
    });

    await t.test('SIGKILLed leader: the follower takes over once the lease expires', async () => {
      const killedAt = Date.now();
      leader.kxds.kill('SIGKILL');
      await leader.kxds.exited;
      // Its last renewal, from the Lease itself: on a loaded machine it can be seconds before the kill.
      const renewedAt = Date.parse(
        String(
          (
            double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds')?.['spec'] as {
              renewTime?: string;
            }
          )?.renewTime,
        ),
      );
      // While nobody leads: a new Ingress to serve, and our address left on one we do not serve.
      double.create(ingress('late', 'kxds'));
      double.update(ingress('stale', 'other', true));
      const took = await eventually(
        'the follower became the leader',
        () => becameLeader(follower.kxds),
        20_000,
        20,
      );
      const takeoverMs = Date.parse(String(took.time)) - killedAt;
      // It must wait out the lease from the last renewal it saw (the follower sees one at its next try) ...
      const afterRenewalMs = Date.parse(String(took.time)) - renewedAt;
      assert.ok(
        afterRenewalMs >= (LEASE_SECONDS - 2 * RETRY_SECONDS) * 1000,
        `took over ${afterRenewalMs} ms after the last renewal`,
      );
      // ... and then take it at its next try (generous slack: the machine is loaded).
      assert.ok(
        takeoverMs <= (LEASE_SECONDS + 2 * RETRY_SECONDS) * 1000 + 3000,
        `took over after ${takeoverMs} ms`,
      );
      await eventually('the new leader wrote late and cleared stale', () =>
        addressOf(double, 'late') === WRITTEN && addressOf(double, 'stale') === CLEARED ? true : undefined,
      );
      assert.equal(addressOf(double, 'web'), WRITTEN, 'web keeps its address (no rewrite needed)');
      await eventually('the new leader logged its two writes', () =>
        statusWrites(follower.kxds) === 2 ? true : undefined,
      );
      assert.equal(patches(), 4);
      // The warning still stands; the new leader reports it once, so a failover loses none.
      await eventually('the new leader posted the warning', () => (badLbEvents() === 2 ? true : undefined));
      const lease = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds');
      assert.equal((lease?.['spec'] as { holderIdentity?: string })?.holderIdentity, took.identity);
    });

    await t.test(
      'SIGTERMed leader releases the Lease: a third replica takes over at its next try',
      async () => {
        const third = await startClusterKxds(kubeconfig, args);
        cleanup.add(() => killKxds(third));
        await waitForHttp(`${third.adminUrl}/readyz`);
        const stoppedAt = Date.now();
        follower.kxds.kill('SIGTERM');
        assert.equal(await follower.kxds.exited, 0);
        assert.ok(
          follower.kxds.logs.some((l) => l.msg === 'released the lease'),
          'the leader released the Lease on SIGTERM',
        );
        const took = await eventually('the third replica became the leader', () => becameLeader(third.kxds));
        const takeoverMs = Date.parse(String(took.time)) - stoppedAt;
        // No waiting out the lease: that alone would take LEASE_SECONDS after the last renewal.
        assert.ok(takeoverMs < LEASE_SECONDS * 1000 + 2000, `took over after ${takeoverMs} ms`);
        const lease = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds');
        assert.equal((lease?.['spec'] as { holderIdentity?: string })?.holderIdentity, took.identity);
      },
    );
  },
);
