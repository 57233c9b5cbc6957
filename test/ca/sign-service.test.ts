// The Sign handler's small rules: which bearer tokens are taken and how a requested lifetime is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { bearerToken, validitySeconds } from '../../src/ca/sign-service';

test('a bearer token from the authorization metadata, nothing else', () => {
  const md = (value?: string) => {
    const m = new grpc.Metadata();
    if (value !== undefined) m.set('authorization', value);
    return m;
  };
  assert.equal(bearerToken(md('Bearer abc.def')), 'abc.def');
  assert.equal(bearerToken(md('bearer abc')), 'abc');
  assert.equal(bearerToken(md('Basic abc')), undefined);
  assert.equal(bearerToken(md('Bearer a b')), undefined);
  assert.equal(bearerToken(md()), undefined);
  assert.equal(bearerToken(md(`Bearer ${'x'.repeat(20_000)}`)), undefined, 'oversized');
});

test('a lifetime: 0, junk or more than the maximum means the maximum; short ones are raised to 10 minutes', () => {
  assert.equal(validitySeconds(0, 86400), 86400);
  assert.equal(validitySeconds('junk', 86400), 86400);
  assert.equal(validitySeconds(999_999, 86400), 86400);
  assert.equal(validitySeconds('3600', 86400), 3600);
  assert.equal(validitySeconds(5, 86400), 600);
  assert.equal(validitySeconds(5, 300), 300, 'never above the maximum');
});
