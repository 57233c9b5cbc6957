// When a certificate kxds issued in the cluster must be issued again: it is unreadable, its key does not
// match, it is not signed by the current CA, it names other hosts or identities than wanted, or less than a
// third of its lifetime is left (a 90-day leaf is renewed after 60 days, the 10-year CA after about 6.7
// years), the rule cert-manager applies by default. Pure: the caller passes the clock.
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it loaded first
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** What a certificate should name (a leaf's subjectAltNames). */
export interface WantedNames {
  hosts?: readonly string[];
  uris?: readonly string[];
}

/** Undefined when the pair is fine as it is, else why it must be issued again (for the log line). */
export function renewalReason(
  pair: { certPem: string; keyPem: string },
  options: { now: number; issuerPem?: string; names?: WantedNames },
): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair.certPem);
  } catch {
    return 'the certificate does not parse';
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return 'the key does not match the certificate';
  } catch {
    return 'the key does not parse';
  }
  if (options.issuerPem !== undefined) {
    const issuer = new X509Certificate(options.issuerPem);
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return 'not signed by the current CA';
  }
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.validTo);
  if (notAfter - options.now < (notAfter - notBefore) / 3)
    return `less than a third of its lifetime left (expires ${new Date(notAfter).toISOString()})`;
  if (options.names && !sameNames(alternativeNames(pair.certPem), wantedNames(options.names)))
    return 'it names other hosts or identities than wanted';
  return undefined;
}

/** The certificate's subjectAltNames as sorted "type:value" strings. */
function alternativeNames(certPem: string): string[] {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  return (san?.names.toJSON() ?? []).map((n) => `${n.type}:${n.value}`).sort();
}

function wantedNames(names: WantedNames): string[] {
  return [
    ...(names.hosts ?? []).map((h) => `${isIP(h) ? 'ip' : 'dns'}:${h}`),
    ...(names.uris ?? []).map((u) => `url:${u}`),
  ].sort();
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** The notAfter time of a PEM certificate, in ms (for logs and the trust bundle). */
export function expiresAt(certPem: string): number {
  return Date.parse(new X509Certificate(certPem).validTo);
}

/** Splits a PEM bundle into its certificates, each ending in a newline. */
export function pemCertificates(bundle: string): string[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => `${pem}\n`,
  );
}
