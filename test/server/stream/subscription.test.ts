// TypeSubscription's wildcard and change rules, which both protocols rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeSubscription } from '../../../src/server/stream/subscription';

test('SotW: the same list again is no change, in any order and with duplicates; another list is', () => {
  const sub = new TypeSubscription('endpoint');
  assert.equal(sub.replace(['a', 'b'], true), true);
  assert.equal(sub.replace(['b', 'a'], false), false);
  assert.equal(sub.replace(['a', 'b', 'a'], false), false, 'duplicates');
  assert.equal(sub.replace(['a', 'a'], false), true, 'b dropped');
  assert.deepEqual([...sub.names], ['a']);
  assert.equal(sub.wants('b'), false);
});

test('SotW: an empty first request is a wildcard only for LDS and CDS', () => {
  const lds = new TypeSubscription('listener');
  assert.equal(lds.replace([], true), true);
  assert.equal(lds.wildcard, true);
  assert.equal(lds.replace([], false), false, 'still the legacy wildcard');
  const eds = new TypeSubscription('endpoint');
  eds.replace([], true);
  assert.equal(eds.wildcard, false);
  assert.equal(eds.wants('a'), false);
});

test('SotW: "*" is a wildcard for any type, with explicit names beside it', () => {
  const eds = new TypeSubscription('endpoint');
  eds.replace(['*', 'a'], true);
  assert.equal(eds.wildcard, true);
  assert.equal(eds.wants('z'), true);
  assert.deepEqual([...eds.names], ['a']);
  assert.equal(eds.replace(['a'], false), true, 'dropping "*" is a change');
  assert.equal(eds.wants('z'), false);
});

test('delta: the legacy wildcard lasts until "*" is unsubscribed; added names and names subscribed twice are reported', () => {
  const cds = new TypeSubscription('cluster');
  assert.deepEqual(cds.update([], [], true), { change: 'all', again: [] });
  assert.equal(cds.wildcard, true);
  assert.deepEqual(
    cds.update(['a'], [], false),
    { change: { added: ['a'] }, again: ['a'] },
    'wanted already',
  );
  assert.equal(cds.wildcard, true, 'naming a resource does not end it');
  assert.deepEqual(cds.update([], ['*'], false), { change: 'all', again: [] });
  assert.equal(cds.wildcard, false);
  assert.equal(cds.wants('a'), true);
  assert.deepEqual(cds.update(['a', 'b'], [], false), { change: { added: ['a', 'b'] }, again: ['a'] });
  assert.deepEqual(cds.update([], ['c'], false), { change: 'none', again: [] }, 'not subscribed: no change');
  assert.deepEqual(cds.update(['c'], ['a'], false), { change: 'all', again: [] }, 'a removal: look at all');
  assert.deepEqual([...cds.names].sort(), ['b', 'c']);
  assert.deepEqual(cds.update(['*'], [], false), { change: 'all', again: [] }, 'the wildcard again: all');
});
