// The plaintext proxyless port (--xds-proxyless-address) authenticates nobody, so it must serve nothing but
// the proxyless ADS and gRPC health: no CSDS, no reflection, and never an edge's config or Secrets, even to
// a node that claims the edge role. Real gRPC on loopback against kxds fed by a real TLS Ingress manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startApp, type App } from '../../src/app';
import { silentLogger } from '../../src/log';
import { ManifestSource } from '../../src/sources/manifest-source';
import { AdsTestClient } from '../helpers/ads-client';
import { csdsClient } from '../helpers/csds-client';
import { healthStatus } from '../helpers/health-client';
import { ReflectionTestClient } from '../helpers/reflection-client';
import { TLS_SECRET_NAME, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

const EDGE_CLAIM = { id: 'intruder', metadata: { 'kxds.io/role': 'edge' } };

async function startWithProxylessPort(t: { after(fn: () => Promise<void>): void }): Promise<App> {
  const { dir } = await writeTlsIngressManifests();
  const app = await startApp({
    source: new ManifestSource({ dir, logger: silentLogger }),
    logger: silentLogger,
    xdsAddress: '127.0.0.1:0',
    xdsProxylessAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs: 10,
  });
  t.after(() => app.stop(2000));
  await app.pipeline.whenReady();
  assert.ok(
    app.cache.getSnapshot('edge')?.types.secret.resources.has(TLS_SECRET_NAME),
    'the edge has the key',
  );
  return app;
}

/** Asks for the Ingress's Secret, then for every Listener; returns what came back before the Listeners. */
async function secretsThenListeners(
  address: string,
): Promise<{ secrets: number; listeners: Record<string, unknown>[] }> {
  const client = new AdsTestClient(address, EDGE_CLAIM);
  try {
    client.request('secret', [TLS_SECRET_NAME]);
    client.request('listener', []);
    // One stream answers in order: a Secret response, if any, arrives before the Listener response.
    const listeners = await client.waitFor('listener');
    return { secrets: client.count('secret'), listeners: listeners.resources };
  } finally {
    client.close();
  }
}

test('the proxyless port answers CSDS and reflection with UNIMPLEMENTED, and health normally', async (t) => {
  const app = await startWithProxylessPort(t);
  const address = `127.0.0.1:${app.proxylessXdsPort}`;

  const csds = csdsClient(address);
  t.after(() => csds.client.close());
  await assert.rejects(csds.fetch({}), (err: grpc.ServiceError) => err.code === grpc.status.UNIMPLEMENTED);

  const reflection = new ReflectionTestClient(address);
  t.after(() => reflection.close());
  await assert.rejects(
    reflection.listServices(),
    (err: grpc.ServiceError) => err.code === grpc.status.UNIMPLEMENTED,
  );

  assert.equal(await healthStatus(address), 'SERVING');
  // The main port still has both (for the operator; who may use them is another test's business).
  const main = new ReflectionTestClient(`127.0.0.1:${app.xdsPort}`);
  t.after(() => main.close());
  assert.ok((await main.listServices()).includes('envoy.service.status.v3.ClientStatusDiscoveryService'));
});

test('a node claiming the edge role on the proxyless port is served as proxyless and gets no Secret', async (t) => {
  const app = await startWithProxylessPort(t);

  const onProxylessPort = await secretsThenListeners(`127.0.0.1:${app.proxylessXdsPort}`);
  assert.equal(onProxylessPort.secrets, 0, 'no Secret response on the proxyless port');
  assert.ok(
    onProxylessPort.listeners.every((l) => 'api_listener' in l),
    'only proxyless API listeners',
  );

  // The same request on the main (loopback) port shows what the assertion above would catch.
  const onMainPort = await secretsThenListeners(`127.0.0.1:${app.xdsPort}`);
  assert.equal(onMainPort.secrets, 1, 'the edge gets its Secret on the main port');
});
