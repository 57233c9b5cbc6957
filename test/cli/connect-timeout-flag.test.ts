// kxds serve --connect-timeout: a duration above zero, refused with the flag's name otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectTimeoutFlag } from '../../src/commands/serve';

test('--connect-timeout takes durations above zero', () => {
  assert.equal(connectTimeoutFlag('5s'), 5000);
  assert.equal(connectTimeoutFlag('750ms'), 750);
  assert.equal(connectTimeoutFlag('1m'), 60_000);
  for (const bad of ['0s', '0', 'soon', '5'])
    assert.throws(() => connectTimeoutFlag(bad), /--connect-timeout: ".*" is not a duration above zero/);
});
