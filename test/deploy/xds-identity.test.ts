// Identity, not claims, end to end over mutual TLS on loopback: kxds fed by a real TLS Ingress, clients
// holding certgen-style per-identity certificates. The certificate's SPIFFE id decides: only the edge
// identity is served as edge (and gets the Ingress key), a namespace's sidecar certificate only that
// namespace's sidecar groups (or proxyless), CSDS only the operator. Every refusal is PERMISSION_DENIED
// naming the identity and the claim, on SotW and delta alike, logged once per stream with the node id clipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { startApp, type App } from '../../src/app';
import { createLogger } from '../../src/log';
import { ManifestSource } from '../../src/sources/manifest-source';
import { loadCertificateAuthority, issueCertificate, type PemKeyPair } from '../../src/certs/authority';
import { CERT_FILES, sidecarFiles, writeCertificateFiles } from '../../src/certs/output';
import { KXDS_BIN } from '../helpers/cli-process';
import { generateXdsCertificates, type XdsCertificates } from '../../src/certs/xds-certificates';
import { xdsServerCredentials, xdsServerTls } from '../../src/server/xds-tls';
import { TYPE_URLS } from '../../src/xds/types';
import { AdsTestClient } from '../helpers/ads-client';
import { csdsClient } from '../helpers/csds-client';
import { DeltaTestClient } from '../helpers/delta-client';
import { TLS_SECRET_NAME, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

interface Setup {
  app: App;
  /** Where the certificate files are (certgen's names). */
  dir: string;
  address: string;
  certs: XdsCertificates;
  logs: Record<string, unknown>[];
  credentials(pair: PemKeyPair): grpc.ChannelCredentials;
}

async function start(t: { after(fn: () => Promise<void>): void }): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-identity-'));
  const certs = await generateXdsCertificates({
    serverHosts: ['localhost', '127.0.0.1'],
    sidecarNamespaces: ['demo', 'shop'],
  });
  writeCertificateFiles(dir, certs, false);
  const files = xdsServerTls({
    xdsTlsCert: path.join(dir, CERT_FILES.serverCert),
    xdsTlsKey: path.join(dir, CERT_FILES.serverKey),
    xdsClientCa: path.join(dir, CERT_FILES.caCert),
  });
  assert.ok(files);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('warn', sink);
  const tls = xdsServerCredentials(files, logger, 60_000);
  const manifests = await writeTlsIngressManifests();
  const app = await startApp({
    source: new ManifestSource({ dir: manifests.dir, logger }),
    logger,
    xdsAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs: 10,
    xdsCredentials: tls.credentials,
    xdsAccess: {
      trustDomain: 'cluster.local',
      edgeIdentities: [certs.edge.identity],
      operatorIdentities: [certs.operator.identity],
      insecureRoles: false,
    },
  });
  t.after(async () => {
    tls.provider.stop();
    await app.stop(2000);
  });
  await app.pipeline.whenReady();
  const ca = Buffer.from(certs.ca.certPem);
  return {
    app,
    dir,
    address: `127.0.0.1:${app.xdsPort}`,
    certs,
    logs,
    credentials: (pair) =>
      grpc.credentials.createSsl(ca, Buffer.from(pair.keyPem), Buffer.from(pair.certPem)),
  };
}

type Outcome = { served: string[] } | { code: number; details: string };

/** Asks for the Ingress Secret as the node; what was served, or the status the stream ended with. */
async function askSecret(
  address: string,
  node: Record<string, unknown>,
  credentials: grpc.ChannelCredentials,
): Promise<Outcome> {
  const client = new AdsTestClient(address, node, credentials);
  try {
    client.request('secret', [TLS_SECRET_NAME]);
    client.request('cluster', []);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (client.count('cluster') > 0) return { served: client.responses.flatMap((r) => r.names) };
      const err = client.error as grpc.ServiceError | undefined;
      if (err) return { code: err.code, details: err.details };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('neither a response nor an error within 10 s');
  } finally {
    client.close();
  }
}

const edgeNode = (id = 'edge-1') => ({ id, metadata: { 'kxds.io/role': 'edge' } });
const sidecarNode = (namespace: string) => ({
  id: `app-1.${namespace}`,
  metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': namespace },
});
const DEMO_ID = 'spiffe://cluster.local/ns/demo/sa/kxds-sidecar';

function refused(outcome: Outcome, ...parts: string[]): void {
  assert.ok('code' in outcome, `refused, got ${JSON.stringify(outcome)}`);
  assert.equal(outcome.code, grpc.status.PERMISSION_DENIED);
  for (const part of parts) assert.ok(outcome.details.includes(part), `"${outcome.details}" names ${part}`);
}

test('only the edge identity is served as edge; a sidecar certificate claiming edge is refused', async (t) => {
  const { address, certs, credentials } = await start(t);
  const demo = certs.sidecars.find((s) => s.namespace === 'demo');
  assert.ok(demo);

  const edge = await askSecret(address, edgeNode(), credentials(certs.edge));
  assert.ok('served' in edge && edge.served.includes(TLS_SECRET_NAME), 'the edge gets its Secret');

  refused(await askSecret(address, edgeNode(), credentials(demo)), DEMO_ID, 'role edge');
  // No role in the metadata means edge for an Envoy: refused the same way.
  refused(await askSecret(address, { id: 'envoy-x' }, credentials(demo)), DEMO_ID, 'role edge');
  refused(await askSecret(address, edgeNode(), credentials(certs.operator)), 'kxds-operator', 'role edge');
});

test('a sidecar certificate is served its own namespace only, and proxyless', async (t) => {
  const { address, certs, credentials } = await start(t);
  const demo = certs.sidecars.find((s) => s.namespace === 'demo');
  assert.ok(demo);
  const own = await askSecret(address, sidecarNode('demo'), credentials(demo));
  assert.ok('served' in own && !own.served.includes(TLS_SECRET_NAME), 'served, without the edge Secret');
  refused(await askSecret(address, sidecarNode('shop'), credentials(demo)), DEMO_ID, 'namespace "shop"');
  const proxyless = await askSecret(
    address,
    { id: 'px', metadata: { 'kxds.io/role': 'proxyless' } },
    credentials(demo),
  );
  assert.ok('served' in proxyless, 'proxyless is open to every identity of the trust domain');
});

test('a certificate from the CA without a SPIFFE id is refused whatever it claims', async (t) => {
  const { address, certs, credentials } = await start(t);
  const ca = await loadCertificateAuthority(certs.ca.certPem, certs.ca.keyPem);
  const legacy = await issueCertificate(ca, { commonName: 'kxds-envoy', usage: 'client', validDays: 1 });
  refused(
    await askSecret(address, edgeNode(), credentials(legacy)),
    'kxds-envoy',
    'no URI SAN',
    'spiffe://cluster.local/ns/',
  );
  refused(await askSecret(address, sidecarNode('demo'), credentials(legacy)), 'no URI SAN');
});

test('delta streams are checked the same way', async (t) => {
  const { address, certs, credentials } = await start(t);
  const demo = certs.sidecars.find((s) => s.namespace === 'demo');
  assert.ok(demo);
  const client = new DeltaTestClient(address, {}, credentials(demo));
  t.after(() => client.close());
  client.send({
    node: edgeNode('delta-edge'),
    type_url: TYPE_URLS.secret,
    resource_names_subscribe: [TLS_SECRET_NAME],
  });
  const until = Date.now() + 10_000;
  while (!client.error && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.equal((client.error as grpc.ServiceError | undefined)?.code, grpc.status.PERMISSION_DENIED);
  assert.equal(client.received.length, 0, 'nothing was sent');
});

test('a refusal is logged once per stream, with the client-supplied node id clipped', async (t) => {
  const { address, certs, credentials, logs } = await start(t);
  const demo = certs.sidecars.find((s) => s.namespace === 'demo');
  assert.ok(demo);
  const longId = `x${'y'.repeat(20_000)}`;
  const client = new AdsTestClient(address, edgeNode(longId), credentials(demo));
  t.after(() => client.close());
  // Several requests on the refused stream: one log line, not one per request.
  for (const kind of ['secret', 'cluster', 'listener'] as const) client.request(kind, []);
  const until = Date.now() + 10_000;
  while (!client.error && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  const refusals = logs.filter((l) => String(l.msg).endsWith('refused'));
  assert.equal(refusals.length, 1, JSON.stringify(refusals).slice(0, 500));
  const line = refusals[0] ?? {};
  assert.deepEqual(line.identity, [DEMO_ID]);
  assert.equal(line.role, 'edge');
  assert.ok(String(line.node).length < 200, 'node id clipped');
  assert.ok(JSON.stringify(line).length < 2000, 'the whole line stays short');
});

test('CSDS answers the operator identity only; /debug/nodes shows who each stream is', async (t) => {
  const { app, address, certs, credentials } = await start(t);
  const edge = new AdsTestClient(address, edgeNode(), credentials(certs.edge));
  t.after(() => edge.close());
  edge.request('cluster', []);
  await edge.waitFor('cluster');
  const nodes = (await (await fetch(`http://127.0.0.1:${app.adminPort}/debug/nodes`)).json()) as {
    nodes: { id: string; identity?: string }[];
  };
  assert.deepEqual(
    nodes.nodes.map((n) => [n.id, n.identity]),
    [['edge-1', certs.edge.identity]],
  );

  const operator = csdsClient(address, credentials(certs.operator));
  t.after(() => operator.client.close());
  assert.deepEqual(
    (await operator.fetch({})).map((c) => c.node.id),
    ['edge-1'],
  );
  for (const pair of [certs.edge, ...certs.sidecars]) {
    const other = csdsClient(address, credentials(pair));
    await assert.rejects(other.fetch({}), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.PERMISSION_DENIED);
      assert.ok(err.details.includes(pair.identity) && err.details.includes('CSDS'), err.details);
      return true;
    });
    const stream = other.client.StreamClientStatus();
    const ended = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
    stream.write({});
    assert.equal((await ended).code, grpc.status.PERMISSION_DENIED, 'StreamClientStatus too');
    other.client.close();
  }
});

test(
  'kxds dump over mutual TLS gets what its certificate may receive, and the refusal otherwise',
  { timeout: 60000 },
  async (t) => {
    const { address, dir } = await start(t);
    const files = sidecarFiles('demo');
    const dump = async (...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            KXDS_BIN,
            'dump',
            '--server',
            address,
            '--node-id',
            'dbg',
            '--type',
            'cds',
            '--timeout',
            '3000',
            '--tls-ca',
            path.join(dir, CERT_FILES.caCert),
            '--tls-cert',
            path.join(dir, files.cert),
            '--tls-key',
            path.join(dir, files.key),
            ...args,
          ],
          { timeout: 30000 },
        );
        return { code: 0, stdout, stderr: '' };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    };
    const own = await dump('--role', 'sidecar', '--namespace', 'demo');
    assert.equal(own.code, 0, own.stderr);
    assert.equal((JSON.parse(own.stdout) as { responses: { type: string }[] }).responses[0]?.type, 'cds');
    const edge = await dump('--role', 'edge');
    assert.notEqual(edge.code, 0);
    assert.match(edge.stderr, new RegExp(`${DEMO_ID} may not claim role edge`));
  },
);
