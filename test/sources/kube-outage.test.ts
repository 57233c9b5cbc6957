// An API server that answers 503 for a while: the source emits nothing (above all no deletes) during the
// outage and converges on every change made meanwhile once it is back. The issue asks for 10 s; the
// duration can be shortened with KXDS_OUTAGE_MS for quick local runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doubleState, service, sleep, startDouble, startSource, tlsSecret, waitFor } from './kube-harness';

const OUTAGE_MS = Number(process.env['KXDS_OUTAGE_MS'] ?? 10_000);
const KINDS = [
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Secret' },
];

test(
  `API server answering 503 for ${OUTAGE_MS} ms: nothing withdrawn, then converges`,
  { timeout: OUTAGE_MS + 30_000 },
  async () => {
    const { double, kubeconfigPath } = await startDouble();
    double.create(service('web'));
    double.create(service('api'));
    double.create(tlsSecret('web-tls'));
    const { source, recorder } = await startSource(kubeconfigPath, { kinds: ['Service', 'Secret'] });
    try {
      await waitFor('synced', () => recorder.syncedCount === 1);
      const mark = recorder.events.length;
      double.failWith(503, OUTAGE_MS);
      const lastSeen = double.get('v1', 'Service', 'api', 'default');
      double.delete(service('api'));
      const added = double.create(service('new'));
      double.compact();
      await sleep(OUTAGE_MS - 500);
      assert.deepEqual(recorder.since(mark), [], 'events during the outage');
      const failures = double.requests.filter((r) => r.status === 503).length;
      assert.ok(failures >= 4, `the informers kept retrying (${failures} failed requests)`);
      await waitFor(
        'convergence',
        () =>
          JSON.stringify([...recorder.state()].sort()) ===
          JSON.stringify([...doubleState(double, KINDS)].sort()),
        15_000,
      );
      await sleep(300);
      assert.deepEqual(recorder.since(mark).sort(), [
        // History was compacted during the outage, so the relist finds the deletion: last seen version.
        `delete Service default/api@${lastSeen?.metadata.resourceVersion}`,
        `upsert Service default/new@${added.metadata.resourceVersion}`,
      ]);
      assert.equal(recorder.syncedCount, 1);
      const stats = source.stats();
      assert.ok(stats.totals.errors >= 2 && stats.totals.restarts >= 2, JSON.stringify(stats.totals));
    } finally {
      await source.stop();
      await double.stop();
    }
  },
);
