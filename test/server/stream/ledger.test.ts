// TypeLedger and InFlightNonces: what a stream remembers of what it sent and what the client answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlightNonces, TypeLedger } from '../../../src/server/stream/ledger';

test('forget drops held and forced names the client no longer wants', () => {
  const ledger = new TypeLedger('endpoint');
  ledger.held.set('a', 'v1').set('b', 'v1');
  ledger.force.add('a').add('b');
  ledger.forget((name) => name === 'a');
  assert.deepEqual([...ledger.held.keys()], ['a']);
  assert.deepEqual([...ledger.force], ['a']);
});

test('an ACK clears the NACK; a NACK keeps the last ACKed version and says why', () => {
  const ledger = new TypeLedger('cluster');
  ledger.recordSent('v1', '1');
  ledger.recordAck('v1');
  ledger.recordSent('v2', '2');
  const nack = ledger.recordNack('v2', '2', { code: 3 });
  assert.deepEqual(
    [nack.version, nack.message, ledger.ackedVersion, ledger.awaitingReply],
    ['v2', 'code 3', 'v1', false],
  );
  ledger.recordSent('v3', '3');
  ledger.recordAck('v3');
  assert.equal(ledger.status(false, new Set()).nack, undefined);
});

test('in-flight nonces match their own type only, and the oldest is forgotten past the limit', () => {
  const flights = new InFlightNonces(2);
  flights.add('1', 'cluster', 'c1');
  flights.add('2', 'endpoint', 'e1');
  assert.equal(flights.take('2', 'cluster'), undefined, 'another type');
  flights.add('3', 'cluster', 'c2');
  assert.equal(flights.take('1', 'cluster'), undefined, 'forgotten');
  assert.deepEqual(flights.take('3', 'cluster'), { kind: 'cluster', version: 'c2' });
  assert.equal(flights.take('3', 'cluster'), undefined, 'taken once');
  assert.equal(flights.unacked('endpoint'), 1);
});
