// Node-chosen groups over real ADS streams (SotW and delta) on loopback: 1,000 short sidecar streams with distinct namespace
// and egress metadata leave the cache and the pipeline where they started once they close, and the next build
// translates only the groups still in use; past --max-node-groups a stream is refused with RESOURCE_EXHAUSTED
// and gets in once a slot is released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { firstValueFrom } from 'rxjs';
import { silentLogger } from '../../src/log';
import { AdsTestClient, adsChannel } from '../helpers/ads-client';
import { DeltaTestClient } from '../helpers/delta-client';
import { jsonToStruct } from '../../src/xds/struct';
import { TYPE_URLS } from '../../src/xds/types';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { SubjectSource } from '../helpers/subject-source';

async function start(
  maxNodeGroups?: number,
): Promise<{ app: TestControlPlane; address: string; source: SubjectSource }> {
  const source = new SubjectSource();
  source.upsert(
    service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]),
    endpointSlice('demo', 'greeter', 'g-1', [{ name: 'grpc', port: 50051 }], [{ ip: '10.0.0.1' }]),
  );
  source.synced();
  // 1,000 streams in bursts of 50 on one connection: the limits on new streams and streams per connection
  // (tested in connection-limits.test.ts) are lifted here.
  const app = await startControlPlane(
    source,
    silentLogger,
    5,
    {},
    {
      xdsLimits: { newStreamsPerSecond: 0, maxConcurrentStreams: 100 },
      ...(maxNodeGroups ? { maxNodeGroups } : {}),
    },
  );
  await app.pipeline.whenReady();
  return { app, address: app.address, source };
}

const sidecar = (i: number, extra: Record<string, string> = {}) => ({
  id: `pod-${i}.ns-${i}`,
  locality: {},
  metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': `ns-${i}`, ...extra },
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test(
  '1,000 short streams with distinct node groups leave the group count where it started',
  { timeout: 180_000 },
  async (t) => {
    const { app, address, source } = await start();
    t.after(() => app.stop());
    const standing = ['edge', 'proxyless', 'sidecar/demo'];
    assert.deepEqual(app.cache.groupNames(), standing);
    assert.deepEqual([...app.pipeline.snapshotsNow().keys()].sort(), standing);
    const channel = adsChannel(address);
    t.after(() => channel.close());
    let peak = 0;
    for (let batch = 0; batch < 20; batch++) {
      const clients = Array.from({ length: 50 }, (_, k) => {
        const i = batch * 50 + k;
        // Half of them also name an egress list: a distinct group per stream either way.
        const metadata: Record<string, string> = i % 2 ? { 'kxds.io/egress-namespaces': `demo,e-${i}` } : {};
        return new AdsTestClient(address, sidecar(i, metadata), undefined, channel);
      });
      for (const c of clients) c.request('listener');
      // Each stream is served (its group was built), then all of them go away.
      await Promise.all(clients.map((c) => c.waitFor('listener', 1, 20_000)));
      peak = Math.max(peak, app.cache.size());
      for (const c of clients) c.close();
    }
    assert.ok(peak > standing.length, `groups were created while streams were open (peak ${peak})`);
    await until('the departed groups to be released', () => app.cache.size() === standing.length);
    assert.deepEqual(app.cache.groupNames(), standing);
    assert.equal(app.cache.stats.released, 1000);
    assert.deepEqual([...app.pipeline.snapshotsNow().keys()].sort(), standing);

    // One live node-chosen group, then a model change: the build translates the standing groups and it only.
    const live = new AdsTestClient(
      address,
      sidecar(5000, { 'kxds.io/capture': 'iptables' }),
      undefined,
      channel,
    );
    t.after(() => live.close());
    live.request('listener');
    await live.waitFor('listener');
    const next = firstValueFrom(app.pipeline.builds$);
    source.upsert(service('demo', 'other', [{ port: 80 }]));
    const build = await next;
    assert.deepEqual(
      [...build.result.groups.keys()].sort(),
      [...standing, 'sidecar/ns-5000/transparent'].sort(),
    );
  },
);

test(
  'past --max-node-groups a stream is refused with RESOURCE_EXHAUSTED; a released slot admits it',
  { timeout: 60_000 },
  async (t) => {
    const { app, address } = await start(2);
    t.after(() => app.stop());
    const channel = adsChannel(address);
    t.after(() => channel.close());
    const open = (i: number) => {
      const c = new AdsTestClient(address, sidecar(i), undefined, channel);
      t.after(() => c.close());
      c.request('listener');
      return c;
    };
    const first = open(1);
    await first.waitFor('listener');
    await open(2).waitFor('listener');
    const refused = open(3);
    const status = await refused.ended();
    assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(status.details, /node group "sidecar\/ns-3" refused: 2 groups chosen by node metadata/);
    // A sidecar of a standing namespace is never refused.
    const standing = new AdsTestClient(
      address,
      { ...sidecar(9), metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': 'demo' } },
      undefined,
      channel,
    );
    t.after(() => standing.close());
    standing.request('listener');
    await standing.waitFor('listener');

    first.close();
    await until('the first group to be released', () => app.cache.stats.released === 1);
    const retried = open(3);
    await retried.waitFor('listener');
    assert.equal(retried.status, undefined, 'served, not refused');

    const metrics = await (await fetch(`${app.adminUrl}/metrics`)).text();
    assert.match(metrics, /^kxds_node_groups_refused_total 1$/m);
    assert.match(metrics, /^kxds_node_groups_released_total 1$/m);
    // edge, proxyless, sidecar/demo (standing) + sidecar/ns-2 and sidecar/ns-3 (node-chosen, watched)
    assert.match(metrics, /^kxds_node_groups 5$/m);
  },
);

test(
  'delta streams hold and release node-chosen groups the same way, and are refused the same way',
  { timeout: 60_000 },
  async (t) => {
    const { app, address } = await start(1);
    t.after(() => app.stop());
    const open = (i: number) => {
      const c = new DeltaTestClient(address);
      t.after(() => c.close());
      const { metadata, ...node } = sidecar(i);
      c.send({ node: { ...node, metadata: jsonToStruct(metadata) }, type_url: TYPE_URLS.listener });
      return c;
    };
    const first = open(1);
    await first.next();
    const refused = open(2);
    await until('the refusal', () => refused.error !== undefined);
    assert.equal((refused.error as grpc.ServiceError).code, grpc.status.RESOURCE_EXHAUSTED);
    first.close();
    await until('the first group to be released', () => app.cache.stats.released === 1);
    await open(2).next();
    assert.deepEqual(app.cache.groupNames(), ['edge', 'proxyless', 'sidecar/demo', 'sidecar/ns-2']);
  },
);
