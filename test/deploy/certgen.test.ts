// `kxds certgen`: the certificates chain to the CA with the right names and usages, each client certificate
// carries its own SPIFFE id (edge, operator, one per sidecar namespace), files are not overwritten by
// accident, and the Secret manifests land in the right namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CertgenFlags } from '../../src/commands/certgen';
import { runCertgen } from '../../src/commands/certgen-run';
import { CERT_FILES, SECRET_NAMES, sidecarFiles, type SecretManifest } from '../../src/certs/output';
import { certificateUris } from '../../src/server/identity';

const flags = (extra: Partial<CertgenFlags>): CertgenFlags => ({
  secretsNamespace: 'kxds',
  serviceName: 'kxds',
  sidecarNamespace: [],
  host: [],
  days: 30,
  ...extra,
});

test('certgen writes a CA, a server certificate for the Service names and one client certificate per identity', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-certgen-'));
  const out = await runCertgen(
    flags({ outputDir: dir, host: ['127.0.0.1'], sidecarNamespace: ['demo', 'shop'] }),
  );
  assert.match(out, /wrote .*ca\.crt/);
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  const ca = new crypto.X509Certificate(read(CERT_FILES.caCert));
  const server = new crypto.X509Certificate(read(CERT_FILES.serverCert));
  assert.ok(ca.ca);
  for (const host of ['kxds', 'kxds.kxds', 'kxds.kxds.svc', 'kxds.kxds.svc.cluster.local'])
    assert.equal(server.checkHost(host), host);
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.ok(server.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), 'serverAuth');
  assert.ok(server.checkPrivateKey(crypto.createPrivateKey(read(CERT_FILES.serverKey))));
  assert.equal(fs.statSync(path.join(dir, CERT_FILES.caKey)).mode & 0o077, 0, 'keys are private');
  const days = (Date.parse(server.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 29 && days <= 30, `--days 30 gives ${days}`);

  const clients: [string, string, string][] = [
    [CERT_FILES.edgeCert, CERT_FILES.edgeKey, 'spiffe://cluster.local/ns/kxds/sa/kxds-edge'],
    [CERT_FILES.operatorCert, CERT_FILES.operatorKey, 'spiffe://cluster.local/ns/kxds/sa/kxds-operator'],
    [sidecarFiles('demo').cert, sidecarFiles('demo').key, 'spiffe://cluster.local/ns/demo/sa/kxds-sidecar'],
    [sidecarFiles('shop').cert, sidecarFiles('shop').key, 'spiffe://cluster.local/ns/shop/sa/kxds-sidecar'],
  ];
  for (const [certFile, keyFile, identity] of clients) {
    const cert = new crypto.X509Certificate(read(certFile));
    assert.ok(cert.verify(ca.publicKey), `${certFile} signed by the CA`);
    assert.ok(cert.keyUsage?.includes('1.3.6.1.5.5.7.3.2'), `${certFile} clientAuth`);
    assert.deepEqual(certificateUris(cert.raw), [identity], `${certFile} names its identity`);
    assert.ok(cert.checkPrivateKey(crypto.createPrivateKey(read(keyFile))));
    assert.equal(fs.statSync(path.join(dir, keyFile)).mode & 0o077, 0, `${keyFile} is private`);
  }

  await assert.rejects(runCertgen(flags({ outputDir: dir })), /already exist: pass --force/);
  await runCertgen(flags({ outputDir: dir, force: true }));
  assert.notEqual(new crypto.X509Certificate(read(CERT_FILES.caCert)).fingerprint256, ca.fingerprint256);
});

test('certgen --trust-domain names the ids in that domain', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-certgen-'));
  await runCertgen(flags({ outputDir: dir, trustDomain: 'prod.example', secretsNamespace: 'mesh' }));
  const edge = new crypto.X509Certificate(fs.readFileSync(path.join(dir, CERT_FILES.edgeCert)));
  assert.deepEqual(certificateUris(edge.raw), ['spiffe://prod.example/ns/mesh/sa/kxds-edge']);
});

test('certgen --secrets prints the server and edge Secrets for kxds and a sidecar Secret per namespace', async () => {
  const yaml = await runCertgen(
    flags({ secrets: true, secretsNamespace: 'mesh', sidecarNamespace: ['demo', 'mesh'] }),
  );
  const secrets = parseAllDocuments(yaml).map((doc) => doc.toJS() as SecretManifest);
  assert.deepEqual(
    secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    [
      `mesh/${SECRET_NAMES.server}`,
      `mesh/${SECRET_NAMES.webhook}`,
      `mesh/${SECRET_NAMES.edge}`,
      `demo/${SECRET_NAMES.sidecar}`,
      `mesh/${SECRET_NAMES.sidecar}`,
    ],
  );
  for (const secret of secrets) {
    assert.equal(secret.type, 'kubernetes.io/tls');
    const cert = new crypto.X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'));
    const ca = new crypto.X509Certificate(Buffer.from(secret.data['ca.crt'], 'base64'));
    assert.ok(cert.verify(ca.publicKey));
  }
  const server = new crypto.X509Certificate(Buffer.from(secrets[0]!.data['tls.crt'], 'base64'));
  assert.equal(server.checkHost('kxds.mesh.svc'), 'kxds.mesh.svc');
  const webhook = new crypto.X509Certificate(Buffer.from(secrets[1]!.data['tls.crt'], 'base64'));
  assert.equal(webhook.checkHost('kxds.mesh.svc'), 'kxds.mesh.svc');
  assert.notEqual(secrets[1]!.data['tls.key'], secrets[0]!.data['tls.key'], 'webhook and xDS keys differ');
  const demo = new crypto.X509Certificate(Buffer.from(secrets[3]!.data['tls.crt'], 'base64'));
  assert.deepEqual(certificateUris(demo.raw), ['spiffe://cluster.local/ns/demo/sa/kxds-sidecar']);
});

test('certgen with nowhere to write, or a bad namespace, says so', async () => {
  await assert.rejects(runCertgen(flags({})), /--output-dir DIR, --secrets, or both/);
  await assert.rejects(
    runCertgen(flags({ secrets: true, sidecarNamespace: ['Bad_NS'] })),
    /"Bad_NS" is not a Kubernetes namespace/,
  );
});

test('certgen --from-ca adds a namespace sidecar certificate signed by the existing CA, nothing else', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-certgen-'));
  await runCertgen(flags({ outputDir: dir }));
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  const edgeBefore = read(CERT_FILES.edgeCert);
  const out = await runCertgen(flags({ outputDir: dir, fromCa: dir, sidecarNamespace: ['late'] }));
  assert.deepEqual(
    out
      .trim()
      .replace(/^wrote /, '')
      .split(', ')
      .map((f) => path.basename(f)),
    [sidecarFiles('late').cert, sidecarFiles('late').key],
  );
  const ca = new crypto.X509Certificate(read(CERT_FILES.caCert));
  const late = new crypto.X509Certificate(read(sidecarFiles('late').cert));
  assert.ok(late.verify(ca.publicKey), 'signed by the CA of the first run');
  assert.deepEqual(certificateUris(late.raw), ['spiffe://cluster.local/ns/late/sa/kxds-sidecar']);
  assert.deepEqual(read(CERT_FILES.edgeCert), edgeBefore, 'the other certificates are untouched');

  const yaml = await runCertgen(flags({ secrets: true, fromCa: dir, sidecarNamespace: ['later'] }));
  const secrets = parseAllDocuments(yaml).map((doc) => doc.toJS() as SecretManifest);
  assert.deepEqual(
    secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    [`later/${SECRET_NAMES.sidecar}`],
  );
  await assert.rejects(runCertgen(flags({ secrets: true, fromCa: dir })), /give --sidecar-namespace/);
  await assert.rejects(
    runCertgen(flags({ secrets: true, fromCa: os.tmpdir(), sidecarNamespace: ['x'] })),
    /cannot read .*ca\.crt/,
  );
});
