// Issue 3 end to end: two real `kxds serve --leader-elect` processes share one Lease on the API server
// double. Exactly one (the leader) writes Ingress status and posts Events; the other keeps serving xDS; when
// the leader is SIGKILLed (so it cannot release the Lease) the other takes over once the lease expires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KxdsProcess } from '../helpers/cli-process';
import { waitForHttp } from '../helpers/cli-process';
import { AdsTestClient } from '../helpers/ads-client';
import {
  Cleanup,
  eventually,
  killKxds,
  greeterService,
  namespace,
  startClusterKxds,
  startDoubleWithKubeconfig,
  type ClusterKxds,
} from '../helpers/cluster-kxds';
import type { StoredObject } from '../k8s-double/selectors';

const ADDRESS = '192.0.2.10';
const LEASE_SECONDS = 3;
const RETRY_SECONDS = 0.5;

/** An Ingress of another class whose status holds kxds's address, as if kxds had served it before. */
function staleIngress(): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'stale', namespace: 'demo' },
    spec: {
      ingressClassName: 'other',
      defaultBackend: { service: { name: 'greeter', port: { number: 50051 } } },
    },
    status: { loadBalancer: { ingress: [{ ip: ADDRESS }] } },
  };
}

const statusWrites = (p: KxdsProcess) =>
  p.logs.filter((l) => l.msg === 'cleared the edge address' || l.msg === 'wrote the edge address').length;
const becameLeader = (p: KxdsProcess) => p.logs.find((l) => l.msg === 'became the leader');

test(
  'two kxds replicas: one leader writes Ingress status and Events, the other takes over after SIGKILL',
  { timeout: 90_000 },
  async (t) => {
    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    cleanup.add(() => double.stop());
    double.create(namespace('demo'));
    double.create(staleIngress());
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
    for (const r of replicas) await waitForHttp(`${r.adminUrl}/readyz`, 200, 30_000);

    const statusPath = '/apis/networking.k8s.io/v1/namespaces/demo/ingresses/stale/status';
    const patches = () => double.requests.filter((r) => r.method === 'PATCH' && r.path === statusPath);
    const eventPosts = () =>
      double.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/demo/events');
    const ingressAddress = () =>
      (
        double.get('networking.k8s.io/v1', 'Ingress', 'stale', 'demo')?.['status'] as {
          loadBalancer?: { ingress?: unknown[] };
        }
      )?.loadBalancer?.ingress;

    const [leader, follower] = await eventually('exactly one leader', () => {
      const leaders = replicas.filter((r) => becameLeader(r.kxds));
      if (leaders.length !== 1) return undefined;
      return [leaders[0], replicas.find((r) => r !== leaders[0])] as [ClusterKxds, ClusterKxds];
    });

    await t.test('only the leader writes Ingress status and posts the warning Event, once', async () => {
      await eventually('the stale address cleared', () =>
        ingressAddress() === undefined ? true : undefined,
      );
      await eventually('the warning Event', () => (eventPosts().length >= 1 ? true : undefined));
      // More builds (a change elsewhere) neither rewrite the status nor repeat the Event.
      double.create(greeterService('another'));
      await eventually('both replicas saw the change', () =>
        replicas.every((r) => r.kxds.logs.filter((l) => l.msg === 'snapshots updated').length >= 2)
          ? true
          : undefined,
      );
      await leader.kxds.waitForLog((l) => l.msg === 'cleared the edge address', 10_000);
      assert.equal(patches().length, 1, 'one status write in all');
      assert.equal(statusWrites(leader.kxds), 1, 'made by the leader');
      assert.equal(statusWrites(follower.kxds), 0, 'none by the follower');
      assert.equal(eventPosts().length, 1, 'one Event in all');
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
      // Someone (a previous kxds) left the address on the Ingress again: the new leader's first pass clears it.
      double.update({ ...staleIngress(), metadata: { name: 'stale', namespace: 'demo' } });
      const took = await eventually(
        'the follower became the leader',
        () => becameLeader(follower.kxds),
        20_000,
        20,
      );
      const takeoverMs = Date.parse(String(took.time)) - killedAt;
      // It must wait out the lease (the killed leader renewed at most one retry period before dying) ...
      assert.ok(takeoverMs >= (LEASE_SECONDS - 2 * RETRY_SECONDS) * 1000, `took over after ${takeoverMs} ms`);
      // ... and then take it at its next try (generous slack: the machine is loaded).
      assert.ok(
        takeoverMs <= (LEASE_SECONDS + 2 * RETRY_SECONDS) * 1000 + 3000,
        `took over after ${takeoverMs} ms`,
      );
      await eventually('the new leader cleared the address', () =>
        ingressAddress() === undefined ? true : undefined,
      );
      await follower.kxds.waitForLog((l) => l.msg === 'cleared the edge address', 10_000);
      assert.equal(statusWrites(follower.kxds), 1);
      assert.equal(patches().length, 2);
      // The warning still stands; the new leader reports it once, so a failover loses none.
      await eventually('the new leader posted the warning', () =>
        eventPosts().length === 2 ? true : undefined,
      );
      const lease = double.get('coordination.k8s.io/v1', 'Lease', 'kxds-leader', 'kxds');
      assert.equal((lease?.['spec'] as { holderIdentity?: string })?.holderIdentity, took.identity);
    });
  },
);
