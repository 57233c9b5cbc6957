// The xDS port's per-connection limits over real gRPC on loopback: request size, streams per connection,
// the new-stream rate, and the max connection age that sends proxies to reconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { AdsTestClient, adsChannel } from '../helpers/ads-client';
import { service } from '../helpers/k8s-fixtures';
import type { AppOptions } from '../../src/app';
import { StreamAdmission } from '../../src/server/connection-limits';

const proxyless = (id: string) => ({ id, metadata: { 'kxds.io/role': 'proxyless' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function controlPlane(xdsLimits: AppOptions['xdsLimits']) {
  const source = new SubjectSource();
  source.upsert(service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]));
  source.synced();
  const cp = await startControlPlane(source, undefined, 20, {}, { xdsLimits });
  await cp.pipeline.whenReady();
  return cp;
}

test('a request over the size limit ends its stream with RESOURCE_EXHAUSTED; one under it is served', async (t) => {
  const cp = await controlPlane({ maxReceiveMessageBytes: 256 * 1024 });
  t.after(() => cp.stop());
  const big = new AdsTestClient(cp.address, proxyless('x'.repeat(300 * 1024)));
  t.after(() => big.close());
  big.request('cluster');
  const status = await big.ended();
  assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
  assert.match(status.details, /larger than max/);
  const small = new AdsTestClient(cp.address, proxyless('y'.repeat(200 * 1024)));
  t.after(() => small.close());
  small.request('cluster');
  await small.waitFor('cluster');
});

test('a stream past the per-connection limit never reaches the server; other connections go on', async (t) => {
  const cp = await controlPlane({ maxConcurrentStreams: 1 });
  t.after(() => cp.stop());
  const channel = adsChannel(cp.address);
  t.after(() => channel.close());
  const first = new AdsTestClient(cp.address, proxyless('first'), undefined, channel);
  t.after(() => first.close());
  first.request('cluster');
  await first.waitFor('cluster');
  const second = new AdsTestClient(cp.address, proxyless('second'), undefined, channel);
  t.after(() => second.close());
  second.request('cluster');
  // HTTP/2 holds it on the client side (MAX_CONCURRENT_STREAMS); without the limit it is served at once.
  await sleep(300);
  assert.equal(second.count('cluster'), 0);
  assert.deepEqual(
    cp.server.activeStreams().map((s) => s.info?.id),
    ['first'],
  );
  const otherConnection = adsChannel(cp.address);
  t.after(() => otherConnection.close());
  const elsewhere = new AdsTestClient(cp.address, proxyless('elsewhere'), undefined, otherConnection);
  t.after(() => elsewhere.close());
  elsewhere.request('cluster');
  await elsewhere.waitFor('cluster');
});

test('new streams past the rate and burst are refused with RESOURCE_EXHAUSTED and a message', async (t) => {
  const cp = await controlPlane({ newStreamsPerSecond: 0.001, newStreamsBurst: 2 });
  t.after(() => cp.stop());
  const clients = ['a', 'b', 'c'].map((id) => new AdsTestClient(cp.address, proxyless(id)));
  t.after(() => clients.forEach((c) => c.close()));
  for (const client of clients.slice(0, 2)) {
    client.request('cluster');
    await client.waitFor('cluster');
  }
  const third = clients[2]!;
  third.request('cluster');
  const status = await third.ended();
  assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
  assert.match(status.details, /new xDS streams a second \(burst 2\); retry with backoff/);
});

test('past the max connection age and its grace the stream ends, and the client reconnects', async (t) => {
  const cp = await controlPlane({ maxConnectionAgeMs: 300, maxConnectionAgeGraceMs: 200 });
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, proxyless('aged'));
  t.after(() => client.close());
  client.request('cluster');
  await client.waitFor('cluster');
  const status = await client.ended(5000);
  assert.notEqual(status.code, grpc.status.OK, `stream ended by the connection's age: ${status.details}`);
  const again = new AdsTestClient(cp.address, proxyless('aged'));
  t.after(() => again.close());
  again.request('cluster');
  await again.waitFor('cluster');
});

test('the new-stream bucket refills at its rate and never holds more than its burst', () => {
  let now = 0;
  const bucket = new StreamAdmission(2, 3, () => now);
  assert.deepEqual(
    [1, 2, 3, 4].map(() => bucket.tryTake()),
    [true, true, true, false],
  );
  now += 500; // one token back at 2 a second
  assert.deepEqual([bucket.tryTake(), bucket.tryTake()], [true, false]);
  now += 60_000; // a long quiet spell refills to the burst, not beyond
  assert.deepEqual(
    [1, 2, 3, 4].map(() => bucket.tryTake()),
    [true, true, true, false],
  );
  assert.equal(
    new StreamAdmission(0, 1).tryTake() && new StreamAdmission(0, 1).tryTake(),
    true,
    'rate 0: no limit',
  );
});
