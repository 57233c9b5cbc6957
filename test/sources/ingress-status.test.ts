// Ingress status: the leader writes the edge address to the Ingresses kxds serves and clears it from those it
// stops serving; the follower writes nothing; writes are skipped when the status already matches, retried
// after failures, and follow the edge Service's load-balancer address.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { BehaviorSubject, firstValueFrom, of, type Observable } from 'rxjs';
import {
  IngressStatusWriter,
  publishAddress,
  type LoadBalancerIngress,
} from '../../src/sources/ingress-status';
import { connectKube, type KubeClient } from '../../src/sources/kube-client';
import { LeaderElector } from '../../src/sources/leader-election';
import { edgeAddress, parseServiceRef, watchServiceAddress } from '../../src/sources/service-address';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { writeKubeconfig } from '../k8s-double/kubeconfig';
import { FAST_BACKOFF, ingress, service, sleep, startDouble, waitFor } from './kube-harness';

const EDGE = publishAddress('203.0.113.7');

function statusOf(
  double: ApiServerDouble,
  name: string,
  namespace = 'default',
): LoadBalancerIngress[] | undefined {
  const obj = double.get('networking.k8s.io/v1', 'Ingress', name, namespace);
  return (obj?.['status'] as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer
    ?.ingress;
}

function statusPatches(double: ApiServerDouble): number {
  return double.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status')).length;
}

describe('IngressStatusWriter', () => {
  let double: ApiServerDouble | undefined;
  const stoppers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await double?.stop();
  });

  async function setup(): Promise<{ double: ApiServerDouble; client: KubeClient }> {
    const started = await startDouble();
    double = started.double;
    for (const name of ['web', 'api', 'other']) double.create(ingress(name));
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    return { double: started.double, client };
  }

  function writer(
    client: KubeClient,
    served$: BehaviorSubject<ReadonlySet<string>>,
    isLeader: LeaderElector | boolean,
    address$: Observable<readonly LoadBalancerIngress[]> = of(EDGE),
  ) {
    const w = new IngressStatusWriter({
      client,
      served$,
      address$,
      isLeader$: typeof isLeader === 'boolean' ? of(isLeader) : isLeader.isLeader$,
      backoff: FAST_BACKOFF,
    });
    w.start();
    stoppers.push(() => w.stop());
    return w;
  }

  test('writes the address to served Ingresses only, then never writes the same status again', async () => {
    const { double, client } = await setup();
    const served$ = new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web', 'default/api']));
    const w = writer(client, served$, true);
    await waitFor(
      'both statuses',
      () => statusOf(double, 'web') !== undefined && statusOf(double, 'api') !== undefined,
    );
    await w.idle();
    assert.deepEqual(statusOf(double, 'web'), EDGE);
    assert.deepEqual(statusOf(double, 'api'), EDGE);
    assert.equal(statusOf(double, 'other'), undefined);
    assert.equal(statusPatches(double), 2);
    assert.equal(
      double.requests.find((r) => r.method === 'PATCH')?.contentType,
      'application/merge-patch+json',
    );
    // The same input again (as after kxds' own status write comes back through translation): no write.
    served$.next(new Set(['default/api', 'default/web']));
    await sleep(100);
    await w.idle();
    assert.equal(statusPatches(double), 2);
    assert.equal(w.counters.unchanged, 2);
  });

  test('clears the address from an Ingress it stops serving, and leaves foreign statuses alone', async () => {
    const { double, client } = await setup();
    const other = double.get('networking.k8s.io/v1', 'Ingress', 'other', 'default');
    assert.ok(other);
    double.update({
      ...other,
      status: { loadBalancer: { ingress: [{ hostname: 'someone-else.example' }] } },
    });
    const served$ = new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web', 'default/api']));
    const w = writer(client, served$, true);
    await waitFor('api status', () => statusOf(double, 'api') !== undefined);
    served$.next(new Set(['default/web']));
    await waitFor('api cleared', () => statusOf(double, 'api') === undefined);
    await w.idle();
    assert.deepEqual(statusOf(double, 'web'), EDGE);
    assert.deepEqual(statusOf(double, 'other'), [{ hostname: 'someone-else.example' }]);
  });

  test('a follower writes nothing', async () => {
    const { double, client } = await setup();
    const w = writer(client, new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web'])), false);
    await sleep(300);
    await w.idle();
    assert.equal(statusPatches(double), 0);
    assert.equal(w.counters.passes, 0);
  });

  test('retries failed writes with backoff until they succeed', async () => {
    const { double, client } = await setup();
    double.failWith(503, 700);
    const w = writer(client, new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web'])), true);
    await waitFor('the status after the outage', () => statusOf(double, 'web') !== undefined, 5000);
    assert.ok(w.counters.passes >= 2, `passes: ${w.counters.passes}`);
    assert.deepEqual(statusOf(double, 'web'), EDGE);
  });

  test('two replicas: exactly one writes; the other takes over after the first crashes', async () => {
    const { double, client } = await setup();
    const served$ = new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web', 'default/api']));
    const electors = ['replica-a', 'replica-b'].map(
      (identity) =>
        new LeaderElector({
          client,
          namespace: 'kxds-system',
          name: 'kxds-leader',
          identity,
          leaseDurationSeconds: 2,
          renewDeadlineMs: 1000,
          retryPeriodMs: 200,
        }),
    );
    const writers = electors.map((e) => writer(client, served$, e));
    for (const e of electors) {
      e.start();
      stoppers.push(() => e.stop({ release: false }));
    }
    await waitFor(
      'statuses',
      () => statusOf(double, 'web') !== undefined && statusOf(double, 'api') !== undefined,
    );
    await sleep(500);
    const leaderIndex = electors.findIndex((e) => e.isLeader);
    assert.ok(leaderIndex >= 0);
    const followerIndex = 1 - leaderIndex;
    assert.equal(writers[leaderIndex]?.counters.writes, 2);
    assert.equal(writers[followerIndex]?.counters.writes, 0);
    assert.equal(writers[followerIndex]?.counters.passes, 0);
    // The leader crashes (its writer goes with it); the served set changes meanwhile.
    await writers[leaderIndex]?.stop();
    await electors[leaderIndex]?.stop({ release: false });
    served$.next(new Set(['default/web', 'default/other']));
    await waitFor(
      'the new leader to reconcile',
      () => statusOf(double, 'other') !== undefined && statusOf(double, 'api') === undefined,
      5000,
    );
    await writers[followerIndex]?.idle();
    assert.ok(electors[followerIndex]?.isLeader);
    assert.deepEqual(statusOf(double, 'web'), EDGE);
    assert.equal(
      writers[followerIndex]?.counters.writes,
      2,
      'wrote "other" and cleared "api"; "web" already matched',
    );
  });

  test('follows the edge Service load-balancer address', async () => {
    const { double, client } = await setup();
    const edge = double.create({
      ...service('edge', 'kxds-system'),
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.1' }] } },
    });
    const watch = watchServiceAddress(client, 'kxds-system/edge', { backoff: FAST_BACKOFF });
    stoppers.push(() => watch.stop());
    writer(client, new BehaviorSubject<ReadonlySet<string>>(new Set(['default/web'])), true, watch.address$);
    await waitFor('first address', () => statusOf(double, 'web')?.[0]?.ip === '198.51.100.1');
    double.update({
      ...edge,
      metadata: { ...edge.metadata, resourceVersion: undefined },
      status: { loadBalancer: { ingress: [{ hostname: 'lb.example.net' }] } },
    });
    await waitFor('new address', () => statusOf(double, 'web')?.[0]?.hostname === 'lb.example.net');
    assert.deepEqual(statusOf(double, 'web'), [{ hostname: 'lb.example.net' }]);
  });
});

describe('edge address parsing', () => {
  test('publishAddress: IPs as ip, names as hostname', () => {
    assert.deepEqual(publishAddress('192.0.2.1'), [{ ip: '192.0.2.1' }]);
    assert.deepEqual(publishAddress('2001:db8::1'), [{ ip: '2001:db8::1' }]);
    assert.deepEqual(publishAddress('edge.example.com'), [{ hostname: 'edge.example.com' }]);
  });

  test('edgeAddress takes exactly one of --edge-service and --publish-address', async () => {
    const client = await connectKube({ kubeconfigPath: writeKubeconfig('http://127.0.0.1:1') });
    const fixed = edgeAddress(client, { publishAddress: 'edge.example.com' });
    assert.deepEqual(await firstValueFrom(fixed.address$), [{ hostname: 'edge.example.com' }]);
    assert.throws(
      () => edgeAddress(client, { publishAddress: '192.0.2.1', edgeService: 'a/b' }),
      /exclude each other/,
    );
    assert.throws(() => edgeAddress(client, {}), /needs --edge-service NAMESPACE\/NAME or --publish-address/);
    assert.throws(
      () => edgeAddress(client, { edgeService: 'nope' }),
      /edge service "nope" is not NAMESPACE\/NAME/,
    );
  });

  test('parseServiceRef wants NAMESPACE/NAME', () => {
    assert.deepEqual(parseServiceRef('kxds-system/edge'), { namespace: 'kxds-system', name: 'edge' });
    assert.throws(() => parseServiceRef('edge'), /edge service "edge" is not NAMESPACE\/NAME/);
    assert.throws(() => parseServiceRef('a/b/c'), /not NAMESPACE\/NAME/);
  });
});
