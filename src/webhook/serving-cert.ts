// A throwaway CA and a serving certificate signed by it, made at start when no certificate files are given.
// The CA's PEM goes into the MutatingWebhookConfiguration's caBundle so the API server trusts the webhook.
// ECDSA P-256 keys through WebCrypto; @peculiar/x509 writes the X.509 structures.
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it loaded first
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

export interface ServingCertificate {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingCertificateOptions {
  /** Names and IP addresses the API server (or a test) dials the webhook by. */
  hosts: string[];
  validDays?: number;
}

// The API server resolves `service: {name, namespace}` references by these names.
export { serviceDnsNames } from '../certs/xds-certificates';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function serial(): string {
  // Positive (high bit clear) 16-byte serial number.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

export async function generateServingCertificate(
  options: ServingCertificateOptions,
): Promise<ServingCertificate> {
  // The library types its provider with the DOM's Crypto, which Node's lib types do not declare.
  x509.cryptoProvider.set(webcrypto as never);
  const now = Date.now();
  // Backdated a little so a node with a slightly slow clock does not see a certificate from the future.
  const notBefore = new Date(now - 5 * 60 * 1000);
  const notAfter = new Date(now + (options.validDays ?? 365) * 24 * 3600 * 1000);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kxds webhook CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const names = options.hosts.map((host) =>
    isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.hosts[0] ?? 'kxds-webhook'}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return {
    caPem: ca.toString('pem') + '\n',
    certPem: cert.toString('pem') + '\n',
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}
