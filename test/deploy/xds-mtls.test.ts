// Mutual TLS on the xDS port, over real gRPC on loopback with real ADS requests: a client without a valid
// certificate is refused, one with it is served, renewed files are picked up, and the plaintext
// proxyless-only port serves a node as proxyless whatever role it claims.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { startApp, type App } from '../../src/app';
import { silentLogger } from '../../src/log';
import { generateXdsCertificates, type XdsCertificates } from '../../src/certs/xds-certificates';
import { CERT_FILES, writeCertificateFiles } from '../../src/certs/output';
import { xdsServerCredentials, xdsServerTls } from '../../src/server/xds-tls';
import { SubjectSource } from '../helpers/subject-source';
import { AdsTestClient } from '../helpers/ads-client';
import { endpointSlice, service } from '../helpers/k8s-fixtures';

const SIDECAR_NODE = {
  id: 'app-1.demo',
  metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': 'demo' },
};

/** The demo namespace's sidecar certificate (the node below is a sidecar there). */
function clientCredentials(certs: XdsCertificates, withClientCert = true): grpc.ChannelCredentials {
  const ca = Buffer.from(certs.ca.certPem);
  const sidecar = certs.sidecars.find((s) => s.namespace === 'demo');
  assert.ok(sidecar);
  return withClientCert
    ? grpc.credentials.createSsl(ca, Buffer.from(sidecar.keyPem), Buffer.from(sidecar.certPem))
    : grpc.credentials.createSsl(ca);
}

const certificates = () =>
  generateXdsCertificates({ serverHosts: ['localhost', '127.0.0.1'], sidecarNamespaces: ['demo'] });

/** Asks for every Cluster; resolves with the names served, or rejects with the stream's error. */
async function fetchClusters(address: string, credentials: grpc.ChannelCredentials): Promise<string[]> {
  const client = new AdsTestClient(address, SIDECAR_NODE, credentials);
  try {
    client.request('cluster');
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      if (client.count('cluster') > 0) return (await client.waitFor('cluster')).names;
      if (client.error) throw client.error;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('neither a response nor an error within 5 s');
  } finally {
    client.close();
  }
}

async function startSecureApp(dir: string, proxyless = false): Promise<{ app: App; reload: () => boolean }> {
  const source = new SubjectSource();
  source.upsert(
    service('demo', 'greeter', [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }]),
    endpointSlice('demo', 'greeter', 'greeter-1', [{ name: 'grpc', port: 50051 }], [{ ip: '127.0.0.2' }]),
  );
  source.synced();
  const files = xdsServerTls({
    xdsTlsCert: path.join(dir, CERT_FILES.serverCert),
    xdsTlsKey: path.join(dir, CERT_FILES.serverKey),
    xdsClientCa: path.join(dir, CERT_FILES.caCert),
  });
  assert.ok(files);
  const tls = xdsServerCredentials(files, silentLogger, 60_000);
  const app = await startApp({
    source,
    logger: silentLogger,
    xdsAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs: 10,
    xdsCredentials: tls.credentials,
    ...(proxyless ? { xdsProxylessAddress: '127.0.0.1:0' } : {}),
  });
  await app.pipeline.whenReady();
  const stop = app.stop.bind(app);
  app.stop = async () => {
    tls.provider.stop();
    await stop(2000);
  };
  return { app, reload: () => tls.provider.poll() };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-mtls-'));
}

test('the xDS port serves a client with a certificate from the CA and refuses every other client', async (t) => {
  const dir = tempDir();
  const certs = await certificates();
  writeCertificateFiles(dir, certs, false);
  const { app } = await startSecureApp(dir);
  t.after(() => app.stop());
  const address = `127.0.0.1:${app.xdsPort}`;

  const names = await fetchClusters(address, clientCredentials(certs));
  assert.ok(names.length > 0, 'the certified client receives clusters');

  await assert.rejects(
    fetchClusters(address, clientCredentials(certs, false)),
    /UNAVAILABLE|14/,
    'no client certificate',
  );
  await assert.rejects(
    fetchClusters(address, grpc.credentials.createInsecure()),
    /UNAVAILABLE|14/,
    'plaintext',
  );
  const stranger = await certificates();
  const strangerCredentials = grpc.credentials.createSsl(
    Buffer.from(certs.ca.certPem),
    Buffer.from(stranger.edge.keyPem),
    Buffer.from(stranger.edge.certPem),
  );
  await assert.rejects(fetchClusters(address, strangerCredentials), /UNAVAILABLE|14/, 'another CA');
});

test('renewed certificate files replace the old ones without a restart', async (t) => {
  const dir = tempDir();
  const first = await certificates();
  writeCertificateFiles(dir, first, false);
  const { app, reload } = await startSecureApp(dir);
  t.after(() => app.stop());
  const address = `127.0.0.1:${app.xdsPort}`;
  assert.ok((await fetchClusters(address, clientCredentials(first))).length > 0);

  assert.equal(reload(), false, 'unchanged files are not reloaded');
  fs.writeFileSync(path.join(dir, CERT_FILES.serverKey), 'not a key\n');
  assert.equal(reload(), false, 'a half-written set is skipped');
  assert.ok((await fetchClusters(address, clientCredentials(first))).length > 0, 'old set still in use');

  const second = await certificates();
  writeCertificateFiles(dir, second, true);
  assert.equal(reload(), true);
  assert.ok((await fetchClusters(address, clientCredentials(second))).length > 0, 'new CA accepted');
  await assert.rejects(fetchClusters(address, clientCredentials(first)), /UNAVAILABLE|14/, 'old CA refused');
});

test('the plaintext proxyless port serves every node as proxyless', async (t) => {
  const dir = tempDir();
  const certs = await certificates();
  writeCertificateFiles(dir, certs, false);
  const { app } = await startSecureApp(dir, true);
  t.after(() => app.stop());
  assert.ok(app.proxylessXdsPort);

  const listenerShapes = async (address: string, credentials: grpc.ChannelCredentials, names: string[]) => {
    const client = new AdsTestClient(address, SIDECAR_NODE, credentials);
    try {
      client.request('listener', names);
      const response = await client.waitFor('listener');
      return response.resources.map((listener) => ('api_listener' in listener ? 'api' : 'socket'));
    } finally {
      client.close();
    }
  };
  // The same node claiming to be a sidecar: served its socket listener over mTLS, an API listener in plaintext.
  assert.deepEqual(
    await listenerShapes(`127.0.0.1:${app.proxylessXdsPort}`, grpc.credentials.createInsecure(), [
      'greeter.demo:50051',
    ]),
    ['api'],
  );
  const sidecarShapes = await listenerShapes(`127.0.0.1:${app.xdsPort}`, clientCredentials(certs), []);
  assert.ok(sidecarShapes.length > 0 && sidecarShapes.every((s) => s === 'socket'), String(sidecarShapes));
});

test('TLS flags must come together and name loadable files', () => {
  assert.equal(xdsServerTls({}), undefined);
  assert.throws(() => xdsServerTls({ xdsTlsCert: 'a.crt', xdsTlsKey: 'a.key' }), /go together/);
  const dir = tempDir();
  const files = { certFile: path.join(dir, 'missing.crt'), keyFile: 'k', clientCaFile: 'c' };
  assert.throws(() => xdsServerCredentials(files, silentLogger), /cannot read .*missing\.crt/);
});
