// Recovery of the Kubernetes source: after an outage the informers restart as soon as the API server
// answers (not when a long restart backoff runs out), and a watch whose resourceVersion the API server
// has not reached ("Too large resource version", here after etcd was restored from a backup) makes the
// informer list again instead of retrying that version forever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectStore } from '../k8s-double/object-store';
import { doubleState, service, sleep, startDouble, startSource, waitFor } from './kube-harness';

const SERVICES = [{ apiVersion: 'v1', kind: 'Service' }];
const converged = (recorder: { state(): Map<string, string> }, double: Parameters<typeof doubleState>[0]) =>
  JSON.stringify([...recorder.state()].sort()) === JSON.stringify([...doubleState(double, SERVICES)].sort());

test(
  'after an outage the informers restart as soon as the API server answers',
  { timeout: 40_000 },
  async () => {
    const { double, kubeconfigPath } = await startDouble();
    double.create(service('web'));
    // A first restart delay of 15 s: only the recovery probe can bring the informer back sooner.
    const { source, recorder } = await startSource(kubeconfigPath, {
      kinds: ['Service'],
      backoff: { initialMs: 15_000, maxMs: 15_000, jitter: 0 },
    });
    try {
      await waitFor('synced', () => recorder.syncedCount === 1);
      double.failWith(503, 1500);
      await waitFor('the informer noticed', () => source.stats().totals.errors >= 1);
      double.create(service('added-meanwhile'));
      await sleep(1600);
      await waitFor('convergence', () => converged(recorder, double), 5000);
      const restarts = source.stats().totals.restarts;
      assert.equal(restarts, 1, 'restarted once, by the probe, long before the 15 s backoff');
    } finally {
      await source.stop();
      await double.stop();
    }
  },
);

test(
  '"Too large resource version" after an etcd restore: the informer lists again',
  { timeout: 30_000 },
  async () => {
    const { double, kubeconfigPath } = await startDouble();
    for (let i = 0; i < 20; i++) double.create(service(`old-${i}`));
    const { source, recorder } = await startSource(kubeconfigPath, { kinds: ['Service'] });
    try {
      await waitFor('synced', () => recorder.syncedCount === 1);
      const restored = new ObjectStore();
      restored.create(service('old-1'));
      restored.create(service('from-backup'));
      assert.ok(restored.currentRv < double.store.currentRv, 'the backup is behind what the informer saw');
      double.restoreStore(restored);
      await waitFor('convergence on the restored store', () => converged(recorder, double), 15_000);
      const watches = double.requests.filter((r) => r.watch && r.status === 504);
      assert.ok(watches.length >= 1, 'the API server answered "Too large resource version"');
      assert.ok(source.stats().totals.relists >= 1);
    } finally {
      await source.stop();
      await double.stop();
    }
  },
);
