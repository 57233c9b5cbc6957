// Certificate files replaced on disk are picked up by new connections; a half-written pair is ignored until
// it loads. Real TLS handshakes on loopback; every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateServingCertificate, serviceDnsNames } from '../../src/webhook/serving-cert';
import { startWebhookServer } from '../../src/webhook/server';
import { injectionSettings } from '../../src/webhook/settings';
import { httpsRequest } from './https-client';

const settings = injectionSettings({
  envoyImage: 'e',
  kxdsImage: 'k',
  xdsServer: 'x:1',
  ownNamespace: 'kxds',
});

function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(fingerprint);
      },
    );
    socket.on('error', reject);
  });
}

function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

async function waitForFingerprint(port: number, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await servedFingerprint(port);
    if (seen === expected) return;
    await sleep(25);
  }
  assert.fail(`still serving ${seen}, expected ${expected}`);
}

test('replacing the certificate files changes what new connections see', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-webhook-cert-'));
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  const first = await generateServingCertificate({ hosts: ['localhost', '127.0.0.1'] });
  const second = await generateServingCertificate({ hosts: ['localhost', '127.0.0.1'] });
  const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
  fs.writeFileSync(certFile, first.certPem);
  fs.writeFileSync(keyFile, first.keyPem);
  const server = await startWebhookServer({
    address: '127.0.0.1:0',
    settings,
    certFile,
    keyFile,
    certReloadIntervalMs: 20,
  });
  try {
    assert.equal(server.caPem, undefined, 'no generated CA when serving files');
    assert.equal(await servedFingerprint(server.port), fingerprint(first.certPem));
    assert.equal((await httpsRequest(server.url, { path: '/healthz', ca: first.caPem })).status, 200);

    // A new certificate with the old key does not load: the old certificate stays.
    writeAtomically(certFile, second.certPem);
    await sleep(200);
    assert.equal(await servedFingerprint(server.port), fingerprint(first.certPem));

    writeAtomically(keyFile, second.keyPem);
    await waitForFingerprint(server.port, fingerprint(second.certPem));
    assert.equal(
      (await httpsRequest(server.url, { path: '/healthz', ca: second.caPem, agent: false })).status,
      200,
    );
    await assert.rejects(httpsRequest(server.url, { path: '/healthz', ca: first.caPem, agent: false }));
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true });
  }
});

test('the generated certificate names the given hosts and chains to the returned CA', async () => {
  const generated = await generateServingCertificate({
    hosts: ['kxds-webhook.kxds.svc', '10.0.0.1'],
    validDays: 30,
  });
  const cert = new X509Certificate(generated.certPem);
  const ca = new X509Certificate(generated.caPem);
  assert.equal(cert.subjectAltName, 'DNS:kxds-webhook.kxds.svc, IP Address:10.0.0.1');
  assert.ok(cert.verify(ca.publicKey), 'signed by the CA');
  assert.equal(ca.ca, true);
  assert.equal(cert.ca, false);
  const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 29 && days <= 30, `${days} days`);
  assert.doesNotThrow(() => tls.createSecureContext({ cert: generated.certPem, key: generated.keyPem }));
  assert.deepEqual(serviceDnsNames('kxds-webhook', 'kxds'), [
    'kxds-webhook',
    'kxds-webhook.kxds',
    'kxds-webhook.kxds.svc',
    'kxds-webhook.kxds.svc.cluster.local',
  ]);
});
