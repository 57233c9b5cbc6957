// Convergence: measured from the first source event to the moment every client of the group holds and has
// ACKed the new versions; groups without clients are not measured; NACKing groups are given up; streams
// joining and leaving a pending group; an ACK reads only the stream that sent it.
import { test } from 'node:test';
import { EDGE_GROUP } from '../../src/xds/node-group';
import assert from 'node:assert/strict';
import { ConvergenceTracker, clientConverged, type ConvergenceView } from '../../src/admin/convergence';
import type { ConnectedClient } from '../../src/server/client-status';
import type { NodeInfo } from '../../src/server/node';
import type { TypeStatus } from '../../src/server/sotw-stream';
import { edgeSnapshot, EDGE_CLUSTER } from '../helpers/edge-fixture';

const snapshot = edgeSnapshot();
const clusterVersion = snapshot.types.cluster.resources.get(EDGE_CLUSTER)?.version ?? '';

function node(id: string): NodeInfo {
  return {
    id,
    role: 'edge',
    userAgent: '',
    group: EDGE_GROUP,
    groupKey: 'edge',
    roleSource: 'metadata',
    grpcDialect: 'grpc',
  };
}

function client(types: TypeStatus[], info = node('n')): ConnectedClient {
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

/** Streams by NodeInfo, as the StreamRegistry holds them; counts the clients read. */
class FakeView implements ConvergenceView {
  readonly streams = new Map<NodeInfo, TypeStatus[]>();
  reads = 0;
  members(group: string): ReadonlySet<NodeInfo> {
    return new Set([...this.streams.keys()].filter((info) => info.groupKey === group));
  }
  clientOf(info: NodeInfo): ConnectedClient | undefined {
    this.reads++;
    const types = this.streams.get(info);
    return types ? client(types, info) : undefined;
  }
}

function tracker(view: ConvergenceView, clock = { now: () => 10_000 }) {
  const observed: number[] = [];
  return { observed, tracker: new ConvergenceTracker(view, (s) => observed.push(s), 60_000, clock) };
}

test('the tracker observes from the first event, once, and forgets groups nobody is connected to', () => {
  let now = 10_000;
  const view = new FakeView();
  const a = node('a');
  view.streams.set(a, [cds(clusterVersion, 'v1')]);
  const { observed, tracker: t } = tracker(view, { now: () => now });

  t.built(['edge'], new Date(9_000));
  t.built(['edge'], new Date(9_500)); // a second build before convergence keeps the older start
  t.acked(a);
  assert.deepEqual(observed, [], 'not converged while the ACK is outstanding');
  now = 10_500;
  view.streams.set(a, [cds(clusterVersion, 'v2')]);
  t.acked(a);
  assert.deepEqual(observed, [1.5]);
  t.acked(a);
  assert.deepEqual(observed, [1.5], 'observed once');

  t.built(['sidecar/x'], new Date(now));
  assert.deepEqual(t.pendingGroups(), [], 'no client of sidecar/x: not measured');

  view.streams.set(a, [cds(clusterVersion, 'v1')]);
  t.built(['edge'], new Date(now));
  now += 61_000;
  t.acked(a);
  assert.deepEqual(t.pendingGroups(), [], 'given up after maxPendingMs');
  assert.deepEqual(observed, [1.5]);
});

test('clients already holding the new config converge at once; the others are waited for', () => {
  const view = new FakeView();
  const done = node('done');
  const late = node('late');
  view.streams.set(done, [cds(clusterVersion, 'v2')]);
  const { observed, tracker: t } = tracker(view);
  t.built(['edge'], new Date(9_000));
  assert.deepEqual(observed, [1], 'every member already converged');

  view.streams.set(late, [cds(clusterVersion, 'v1')]);
  t.built(['edge'], new Date(9_000));
  t.acked(done);
  assert.deepEqual(observed, [1], 'late has not ACKed');
  view.streams.set(late, [cds(clusterVersion, 'v2')]);
  t.acked(late);
  assert.deepEqual(observed, [1, 1]);
});

test('a stream that joins a pending group is waited for; one that leaves is not', () => {
  const view = new FakeView();
  const a = node('a');
  const b = node('b');
  view.streams.set(a, [cds(clusterVersion, 'v1')]);
  const { observed, tracker: t } = tracker(view);
  t.built(['edge'], new Date(9_000));
  view.streams.set(b, [cds(clusterVersion, 'v1')]);
  t.streamOpened(b);
  view.streams.set(a, [cds(clusterVersion, 'v2')]);
  t.acked(a);
  assert.deepEqual(observed, [], 'b joined and has not ACKed');
  view.streams.delete(b);
  t.streamClosed(b);
  assert.deepEqual(observed, [1], 'b left: every remaining member has converged');

  view.streams.set(a, [cds(clusterVersion, 'v1')]);
  t.built(['edge'], new Date(9_000));
  view.streams.delete(a);
  t.streamClosed(a);
  assert.deepEqual(t.pendingGroups(), [], 'the last client left: not measured');
  assert.deepEqual(observed, [1]);
});

test('an ACK reads the stream that sent it, not the other members of its group', () => {
  const view = new FakeView();
  const members = Array.from({ length: 100 }, (_, i) => node(`n${i}`));
  for (const info of members) view.streams.set(info, [cds(clusterVersion, 'v1')]);
  const { observed, tracker: t } = tracker(view);
  t.built(['edge'], new Date(9_000));
  view.reads = 0;
  for (const info of members) {
    view.streams.set(info, [cds(clusterVersion, 'v2')]);
    t.acked(info);
  }
  assert.equal(view.reads, members.length, 'one read per ACK');
  assert.deepEqual(observed, [1]);
});

test('a build that sent every member a response reads none of them; the others are checked', () => {
  const view = new FakeView();
  const members = Array.from({ length: 100 }, (_, i) => node(`n${i}`));
  for (const info of members) view.streams.set(info, [cds(clusterVersion, 'v1')]);
  const { tracker: t } = tracker(view);
  for (const info of members.slice(0, 90)) t.sent(info);
  view.reads = 0;
  t.built(['edge'], new Date(9_000));
  assert.equal(view.reads, 10, 'only the members the build sent nothing');
});
