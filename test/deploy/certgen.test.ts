// `kxds certgen`: the certificates chain to the CA with the right names and usages, files are not
// overwritten by accident, and the Secret manifests land in the right namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCertgen, type CertgenFlags } from '../../src/commands/certgen';
import { CERT_FILES, SECRET_NAMES, type SecretManifest } from '../../src/certs/output';

const flags = (extra: Partial<CertgenFlags>): CertgenFlags => ({
  secretsNamespace: 'kxds',
  serviceName: 'kxds',
  clientNamespace: [],
  host: [],
  days: 30,
  ...extra,
});

test('certgen writes a CA, a server certificate for the Service names and a client certificate', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-certgen-'));
  const out = await runCertgen(flags({ outputDir: dir, host: ['127.0.0.1'] }));
  assert.match(out, /wrote .*ca\.crt/);
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  const ca = new crypto.X509Certificate(read(CERT_FILES.caCert));
  const server = new crypto.X509Certificate(read(CERT_FILES.serverCert));
  const client = new crypto.X509Certificate(read(CERT_FILES.clientCert));
  assert.ok(ca.ca);
  assert.ok(server.verify(ca.publicKey) && client.verify(ca.publicKey), 'both signed by the CA');
  for (const host of ['kxds', 'kxds.kxds', 'kxds.kxds.svc', 'kxds.kxds.svc.cluster.local'])
    assert.equal(server.checkHost(host), host);
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.ok(server.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), 'serverAuth');
  assert.ok(client.keyUsage?.includes('1.3.6.1.5.5.7.3.2'), 'clientAuth');
  assert.ok(server.checkPrivateKey(crypto.createPrivateKey(read(CERT_FILES.serverKey))));
  assert.equal(fs.statSync(path.join(dir, CERT_FILES.caKey)).mode & 0o077, 0, 'keys are private');
  const days = (Date.parse(server.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 29 && days <= 30, `--days 30 gives ${days}`);

  await assert.rejects(runCertgen(flags({ outputDir: dir })), /already exist: pass --force/);
  await runCertgen(flags({ outputDir: dir, force: true }));
  assert.notEqual(new crypto.X509Certificate(read(CERT_FILES.caCert)).fingerprint256, ca.fingerprint256);
});

test('certgen --secrets prints TLS Secrets for kxds and every client namespace', async () => {
  const yaml = await runCertgen(
    flags({ secrets: true, secretsNamespace: 'mesh', clientNamespace: ['demo', 'mesh'] }),
  );
  const secrets = parseAllDocuments(yaml).map((doc) => doc.toJS() as SecretManifest);
  assert.deepEqual(
    secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    [`mesh/${SECRET_NAMES.server}`, `mesh/${SECRET_NAMES.client}`, `demo/${SECRET_NAMES.client}`],
  );
  for (const secret of secrets) {
    assert.equal(secret.type, 'kubernetes.io/tls');
    const cert = new crypto.X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'));
    const ca = new crypto.X509Certificate(Buffer.from(secret.data['ca.crt'], 'base64'));
    assert.ok(cert.verify(ca.publicKey));
  }
  const server = new crypto.X509Certificate(Buffer.from(secrets[0]!.data['tls.crt'], 'base64'));
  assert.equal(server.checkHost('kxds.mesh.svc'), 'kxds.mesh.svc');
});

test('certgen with nowhere to write says so', async () => {
  await assert.rejects(runCertgen(flags({})), /--output-dir DIR, --secrets, or both/);
});
