// "Only what changed": through the real pipeline, one EndpointSlice change among many Services encodes one
// resource, keeps every other resource's bytes and version, and sends one EDS response to each SotW stream
// subscribed to that cluster and nothing to the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '../../src/pipeline';
import { SotwStream } from '../../src/server/sotw-stream';
import type { OutgoingResponse } from '../../src/server/discovery-codec';
import { SnapshotCache } from '../../src/xds/cache';
import { PROXYLESS_GROUP } from '../../src/xds/node-group';
import type { EncodedResource } from '../../src/xds/snapshot';
import { silentLogger } from '../../src/log';
import { GROUP_PROXYLESS } from '../../src/translate/translate';
import { TYPE_URLS } from '../../src/xds/types';
import { SubjectSource } from '../helpers/subject-source';
import type { Ingress } from '../../src/model/k8s';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { namesOf } from '../helpers/xds-decode';

const SERVICES = 200;
const svc = (i: number) => service('demo', `s${i}`, [{ name: 'http', port: 80 }]);
const slice = (i: number, ip: string) =>
  endpointSlice('demo', `s${i}`, `s${i}-1`, [{ name: 'http', port: 8080 }], [{ ip }, { ip: '10.99.0.1' }]);

const ingress = (i: number): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: `ing-${i}`, namespace: 'demo' },
  spec: {
    ingressClassName: 'kxds',
    rules: [
      {
        host: `s${i}.example.com`,
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: `s${i}`, port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
});

async function nextBuild(pipeline: Pipeline): Promise<void> {
  await new Promise<void>((resolve) => {
    const sub = pipeline.builds().subscribe(() => {
      sub.unsubscribe();
      resolve();
    });
  });
}

test('one EndpointSlice change among 200 Services: one encode, one EDS response per subscribed SotW stream', async (t) => {
  const source = new SubjectSource();
  for (let i = 0; i < SERVICES; i++) source.upsert(svc(i), slice(i, `10.0.${i % 250}.${1 + (i >> 8)}`));
  // Every seventh Service (s7 among them) is also behind an Ingress: the edge group holds its endpoints too.
  for (let i = 0; i < SERVICES; i += 7) source.upsert(ingress(i));
  source.synced();
  const cache = new SnapshotCache();
  const pipeline = new Pipeline({ source, cache, logger: silentLogger, debounceMs: 5, maxWaitMs: 50 });
  t.after(() => pipeline.stop());
  await pipeline.whenReady();
  const firstAll = new Map(pipeline.snapshotsNow());
  const first = firstAll.get(GROUP_PROXYLESS);
  assert.ok(first);
  // 200 single-port Services x (1 cluster, 1 CLA, 1 route, 6 listener names) for proxyless clients.
  assert.equal(first.types.listener.resources.size + first.types.endpoint.resources.size, SERVICES * 7);
  const total = [...firstAll.values()].reduce(
    (n, snap) => n + Object.values(snap.types).reduce((m, t) => m + t.resources.size, 0),
    0,
  );
  assert.equal(pipeline.encodeStats.encoded, total, 'every resource of every group encoded once');

  const streams = [0, 1, 2].map((i) => {
    const sent: OutgoingResponse[] = [];
    const stream = new SotwStream(
      { write: (r) => (sent.push(r), true), onDrain: () => {} },
      cache,
      () => PROXYLESS_GROUP,
    );
    // Streams 0 and 1 watch s7's endpoints (among others), stream 2 only s8's.
    const names = i < 2 ? ['demo/s7/80', 'demo/s8/80', 'demo/s9/80'] : ['demo/s8/80'];
    stream.handleRequest({ node: { id: `n${i}` }, type_url: TYPE_URLS.endpoint, resource_names: names });
    stream.handleRequest({ node: { id: `n${i}` }, type_url: TYPE_URLS.cluster });
    t.after(() => stream.close());
    return sent;
  });
  const sentBefore = streams.map((s) => s.length);

  const encodedBefore = pipeline.encodeStats.encoded;
  source.upsert(slice(7, '10.7.7.7'));
  await nextBuild(pipeline);
  const groupsWithIt = [...firstAll.values()].filter((snap) =>
    snap.types.endpoint.resources.has('demo/s7/80'),
  );
  assert.deepEqual(groupsWithIt.map((g) => g.group).sort(), ['edge', 'proxyless', 'sidecar/demo']);
  assert.equal(
    pipeline.encodeStats.encoded - encodedBefore,
    groupsWithIt.length,
    'exactly one resource encoded per group that holds it',
  );

  for (const [group, before] of firstAll) {
    const after = pipeline.snapshotsNow().get(group);
    assert.ok(after);
    for (const kind of ['listener', 'route', 'cluster', 'endpoint', 'secret'] as const) {
      const now: ReadonlyMap<string, EncodedResource> = after.types[kind].resources;
      const then: ReadonlyMap<string, EncodedResource> = before.types[kind].resources;
      for (const name of now.keys()) {
        if (kind === 'endpoint' && name === 'demo/s7/80') continue;
        assert.ok(now.get(name) === then.get(name), `${group} ${kind} ${name} kept as is`);
      }
    }
  }

  const next = cache.getSnapshot(GROUP_PROXYLESS);
  assert.ok(next);
  for (const kind of ['listener', 'route', 'cluster', 'endpoint'] as const) {
    const before: ReadonlyMap<string, EncodedResource> = first.types[kind].resources;
    const after: ReadonlyMap<string, EncodedResource> = next.types[kind].resources;
    for (const [name, resource] of after) {
      if (kind === 'endpoint' && name === 'demo/s7/80') {
        assert.notEqual(resource.version, before.get(name)?.version);
        continue;
      }
      assert.equal(resource, before.get(name), `${kind} ${name} kept as is (bytes and version)`);
    }
  }
  assert.equal(next.types.cluster, first.types.cluster, 'the cluster type snapshot is unchanged');

  for (const i of [0, 1]) {
    const fresh = (streams[i] ?? []).slice(sentBefore[i]);
    assert.equal(fresh.length, 1, `stream ${i}: one response`);
    assert.equal(fresh[0]?.typeUrl, TYPE_URLS.endpoint);
    assert.ok(namesOf(fresh[0]?.resources ?? []).includes('demo/s7/80'));
  }
  assert.equal((streams[2] ?? []).length, sentBefore[2], 'a stream not subscribed to it gets nothing');
});
