// Gateway node groups served over a real ADS stream: an edge announcing kxds.io/gateway NS/NAME gets that
// Gateway's listeners (and nothing of the Ingress edge); one naming a Gateway kxds does not serve gets an
// empty answer and its group is released when it leaves; a malformed name is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { AdsTestClient } from '../helpers/ads-client';
import { startControlPlane } from '../helpers/control-plane';
import { SubjectSource } from '../helpers/subject-source';
import { FakeGatewayFrontend, gatewayIr, irRoute } from '../helpers/gateway-ir';

const web = { namespace: 'infra', name: 'web' };

async function start() {
  const fake = new FakeGatewayFrontend();
  fake.gateways = [
    { ...web, ir: gatewayIr(web, [irRoute('/', [{ cluster: 'demo/echo/80', weight: 100 }])]) },
  ];
  const source = new SubjectSource();
  source.synced();
  const cp = await startControlPlane(source, undefined, 20, {}, { gatewayFrontend: fake.translate });
  await cp.pipeline.whenReady();
  return cp;
}

const gatewayNode = (ref: string) => ({
  id: 'gw-envoy',
  metadata: { 'kxds.io/role': 'edge', 'kxds.io/gateway': ref },
});

test('an edge announcing kxds.io/gateway receives that Gateway, not the Ingress edge', async (t) => {
  const cp = await start();
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, gatewayNode('infra/web'));
  t.after(() => client.close());
  client.request('listener');
  const lds = await client.waitFor('listener');
  assert.deepEqual(lds.names, ['infra/web/8080']);
  client.request('cluster');
  assert.deepEqual((await client.waitFor('cluster')).names, ['demo/echo/80']);
  // As Envoy does: the cluster's endpoints, then the listener's routes (which wait for those endpoints).
  client.request('endpoint', ['demo/echo/80']);
  assert.deepEqual((await client.waitFor('endpoint')).names, ['demo/echo/80']);
  client.request('route', ['infra/web/8080']);
  assert.deepEqual((await client.waitFor('route')).names, ['infra/web/8080']);
});

test('a Gateway kxds does not serve is answered empty, and its group is released when the Envoy leaves', async (t) => {
  const cp = await start();
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, gatewayNode('infra/gone'));
  client.request('listener');
  const lds = await client.waitFor('listener');
  assert.deepEqual(lds.names, []);
  assert.ok(cp.cache.isWatched('gateway/infra/gone'));
  client.close();
  const deadline = Date.now() + 10_000;
  while (cp.cache.size() > 0 && cp.cache.getSnapshot('gateway/infra/gone') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(cp.cache.getSnapshot('gateway/infra/gone'), undefined);
  assert.ok(cp.cache.getSnapshot('gateway/infra/web'), 'the served Gateway stays (standing)');
});

test('a kxds.io/gateway that is not NAMESPACE/NAME ends the stream with PERMISSION_DENIED', async (t) => {
  const cp = await start();
  t.after(() => cp.stop());
  const client = new AdsTestClient(cp.address, gatewayNode('web'));
  t.after(() => client.close());
  client.request('listener');
  const status = await client.ended();
  assert.equal(status.code, grpc.status.PERMISSION_DENIED);
  assert.match(status.details, /kxds.io\/gateway "web" names no Gateway/);
});
