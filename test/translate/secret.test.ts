// The SDS Secret carries the key for Envoy; redactSecret removes it for anything a human may see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTlsSecret, redactSecret } from '../../src/translate/envoy/secret';

test('redactSecret keeps the certificate and replaces the key', () => {
  const secret = buildTlsSecret({
    name: 'demo/foo-tls',
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    privateKeyPem: '-----BEGIN PRIVATE KEY-----\nSECRETBYTES\n-----END PRIVATE KEY-----\n',
  });
  const shown = JSON.stringify(redactSecret(secret), (_k, v: unknown) =>
    v && typeof v === 'object' && 'type' in v && (v as { type: string }).type === 'Buffer'
      ? Buffer.from((v as { data: number[] }).data).toString('utf8')
      : v,
  );
  assert.ok(!shown.includes('SECRETBYTES'), shown);
  assert.ok(shown.includes('<redacted>'));
  assert.ok(shown.includes('BEGIN CERTIFICATE'));
  assert.ok(secret.tls_certificate?.private_key?.inline_bytes, 'the original is untouched');
});
