// The admin modules need only their AdminView, not the App: debug routes, /debug/gateway-status, metrics and
// the status page attach to a view made of a few plain objects here, with no pipeline, cache or xDS server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject } from 'rxjs';
import type { AdminView } from '../../src/admin/admin-view';
import { attachDebugRoutes } from '../../src/admin/debug-routes';
import { attachGatewayStatus } from '../../src/admin/gateway-status';
import { AdminServer } from '../../src/admin/http-server';
import { attachMetrics } from '../../src/admin/metrics';
import { statusState } from '../../src/admin/ui/state';
import type { ObjectStatus } from '../../src/ir/status';
import { silentLogger } from '../../src/log';
import { ModelStore } from '../../src/model/store';
import type { BuildReport } from '../../src/pipeline';
import { StreamEventsHub } from '../../src/server/stream-events-hub';
import { StreamRegistry } from '../../src/server/stream-registry';

const WARNING: ObjectStatus = {
  ref: { group: '', kind: 'Service', namespace: 'shop', name: 'web' },
  conditions: [{ type: 'PartiallyInvalid', status: 'True', reason: 'InvalidAnnotation', message: 'bad' }],
};

test('debug routes, gateway status, metrics and the status page run on a bare AdminView', async () => {
  const admin = new AdminServer(silentLogger, () => undefined);
  const builds = new Subject<BuildReport>();
  const view: AdminView = {
    admin,
    cache: {
      getSnapshot: () => undefined,
      groupNames: () => [],
      size: () => 0,
      stats: { released: 0, refused: 0 },
    },
    pipeline: {
      store: new ModelStore(),
      counters: { sourceEvents: 3, builds: 1, buildErrors: 0, encodeErrors: 0 },
      statuses: [WARNING],
      readyNow: true,
      heldBackFor: () => [],
      builds: () => builds,
    },
    source: { name: 'fake' },
    xds: { registry: new StreamRegistry(() => undefined), connectedClients: () => [] },
    streamEvents: new StreamEventsHub(),
  };
  attachDebugRoutes(view);
  const gatewayStatus = attachGatewayStatus(view);
  const metrics = attachMetrics(view);
  const port = await admin.listen('127.0.0.1:0');
  try {
    const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();
    assert.deepEqual(await get('/debug/warnings'), { statuses: [WARNING] });
    assert.deepEqual(await get('/debug/nodes'), { nodes: [] });
    assert.deepEqual(await get('/debug/gateway-status'), []);
    const state = statusState(view);
    assert.equal(state.source, 'fake');
    assert.deepEqual(state.statuses, [WARNING]);
    assert.equal(state.ready, true);
  } finally {
    gatewayStatus.stop();
    metrics.stop();
    await admin.close();
  }
});
