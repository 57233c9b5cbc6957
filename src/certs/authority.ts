// A small certificate authority for kxds's own mutual TLS: one CA that signs the control plane's serving
// certificate (xDS port and webhook) and the per-identity client certificates (URI SAN = SPIFFE id). ECDSA P-256 keys come from
// WebCrypto; @peculiar/x509 writes the X.509 structures.
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it loaded first
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** PEM certificate and PKCS#8 PEM private key. */
export interface PemKeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends PemKeyPair {
  certificate: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

export type CertificateUsage = 'server' | 'client';

export interface LeafOptions {
  commonName: string;
  /** DNS names and IP addresses (subjectAltName); a server certificate needs at least one. */
  hosts?: readonly string[];
  /** URI subjectAltNames: a workload's SPIFFE id (spiffe://TRUST_DOMAIN/ns/NS/sa/SA) for a client. */
  uris?: readonly string[];
  usage: CertificateUsage;
  validDays: number;
  /** Short-lived certificates (workloads): the lifetime in seconds, instead of validDays. */
  validSeconds?: number;
}

export const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
// Backdated a little so a node with a slightly slow clock does not see a certificate from the future.
const BACKDATE_MS = 5 * 60 * 1000;

export function useWebCrypto(): void {
  // The library types its provider with the DOM's Crypto, which Node's lib types do not declare.
  x509.cryptoProvider.set(webcrypto as never);
}

function serialNumber(): string {
  // Positive (high bit clear) 16-byte serial number.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const base64 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`;
}

function validity(validDays: number, validSeconds?: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  if (validSeconds !== undefined) {
    if (!Number.isInteger(validSeconds) || validSeconds <= 0)
      throw new Error(`validity of ${validSeconds} seconds: expected a positive whole number`);
    return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + validSeconds * 1000) };
  }
  if (!Number.isInteger(validDays) || validDays <= 0)
    throw new Error(`validity of ${validDays} days: expected a positive whole number`);
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + validDays * DAY_MS) };
}

export async function createCertificateAuthority(
  commonName: string,
  validDays: number,
): Promise<CertificateAuthority> {
  useWebCrypto();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    ...validity(validDays),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    privateKey: keys.privateKey,
    certPem: `${certificate.toString('pem')}\n`,
    keyPem: await privateKeyPem(keys.privateKey),
  };
}

/** A CA from its PEM files (ca.crt, ca.key), to issue more certificates later. */
export async function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
): Promise<CertificateAuthority> {
  useWebCrypto();
  const certificate = new x509.X509Certificate(certPem);
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  return { certificate, privateKey, certPem, keyPem };
}

/** A certificate signed by the CA for a server (serverAuth) or a client (clientAuth). */
export async function issueCertificate(ca: CertificateAuthority, options: LeafOptions): Promise<PemKeyPair> {
  useWebCrypto();
  const hosts = options.hosts ?? [];
  if (options.usage === 'server' && hosts.length === 0)
    throw new Error(`server certificate ${options.commonName}: needs at least one DNS name or IP address`);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certPem = await signPublicKey(ca, keys.publicKey, options);
  return { certPem, keyPem: await privateKeyPem(keys.privateKey) };
}

/** A PEM certificate for a public key someone else holds the private half of (a CSR's). */
export async function signPublicKey(
  ca: CertificateAuthority,
  publicKey: webcrypto.CryptoKey,
  options: LeafOptions,
): Promise<string> {
  useWebCrypto();
  const hosts = options.hosts ?? [];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([
      options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
  ];
  const names: x509.JsonGeneralName[] = [
    ...hosts.map((host): x509.JsonGeneralName =>
      isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host },
    ),
    ...(options.uris ?? []).map((uri): x509.JsonGeneralName => ({ type: 'url', value: uri })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${options.commonName}`,
    issuer: ca.certificate.subject,
    ...validity(options.validDays, options.validSeconds),
    publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return `${certificate.toString('pem')}\n`;
}
