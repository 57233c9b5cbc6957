// The snapshot cache keeps standing groups (retain) and node-chosen groups only while watched: the last
// watcher leaving releases a node-chosen group, and node-chosen groups are capped, refused past the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupLimitError, SnapshotCache } from '../../src/xds/cache';
import { EDGE_GROUP, nodeGroupKey, sidecarGroup, type NodeGroup } from '../../src/xds/node-group';
import { buildSnapshot } from '../../src/xds/snapshot';
import { emptyResourceSet } from '../../src/xds/types';

const snapshotOf = (group: NodeGroup) => buildSnapshot(nodeGroupKey(group), emptyResourceSet(), undefined);

test('a node-chosen group is released when its last watcher leaves, not before', () => {
  const cache = new SnapshotCache();
  const released: string[] = [];
  cache.released$.subscribe((g) => released.push(nodeGroupKey(g)));
  const group = sidecarGroup('shop', false, ['a']);
  const first = cache.watch(group).subscribe();
  const second = cache.watch(group).subscribe();
  cache.setSnapshot(snapshotOf(group));
  assert.deepEqual(cache.watchedGroups(), [group]);
  first.unsubscribe();
  assert.ok(cache.getSnapshot(nodeGroupKey(group)), 'still watched by the second stream');
  second.unsubscribe();
  assert.equal(cache.getSnapshot(nodeGroupKey(group)), undefined);
  assert.equal(cache.size(), 0);
  assert.deepEqual(released, ['sidecar/shop?egress=a']);
  assert.deepEqual(cache.watchedGroups(), []);
});

test('standing groups stay without watchers; retain() drops unwatched groups no longer standing', () => {
  const cache = new SnapshotCache();
  cache.setSnapshot(snapshotOf(EDGE_GROUP));
  const shop = sidecarGroup('shop', false);
  cache.setSnapshot(snapshotOf(shop));
  cache.retain(['edge', 'sidecar/shop']);
  cache.watch(shop).subscribe().unsubscribe();
  assert.deepEqual(cache.groupNames(), ['edge', 'sidecar/shop'], 'standing: kept after its watcher left');
  cache.retain(['edge']); // the namespace went away
  assert.deepEqual(cache.groupNames(), ['edge']);
});

test('requested$ announces a group the first time it is watched, and again after it was released', () => {
  const cache = new SnapshotCache();
  const requested: string[] = [];
  cache.requested$.subscribe((g) => requested.push(nodeGroupKey(g)));
  const group = sidecarGroup('shop', true);
  const a = cache.watch(group).subscribe();
  cache.watch(group).subscribe().unsubscribe();
  a.unsubscribe();
  cache.watch(group).subscribe();
  assert.deepEqual(requested, ['sidecar/shop/transparent', 'sidecar/shop/transparent']);
});

test('past the cap a new node-chosen group is refused; known and standing groups are not', () => {
  const cache = new SnapshotCache({ maxNodeChosenGroups: 2 });
  cache.setSnapshot(snapshotOf(EDGE_GROUP));
  cache.retain(['edge']);
  const a = cache.watch(sidecarGroup('a', false)).subscribe();
  cache.watch(sidecarGroup('b', false)).subscribe();
  assert.throws(
    () => cache.watch(sidecarGroup('c', false)),
    (err: unknown) =>
      err instanceof GroupLimitError &&
      err.group === 'sidecar/c' &&
      /node group "sidecar\/c" refused: 2 groups chosen by node metadata/.test(err.message),
  );
  assert.equal(cache.stats.refused, 1);
  const a2 = cache.watch(sidecarGroup('a', false)).subscribe(); // already there: a second sidecar of it
  cache.watch(EDGE_GROUP).subscribe(); // standing: never counted
  a.unsubscribe();
  assert.throws(() => cache.watch(sidecarGroup('c', false)), GroupLimitError, '"a" is still watched');
  a2.unsubscribe(); // "a" released: its slot is free
  cache.watch(sidecarGroup('c', false)).subscribe();
  assert.deepEqual(cache.watchedGroups().map(nodeGroupKey), ['edge', 'sidecar/b', 'sidecar/c']);
});
