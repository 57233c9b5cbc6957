import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '../src/pipeline';
import { SnapshotCache } from '../src/xds/cache';
import { PROXYLESS_GROUP } from '../src/xds/node-group';
import { createLogger, silentLogger } from '../src/log';
import { SubjectSource } from './helpers/subject-source';
import { endpointSlice, service } from './helpers/k8s-fixtures';
import { debounceWithMaxWait } from '../src/debounce';
import { Subject, firstValueFrom } from 'rxjs';
import type { Snapshot } from '../src/xds/snapshot';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(debounceMs = 20, maxWaitMs = 200) {
  const source = new SubjectSource();
  const cache = new SnapshotCache();
  const pipeline = new Pipeline({ source, cache, logger: silentLogger, debounceMs, maxWaitMs });
  const pushes: Snapshot[] = [];
  cache.watch(PROXYLESS_GROUP).subscribe((s) => pushes.push(s));
  return { source, cache, pipeline, pushes };
}

test('nothing is built before the source is synced', async () => {
  const { source, pipeline, pushes } = start();
  source.upsert(service('demo', 'a', [{ port: 80 }]));
  await sleep(100);
  assert.equal(pipeline.readyNow, false);
  assert.equal(pushes.length, 0);
  source.synced();
  await pipeline.whenReady();
  assert.equal(pushes.length, 1);
  pipeline.stop();
});

test('an unchanged model causes no push; a change causes exactly one', async () => {
  const { source, pipeline, pushes } = start();
  const svc = service('demo', 'a', [{ port: 80 }]);
  source.upsert(svc);
  source.synced();
  await pipeline.whenReady();
  source.upsert(structuredClone(svc));
  await sleep(100);
  assert.equal(pushes.length, 1, 'same object again: no push');
  source.upsert(endpointSlice('demo', 'a', 's1', [{ port: 8080 }], [{ ip: '10.0.0.1' }]));
  await sleep(100);
  assert.equal(pushes.length, 2);
  pipeline.stop();
});

test('the same inputs give byte-identical resources and versions, whatever their order', async () => {
  const objects = [
    service('demo', 'a', [{ port: 80 }]),
    service('demo', 'b', [{ name: 'grpc', port: 90 }]),
    endpointSlice(
      'demo',
      'a',
      's1',
      [{ port: 8080 }],
      [
        { ip: '10.0.0.2', zone: 'z2' },
        { ip: '10.0.0.1', zone: 'z1' },
      ],
    ),
  ];
  const one = start();
  one.source.upsert(...objects);
  one.source.synced();
  await one.pipeline.whenReady();
  const two = start();
  two.source.upsert(...[...objects].reverse());
  two.source.synced();
  await two.pipeline.whenReady();
  for (const group of ['proxyless', 'sidecar/demo']) {
    const a = one.cache.getSnapshot(group);
    const b = two.cache.getSnapshot(group);
    assert.ok(a && b);
    assert.equal(a.version, b.version);
    for (const kind of ['listener', 'route', 'cluster', 'endpoint'] as const) {
      const bytesA: string[] = [...a.types[kind].resources.values()].map((r) =>
        Buffer.from(r.anyBytes).toString('hex'),
      );
      const bytesB: string[] = [...b.types[kind].resources.values()].map((r) =>
        Buffer.from(r.anyBytes).toString('hex'),
      );
      assert.deepEqual(bytesA, bytesB);
    }
  }
  one.pipeline.stop();
  two.pipeline.stop();
});

test('a burst of changes becomes one snapshot; constant churn still builds within the max wait', async () => {
  const { source, pipeline, pushes } = start(50, 300);
  source.synced();
  await pipeline.whenReady();
  const before = pushes.length;
  for (let i = 0; i < 20; i++) source.upsert(service('demo', `s${i}`, [{ port: 80 }]));
  await sleep(200);
  assert.equal(pushes.length, before + 1, 'one snapshot for the burst');
  // A change every 30 ms (shorter than the 50 ms quiet period) for 700 ms: the 300 ms max wait forces builds.
  const churnStart = pushes.length;
  for (let i = 0; i < 23; i++) {
    source.upsert(service('demo', 'churn', [{ port: 1000 + i }]));
    await sleep(30);
  }
  assert.ok(pushes.length - churnStart >= 2, `builds during churn: ${pushes.length - churnStart}`);
  pipeline.stop();
});

test('the first build does not wait for the debounce', async () => {
  // A quiet period of a minute: before, the first snapshot waited for it; now it is built at once.
  const { source, pipeline, pushes } = start(60_000, 120_000);
  source.upsert(service('demo', 'a', [{ port: 80 }]));
  source.synced();
  const timeout = new Promise<string>((r) => setTimeout(() => r('still waiting'), 10_000).unref());
  assert.equal(await Promise.race([pipeline.whenReady().then(() => 'built'), timeout]), 'built');
  assert.equal(pushes.length, 1);
  pipeline.stop();
});

test('an exception in a stage is reported and the stream lives on', async () => {
  const { source, pipeline, pushes, cache } = start();
  source.synced();
  await pipeline.whenReady();
  const original = cache.setSnapshot.bind(cache);
  let fail = true;
  cache.setSnapshot = (s) => {
    if (fail) {
      fail = false;
      throw new Error('boom');
    }
    return original(s);
  };
  const errorsBefore = pipeline.counters.buildErrors;
  source.upsert(service('demo', 'x', [{ port: 80 }]));
  await sleep(100);
  assert.equal(pipeline.counters.buildErrors, errorsBefore + 1);
  source.upsert(service('demo', 'y', [{ port: 80 }]));
  await sleep(100);
  assert.ok(
    pushes.some((p) => p.types.cluster.resources.has('demo/y/80')),
    'later changes still arrive',
  );
  pipeline.stop();
});

test('debounceWithMaxWait batches within the quiet period', async () => {
  const input = new Subject<number>();
  const batches: number[][] = [];
  const sub = input.pipe(debounceWithMaxWait(30, 1000)).subscribe((b) => batches.push(b));
  input.next(1);
  input.next(2);
  await sleep(60);
  input.next(3);
  await sleep(60);
  assert.deepEqual(batches, [[1, 2], [3]]);
  sub.unsubscribe();
});

test('each new finding is logged once, typed (object, condition, reason, message), not on every build', async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('warn', { write: (line: string) => lines.push(JSON.parse(line)) });
  const source = new SubjectSource();
  const pipeline = new Pipeline({ source, cache: new SnapshotCache(), logger, debounceMs: 5, maxWaitMs: 50 });
  const odd = service('demo', 'odd', [{ port: 80 }], {}, { 'kxds.io/load-balancer': 'fastest' });
  source.upsert(odd);
  source.synced();
  await firstValueFrom(pipeline.builds$);
  source.upsert(service('demo', 'other', [{ port: 80 }]));
  await firstValueFrom(pipeline.builds$);
  const bad = lines.filter((l) => l['msg'] === 'bad input');
  assert.equal(bad.length, 1, 'logged when it appears, not again on the next build');
  assert.deepEqual(
    [bad[0]?.['object'], bad[0]?.['condition'], bad[0]?.['status'], bad[0]?.['reason']],
    ['Service demo/odd', 'PartiallyInvalid', 'True', 'InvalidAnnotation'],
  );
  assert.match(String(bad[0]?.['message']), /kxds\.io\/load-balancer: unknown value "fastest"/);
  assert.equal(pipeline.statuses.length, 1);
  pipeline.stop();
});
