// The informer supervisor on its own: throwing handlers and malformed watch events never become unhandled
// rejections or crashes, and a restart after an error resumes the watch instead of relisting.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { silentLogger } from '../../src/log';
import type { WatchedObject } from '../../src/model/k8s';
import { InformerSupervisor } from '../../src/sources/informer-supervisor';
import { connectKube } from '../../src/sources/kube-client';
import { informerScopes, watchedResource } from '../../src/sources/watched-resources';
import type { ApiServerDouble } from '../k8s-double/api-server-double';
import { FAST_BACKOFF, service, sleep, startDouble, waitFor } from './kube-harness';

describe('InformerSupervisor', () => {
  let double: ApiServerDouble | undefined;
  let supervisor: InformerSupervisor | undefined;
  const escaped: unknown[] = [];
  const onEscape = (err: unknown): void => {
    escaped.push(err);
  };

  afterEach(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    await supervisor?.stop();
    await double?.stop();
    escaped.length = 0;
  });

  async function start(onUpsert: (o: WatchedObject) => void) {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    const started = await startDouble();
    double = started.double;
    double.create(service('good-1'));
    double.create(service('bad'));
    double.create(service('good-2'));
    const client = await connectKube({ kubeconfigPath: started.kubeconfigPath });
    const [scope] = informerScopes(watchedResource('Service'), []);
    assert.ok(scope);
    const seen: string[] = [];
    let synced = 0;
    supervisor = new InformerSupervisor({
      client,
      scope,
      logger: silentLogger,
      backoff: FAST_BACKOFF,
      resyncPeriodMs: 0,
      handlers: {
        upsert: (o) => {
          onUpsert(o);
          seen.push(o.metadata.name);
        },
        delete: (o) => seen.push(`-${o.metadata.name}`),
        synced: () => synced++,
      },
    });
    supervisor.start();
    await waitFor('synced', () => synced === 1);
    await waitFor('the watch', () => started.double.openWatchCount === 1);
    return { double: started.double, supervisor, seen, synced: () => synced };
  }

  test('a handler that throws is counted and skipped; the informer goes on', async () => {
    const { double, supervisor, seen, synced } = await start((o) => {
      if (o.metadata.name.startsWith('bad')) throw new Error('handler bug');
    });
    assert.deepEqual(seen.sort(), ['good-1', 'good-2']);
    double.create(service('bad-2'));
    double.create(service('good-3'));
    await waitFor('good-3', () => seen.includes('good-3'));
    await sleep(100);
    assert.equal(supervisor.counters.handlerErrors, 2);
    assert.equal(synced(), 1);
    assert.deepEqual(escaped, []);
  });

  test('an object whose fields the API would refuse never reaches the model; its last good version stays', async () => {
    const versions = new Map<string, unknown>();
    const { double, supervisor, seen } = await start((o) =>
      versions.set(o.metadata.name, (o as { spec?: unknown }).spec),
    );
    // A Service with ports as a string would make translation throw for every build.
    double.create({ ...service('broken'), spec: { ports: 'x' } });
    double.update({ ...service('good-1'), spec: { ports: [{ name: 'http', port: 'eighty' }] } });
    double.create(service('good-4'));
    await waitFor('good-4', () => seen.includes('good-4'));
    await waitFor('both refused', () => supervisor.counters.refused === 2);
    assert.ok(!seen.includes('broken'), 'the broken Service was not emitted');
    assert.deepEqual(
      (versions.get('good-1') as { ports: unknown }).ports,
      [{ name: 'http', port: 80 }],
      'good-1 keeps its last good version',
    );
    assert.equal(seen.filter((n) => n === 'good-1').length, 1);
    assert.deepEqual(escaped, []);
  });

  test('a malformed watch event restarts the watch without an unhandled rejection', async () => {
    const { double, supervisor, seen } = await start(() => undefined);
    // client-node's async watch handler throws on an object without metadata.
    double.injectIntoWatches(JSON.stringify({ type: 'ADDED', object: { kind: 'Service' } }));
    double.injectIntoWatches('this is not json');
    await sleep(200);
    double.create(service('after'));
    await waitFor('the next event', () => seen.includes('after'));
    assert.deepEqual(escaped, []);
    assert.ok(supervisor.counters.errors >= 1, 'the rejected handler was seen as an error');
  });

  test('after an error it resumes the watch from the last resourceVersion instead of relisting', async () => {
    const { double, supervisor, seen } = await start(() => undefined);
    double.failWith(503, 400);
    const during = double.create(service('during'));
    await waitFor('the change made during the failure', () => seen.includes('during'), 5000);
    assert.equal(supervisor.counters.lists, 1);
    assert.ok(supervisor.counters.restarts >= 1);
    const resumed = double.requests.filter((r) => r.watch && r.status !== 503).pop();
    assert.ok(resumed && Number(resumed.query['resourceVersion']) < Number(during.metadata.resourceVersion));
    assert.deepEqual(escaped, []);
  });
});
