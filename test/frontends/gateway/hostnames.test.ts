// Gateway API hostname rules: intersection of listener and route hostnames, coverage, specificity, overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hostnameCovers,
  hostnameSpecificity,
  hostnamesOverlap,
  intersectHostnames,
} from '../../../src/frontends/gateway/hostnames';

test('a wildcard covers any depth below its suffix, never the suffix itself', () => {
  assert.equal(hostnameCovers('*.example.com', 'a.example.com'), true);
  assert.equal(hostnameCovers('*.example.com', 'a.b.example.com'), true);
  assert.equal(hostnameCovers('*.example.com', '*.b.example.com'), true);
  assert.equal(hostnameCovers('*.example.com', 'example.com'), false);
  assert.equal(hostnameCovers('*.example.com', 'aexample.com'), false);
  assert.equal(hostnameCovers('foo.example.com', 'foo.example.com'), true);
  assert.equal(hostnameCovers('foo.example.com', '*.example.com'), false);
  assert.equal(hostnameCovers(undefined, 'anything.io'), true);
});

test('route hostnames intersect the listener hostname as the HTTPRoute spec says', () => {
  assert.deepEqual(intersectHostnames(undefined, []), ['*']);
  assert.deepEqual(intersectHostnames('*.example.com', []), ['*.example.com']);
  assert.deepEqual(intersectHostnames(undefined, ['a.io', 'a.io', 'b.io']), ['a.io', 'b.io']);
  // The more specific of the two wins; a route wildcard broader than the listener becomes the listener's.
  assert.deepEqual(
    intersectHostnames('*.foo.example.com', ['*.example.com', 'bar.com', 'abc.foo.example.com']),
    ['*.foo.example.com', 'abc.foo.example.com'],
  );
  assert.deepEqual(intersectHostnames('abc.foo.example.com', ['*.example.com', '*.foo.example.com']), [
    'abc.foo.example.com',
  ]);
  assert.deepEqual(intersectHostnames('*.example.com', ['example.com', 'x.example.org']), []);
});

test('specificity: exact beats wildcard, longer wildcard beats shorter, none is last', () => {
  const order = ['foo.example.com', '*.foo.example.com', '*.example.com', undefined].map(hostnameSpecificity);
  assert.deepEqual(
    [...order].sort((a, b) => b - a),
    order,
  );
});

test('overlap: a listener without hostname overlaps every other', () => {
  assert.equal(hostnamesOverlap('foo.example.com', '*.example.com'), true);
  assert.equal(hostnamesOverlap('foo.example.com', 'foo.example.org'), false);
  assert.equal(hostnamesOverlap(undefined, 'foo.example.org'), true);
});
