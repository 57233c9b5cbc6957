// Signing a workload's CSR: the identity is the one given (from the reviewed token), never what the CSR
// asks for; the key must be P-256 and the CSR signed by it.
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createCertificateAuthority } from '../../src/certs/authority';
import { CsrError, createWorkloadCsr, signWorkloadCsr } from '../../src/certs/workload-csr';
import { parseSpiffeId } from '../../src/certs/spiffe';

const SHOP = parseSpiffeId('spiffe://cluster.local/ns/shop/sa/checkout');

test('the certificate certifies the CSR key for the given identity, client usage, for the given seconds', async () => {
  assert.ok(SHOP);
  const ca = await createCertificateAuthority('test CA', 1);
  // The CSR asks for the edge's identity: ignored.
  x509.cryptoProvider.set(webcrypto as never);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=edge',
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: 'spiffe://cluster.local/ns/kxds/sa/kxds-edge' },
      ]),
    ],
  });
  const pem = await signWorkloadCsr(ca, csr.toString('pem'), SHOP, 3600);
  const cert = new X509Certificate(pem);
  assert.equal(cert.subjectAltName, `URI:${SHOP.uri}`);
  assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  assert.deepEqual(cert.publicKey.export({ type: 'spki', format: 'der' }), spki);
  const seconds = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 1000;
  assert.ok(seconds >= 3600 && seconds <= 3600 + 301, String(seconds));
  assert.match(
    new x509.X509Certificate(pem).getExtension(x509.ExtendedKeyUsageExtension)?.usages.join() ?? '',
    /1\.3\.6\.1\.5\.5\.7\.3\.2/,
  );
});

test('refused: not a CSR, not a P-256 key, a signature that does not verify', async () => {
  assert.ok(SHOP);
  const ca = await createCertificateAuthority('test CA', 1);
  await assert.rejects(
    signWorkloadCsr(ca, 'hello', SHOP, 60),
    (e) => e instanceof CsrError && /PKCS#10/.test(e.message),
  );
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  x509.cryptoProvider.set(webcrypto as never);
  const rsaAlg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const rsaKeys = {
    privateKey: await webcrypto.subtle.importKey(
      'pkcs8',
      rsa.privateKey.export({ type: 'pkcs8', format: 'der' }),
      rsaAlg,
      true,
      ['sign'],
    ),
    publicKey: await webcrypto.subtle.importKey(
      'spki',
      rsa.publicKey.export({ type: 'spki', format: 'der' }),
      rsaAlg,
      true,
      ['verify'],
    ),
  };
  const rsaCsr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=x',
    keys: rsaKeys,
    signingAlgorithm: rsaAlg,
  });
  await assert.rejects(signWorkloadCsr(ca, rsaCsr.toString('pem'), SHOP, 60), /not an ECDSA P-256 key/);
  // Another CSR's signature spliced onto this one's content.
  const { csrPem } = await createWorkloadCsr('a');
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await assert.rejects(signWorkloadCsr(ca, tampered, SHOP, 60), CsrError);
});
