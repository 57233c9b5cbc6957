// The xDS port over real gRPC: NACK handling, health, shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { AdsTestClient } from '../helpers/ads-client';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { healthStatus } from '../helpers/health-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function controlPlane() {
  const source = new SubjectSource();
  source.upsert(
    service('demo', 'greeter', [{ name: 'grpc', port: 50051 }]),
    endpointSlice('demo', 'greeter', 'g1', [{ name: 'grpc', port: 9000 }], [{ ip: '10.0.0.1' }]),
  );
  source.synced();
  const cp = await startControlPlane(source);
  await cp.pipeline.whenReady();
  return { cp, source };
}

test('a NACK is recorded and the rejected config is not re-sent in a loop', { timeout: 20000 }, async (t) => {
  const { cp, source } = await controlPlane();
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, { id: 'nacker', metadata: { 'kxds.io/role': 'proxyless' } });
  client.request('cluster');
  const first = await client.waitFor('cluster');
  // NACK it, and keep re-requesting with the NACK as a looping client would.
  for (let i = 0; i < 5; i++) client.request('cluster', [], first, 'cluster rejected: test');
  await sleep(500);
  assert.equal(client.count('cluster'), 1, 'no re-send of the NACKed version');
  const stream = cp.server.activeStreams()[0];
  assert.equal(stream?.status().find((s) => s.kind === 'cluster')?.nack?.message, 'cluster rejected: test');
  // New config is still delivered after a NACK.
  source.upsert(service('demo', 'other', [{ port: 80 }]));
  const second = await client.waitFor('cluster', 2);
  assert.notEqual(second.versionInfo, first.versionInfo);
  assert.deepEqual(second.names.sort(), ['demo/greeter/50051', 'demo/other/80']);
  client.close();
});

test('grpc.health.v1 reports SERVING once the first snapshot is built', { timeout: 20000 }, async (t) => {
  const { cp } = await controlPlane();
  t.after(() => cp.stop());
  assert.equal(await healthStatus(cp.address), 'SERVING');
});

test('shutdown ends open streams and stops accepting', { timeout: 20000 }, async (t) => {
  const { cp } = await controlPlane();
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, { id: 'x', metadata: { 'kxds.io/role': 'proxyless' } });
  client.request('cluster');
  await client.waitFor('cluster');
  const started = Date.now();
  await cp.server.shutdown(3000);
  assert.ok(Date.now() - started < 3500);
  await sleep(100);
  const late = new AdsTestClient(cp.address, { id: 'late' });
  late.request('cluster');
  await sleep(500);
  assert.ok(late.error, 'a new stream is refused after shutdown');
  client.close();
  late.close();
});

test('malformed request bytes fail that stream only', { timeout: 20000 }, async (t) => {
  const { cp } = await controlPlane();
  t.after(() => cp.stop());
  const raw = new grpc.Client(cp.address, grpc.credentials.createInsecure());
  const call = raw.makeBidiStreamRequest(
    '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
    (b: Buffer) => b,
    (b: Buffer) => b,
  );
  const failed = new Promise<grpc.ServiceError>((resolve) => call.on('error', resolve));
  call.write(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
  const err = await failed;
  assert.notEqual(err.code, grpc.status.OK);
  const good = new AdsTestClient(cp.address, { id: 'good', metadata: { 'kxds.io/role': 'proxyless' } });
  good.request('cluster');
  await good.waitFor('cluster');
  good.close();
  raw.close();
});
