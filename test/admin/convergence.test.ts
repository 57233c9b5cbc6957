// Convergence: measured from the first source event to the moment every client of the group holds and has
// ACKed the new versions; groups without clients are not measured; NACKing groups are given up.
import { test } from 'node:test';
import { EDGE_GROUP } from '../../src/xds/node-group';
import assert from 'node:assert/strict';
import { ConvergenceTracker, clientConverged } from '../../src/admin/convergence';
import type { ConnectedClient } from '../../src/server/client-status';
import type { TypeStatus } from '../../src/server/sotw-stream';
import { edgeSnapshot, EDGE_CLUSTER } from '../helpers/edge-fixture';

const snapshot = edgeSnapshot();
const clusterVersion = snapshot.types.cluster.resources.get(EDGE_CLUSTER)?.version ?? '';

function client(types: TypeStatus[]): ConnectedClient {
  const info = {
    id: 'n',
    role: 'edge' as const,
    userAgent: '',
    group: EDGE_GROUP,
    groupKey: 'edge',
    roleSource: 'metadata' as const,
    grpcDialect: 'grpc' as const,
  };
  return { protocol: 'sotw', info, openedAt: new Date(), lastSeen: new Date(), types, snapshot };
}
const cds = (sent: string, acked?: string): TypeStatus => ({
  kind: 'cluster',
  wildcard: true,
  subscribed: [],
  sent: new Map([[EDGE_CLUSTER, sent]]),
  sentVersion: 'v2',
  ...(acked ? { ackedVersion: acked } : {}),
});

test('a client has converged when it ACKed what it was sent and that is the snapshot version', () => {
  assert.equal(clientConverged(client([cds(clusterVersion, 'v2')])), true);
  assert.equal(clientConverged(client([cds(clusterVersion, 'v1')])), false, 'ACK outstanding');
  assert.equal(clientConverged(client([cds('old', 'v2')])), false, 'holds an older resource');
});

test('the tracker observes from the first event, once, and forgets groups nobody is connected to', () => {
  let now = 10_000;
  const clock = { now: () => now };
  let clients: ConnectedClient[] = [client([cds(clusterVersion, 'v1')])];
  const observed: number[] = [];
  const tracker = new ConvergenceTracker(
    () => clients,
    (s) => observed.push(s),
    60_000,
    clock,
  );

  tracker.built(['edge'], new Date(9_000));
  tracker.built(['edge'], new Date(9_500)); // a second build before convergence keeps the older start
  tracker.check('edge');
  assert.deepEqual(observed, [], 'not converged while the ACK is outstanding');
  now = 10_500;
  clients = [client([cds(clusterVersion, 'v2')])];
  tracker.check('edge');
  assert.deepEqual(observed, [1.5]);
  tracker.check('edge');
  assert.deepEqual(observed, [1.5], 'observed once');

  tracker.built(['sidecar/x'], new Date(now));
  tracker.check();
  assert.deepEqual(tracker.pendingGroups(), [], 'no client of sidecar/x: not measured');

  clients = [client([cds(clusterVersion, 'v1')])];
  tracker.built(['edge'], new Date(now));
  now += 61_000;
  tracker.check();
  assert.deepEqual(tracker.pendingGroups(), [], 'given up after maxPendingMs');
  assert.deepEqual(observed, [1.5]);
});
