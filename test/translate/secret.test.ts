// The SDS Secret carries the key for Envoy; redactSecret removes it for anything a human may see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTlsSecret, redactSecret } from '../../src/envoy/http/secret';

test('redactSecret keeps the certificate and replaces the key', () => {
  const secret = buildTlsSecret({
    name: 'demo/foo-tls',
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    privateKeyPem: '-----BEGIN PRIVATE KEY-----\nSECRETBYTES\n-----END PRIVATE KEY-----\n',
  });
  const redacted = redactSecret(secret);
  assert.deepEqual(redacted.tls_certificate?.private_key, { inline_string: '<redacted>' });
  assert.equal(redacted.tls_certificate?.certificate_chain, secret.tls_certificate?.certificate_chain);
  const original = secret.tls_certificate?.private_key?.inline_bytes;
  assert.ok(
    original &&
      Buffer.from(original as Uint8Array)
        .toString()
        .includes('SECRETBYTES'),
    'the original is untouched',
  );
});
