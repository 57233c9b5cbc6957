// Issue 3 end to end: the real `kxds serve --kubeconfig` process against the Kubernetes API server double,
// a real grpc-js-xds client calling two real greeter backends, and a raw ADS client watching for removals.
// One process serves every step: readiness before the initial lists, create/change/delete, dropped watches,
// silent changes + compaction (410 -> relist), and a 10 s API outage with traffic flowing throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { greeterClient, sayHello } from '../../src/demo/greeter';
import { AdsTestClient, type ReceivedResponse } from '../helpers/ads-client';
import { waitForHttp } from '../helpers/cli-process';
import {
  Cleanup,
  eventually,
  killKxds,
  greeterService,
  greeterSlice,
  namespace,
  sleep,
  startClusterKxds,
  startDoubleWithKubeconfig,
} from '../helpers/cluster-kxds';
import { startBackends } from '../helpers/greeters';
import { firstReply, spread, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import type { ResourceKind } from '../../src/xds/types';

type Greeter = ReturnType<typeof greeterClient>;

/** Calls until only `backend` answers (within the deadline), then checks 30 more calls all go there. */
async function onlyBackend(client: Greeter, backend: string, timeoutMs: number): Promise<void> {
  await eventually(
    `every call served by ${backend}`,
    async () => {
      const counts = await spread(client, 10);
      return counts.size === 1 && counts.has(backend) ? true : undefined;
    },
    timeoutMs,
    0,
  );
  assert.deepEqual([...(await spread(client, 30)).keys()], [backend]);
}

/** Calls until both backends answer within 40 calls (within the deadline). */
async function bothBackends(client: Greeter, timeoutMs: number): Promise<void> {
  await eventually(
    'calls spread over both backends',
    async () => {
      const counts = await spread(client, 40);
      return (counts.get('127.0.0.2') ?? 0) >= 5 && (counts.get('127.0.0.3') ?? 0) >= 5 ? true : undefined;
    },
    timeoutMs,
    0,
  );
}

/** ACKs every response a raw ADS client gets, like a well-behaved proxy, until stopped. */
function autoAck(ads: AdsTestClient, kinds: ResourceKind[]): () => void {
  let acked = 0;
  const timer = setInterval(() => {
    for (; acked < ads.responses.length; acked++) {
      const response = ads.responses[acked] as ReceivedResponse;
      const kind = kinds.find((k) => response.typeUrl.endsWith(k === 'listener' ? 'Listener' : 'Cluster'));
      if (kind) ads.request(kind, [], response);
    }
  }, 20);
  return () => clearInterval(timer);
}

const latest = (ads: AdsTestClient, suffix: string): ReceivedResponse | undefined =>
  ads.responses.filter((r) => r.typeUrl.endsWith(suffix)).at(-1);

test(
  'kxds serve against the Kubernetes API: readiness, changes, dropped watches, 410, outage',
  { timeout: 240_000 },
  async (t) => {
    const backends = await startBackends(['127.0.0.2', '127.0.0.3']);
    const { double, kubeconfig } = await startDoubleWithKubeconfig();
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    cleanup.add(() => backends.stop());
    cleanup.add(() => double.stop());
    const port = backends.port;
    double.create(namespace('demo'));
    double.create(greeterService('other'));
    double.create(greeterSlice(port, { a: true, b: true }, 'other'));
    // The networking.k8s.io group (Ingresses, IngressClasses) is down at start; the core API answers.
    double.failWith(503, 120_000, '/apis/networking.k8s.io/');
    const replica = await startClusterKxds(kubeconfig);
    const { kxds, xdsAddress, adminUrl } = replica;
    cleanup.add(() => killKxds(replica));

    await t.test('/readyz stays 503 until every informer finished its initial list', async () => {
      await eventually(
        'two failed Ingress lists',
        () =>
          double.requests.filter((r) => r.path === '/apis/networking.k8s.io/v1/ingresses' && r.status === 503)
            .length >= 2
            ? true
            : undefined,
        60_000, // includes the child's start, which a loaded machine has stretched past 20 s
      );
      assert.ok(
        double.requests.some((r) => r.path === '/api/v1/services' && !r.watch && r.status === 200),
        'the Service informer listed',
      );
      await waitForHttp(`${adminUrl}/readyz`, 503);
      assert.equal((await fetch(`${adminUrl}/healthz`)).status, 200);
      double.recover();
      await waitForHttp(`${adminUrl}/readyz`);
      await kxds.waitForLog((l) => l.msg === 'initial list of every informer complete');
    });

    unrefLongTimers();
    useControlPlane(xdsAddress);
    const client = greeterClient('xds:///greeter.demo:50051');
    cleanup.add(() => client.close());
    const ads = new AdsTestClient(xdsAddress, {
      id: 'ads-watcher',
      metadata: { 'kxds.io/role': 'proxyless' },
    });
    cleanup.add(() => ads.close());
    const stopAcking = autoAck(ads, ['listener', 'cluster']);
    cleanup.add(stopAcking);
    ads.request('listener');
    ads.request('cluster');
    await ads.waitFor('listener', 1, 15_000);
    const listenerOf = (name: string) => (r?: ReceivedResponse) =>
      r?.names.some((n) => n.startsWith(`${name}.demo`));

    await t.test('created, changed objects reach the client: traffic moves', async () => {
      double.create(greeterService());
      double.create(greeterSlice(port, { a: true, b: true }));
      await firstReply(client, 20_000);
      const counts = await spread(client, 60);
      assert.ok(
        (counts.get('127.0.0.2') ?? 0) >= 15 && (counts.get('127.0.0.3') ?? 0) >= 15,
        JSON.stringify([...counts]),
      );
      double.update(greeterSlice(port, { a: true, b: false }));
      await onlyBackend(client, '127.0.0.2', 15_000);
    });

    await t.test('all watches dropped: changes made after the drop still arrive', async () => {
      const watchesBefore = double.requests.filter((r) => r.watch).length;
      double.dropAllWatches();
      double.update(greeterSlice(port, { a: true, b: true }));
      await bothBackends(client, 20_000);
      assert.ok(double.requests.filter((r) => r.watch).length > watchesBefore, 'watches were opened again');
    });

    await t.test('silent changes + compaction: 410 -> relist, nothing lost', async () => {
      const listsBefore = double.requests.filter((r) => !r.watch && r.method === 'GET').length;
      const logsBefore = kxds.logs.length;
      // Lost in transit: nothing reaches the watches. Then history is compacted and the watches end, so kxds
      // resumes from a version the server no longer has (410 Expired) and must list again. All synchronous,
      // so no bookmark can carry a newer version in between.
      double.update(greeterSlice(port, { a: false, b: true }), { silent: true });
      double.delete(greeterSlice(port, { a: true, b: true }, 'other'), { silent: true });
      double.delete(greeterService('other'), { silent: true });
      double.create(greeterService('third'), { silent: true });
      double.create(greeterSlice(port, { a: true, b: true }, 'third'), { silent: true });
      double.compact();
      double.endAllWatches();
      await onlyBackend(client, '127.0.0.3', 20_000);
      await eventually('LDS with third and without other', () => {
        const lds = latest(ads, 'Listener');
        return listenerOf('third')(lds) && !listenerOf('other')(lds) ? true : undefined;
      });
      const relists = double.requests.filter((r) => !r.watch && r.method === 'GET').length - listsBefore;
      assert.ok(relists >= 1, 'kxds listed again');
      const relistLogs = kxds.logs
        .slice(logsBefore)
        .filter((l) => l.msg === 'listed again')
        .map((l) => String(l.informer));
      assert.ok(relistLogs.includes('EndpointSlice'), `relists logged: ${JSON.stringify(relistLogs)}`);
      // ... and counted, with the reconnects after the dropped watches, for metrics and /debug/cluster.
      const debug = (await (await fetch(`${adminUrl}/debug/cluster`)).json()) as {
        source: { informers: Record<string, { relists: number; reconnects: number }> };
        cluster: { leader: boolean };
      };
      const slices = debug.source.informers['EndpointSlice'];
      assert.ok(slices && slices.relists >= 1 && slices.reconnects >= 1, JSON.stringify(slices));
      assert.equal(debug.cluster.leader, true, 'without election the only replica acts as the leader');
    });

    await t.test(
      'API server answering 503 for 10 s: config kept, traffic flows, then converges',
      async () => {
        const responsesBefore = ads.responses.length;
        const outageMs = 10_000;
        const outageEnds = Date.now() + outageMs;
        double.failWith(503, outageMs);
        // Made during the outage: it can only arrive once the API server is back.
        double.update(greeterSlice(port, { a: true, b: true }));
        const served = new Map<string, number>();
        let calls = 0;
        while (Date.now() < outageEnds - 200) {
          const reply = await sayHello(client, `outage-${calls}`); // any failure fails the test
          served.set(reply.served_by, (served.get(reply.served_by) ?? 0) + 1);
          if (++calls % 20 === 0) assert.equal((await fetch(`${adminUrl}/readyz`)).status, 200);
          await sleep(20);
        }
        assert.ok(calls >= 20, `only ${calls} calls during the outage`);
        assert.deepEqual([...served.keys()], ['127.0.0.3'], 'the last good config stayed in effect');
        assert.ok(
          double.requests.some((r) => r.status === 503 && !r.path.startsWith('/apis/networking')),
          'kxds did try the API server during the outage',
        );
        for (const response of ads.responses.slice(responsesBefore)) {
          assert.ok(
            listenerOf('greeter')(response) || response.typeUrl.endsWith('Cluster'),
            'no listener withdrawn',
          );
        }
        assert.ok(
          ads.responses.slice(responsesBefore).every((r) => r.names.length > 0),
          'nothing was withdrawn during the outage',
        );
        await bothBackends(client, 40_000);
      },
    );

    await t.test('deleted Service: the listener goes away and calls fail UNAVAILABLE', async () => {
      double.delete(greeterSlice(port, { a: true, b: true }));
      double.delete(greeterService());
      await eventually('LDS without greeter', () => {
        const lds = latest(ads, 'Listener');
        return lds && !listenerOf('greeter')(lds) && listenerOf('third')(lds) ? true : undefined;
      });
      await eventually('an UNAVAILABLE call', async () => {
        try {
          await sayHello(client, 'after-delete', 2000);
          return undefined;
        } catch (err) {
          return (err as grpc.ServiceError).code === grpc.status.UNAVAILABLE ? true : undefined;
        }
      });
    });
  },
);
