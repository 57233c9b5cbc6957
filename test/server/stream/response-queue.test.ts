// ResponseQueue: at most one pending answer per type while the transport is full, answered on drain in
// push order (SDS, CDS, EDS, LDS, RDS), and a transport that fills again mid-drain keeps the rest pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseQueue } from '../../../src/server/stream/response-queue';
import type { ResourceKind } from '../../../src/xds/types';

test('while full, each type waits once; drain answers them SDS, CDS, EDS, LDS, RDS', () => {
  const answered: ResourceKind[] = [];
  const queue = new ResponseQueue((kind) => answered.push(kind));
  queue.request('listener');
  assert.deepEqual(answered, ['listener'], 'answered at once while there is room');
  queue.full();
  for (const kind of ['route', 'listener', 'endpoint', 'secret', 'cluster', 'route', 'endpoint'] as const)
    queue.request(kind);
  assert.deepEqual(answered, ['listener']);
  queue.drain();
  assert.deepEqual(answered.slice(1), ['secret', 'cluster', 'endpoint', 'listener', 'route']);
});

test('a transport that fills again during drain keeps the remaining types for the next drain', () => {
  const answered: ResourceKind[] = [];
  const queue: ResponseQueue = new ResponseQueue((kind) => {
    answered.push(kind);
    if (kind === 'cluster') queue.full();
  });
  queue.full();
  queue.request('route');
  queue.request('cluster');
  queue.drain();
  assert.deepEqual(answered, ['cluster']);
  queue.drain();
  assert.deepEqual(answered, ['cluster', 'route']);
});
