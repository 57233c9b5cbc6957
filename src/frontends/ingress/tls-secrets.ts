// kubernetes.io/tls Secrets -> certificate and key for SDS. The pair is checked with node:crypto (both
// parse as PEM, the key belongs to the certificate) so a broken Secret disables TLS for its hosts with a
// warning instead of making Envoy reject the whole listener. Warnings never quote key material.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Secret } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import type { IrSecret } from '../../ir/http';

export type SecretResult =
  { ok: true; secret: IrSecret; certificate: X509Certificate } | { ok: false; reason: string };

export function tlsSecret(model: ModelView, namespace: string, name: string): SecretResult {
  const secret = model.get('Secret', namespace, name);
  if (!secret) return { ok: false, reason: `Secret ${namespace}/${name} not found` };
  if (secret.type !== undefined && secret.type !== 'kubernetes.io/tls' && secret.type !== 'Opaque') {
    return {
      ok: false,
      reason: `Secret ${namespace}/${name} has type ${secret.type}, not kubernetes.io/tls`,
    };
  }
  const cert = secretValue(secret, 'tls.crt');
  const key = secretValue(secret, 'tls.key');
  if (!cert || !key) {
    return { ok: false, reason: `Secret ${namespace}/${name} lacks tls.crt or tls.key` };
  }
  const checked = checkPair(cert, key);
  if (typeof checked === 'string') return { ok: false, reason: `Secret ${namespace}/${name}: ${checked}` };
  return {
    ok: true,
    secret: { name: `${namespace}/${name}`, certificatePem: cert, privateKeyPem: key },
    certificate: checked,
  };
}

/** Does the certificate name this host? A wildcard rule host is probed with one made-up label. */
export function certificateCovers(certificate: X509Certificate, host: string): boolean {
  const probe = host.startsWith('*.') ? `kxds-probe${host.slice(1)}` : host;
  return certificate.checkHost(probe) !== undefined;
}

/** Why a usable pair would still fail clients at `now` (expired, not yet valid), or undefined. */
export function validityProblem(certificate: X509Certificate, now: Date): string | undefined {
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (now > to) return `its certificate expired on ${to.toISOString()}`;
  if (now < from) return `its certificate is not valid before ${from.toISOString()}`;
  return undefined;
}

/** A Secret's value for `key` (stringData first, then base64 data), as UTF-8 text. */
export function secretValue(secret: Secret, key: string): string | undefined {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  if (encoded === undefined) return undefined;
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** A reason the pair is unusable, or the certificate. The reasons are fixed texts: no secret bytes leak. */
function checkPair(certPem: string, keyPem: string): string | X509Certificate {
  if (!certPem.includes('-----BEGIN CERTIFICATE-----')) return 'tls.crt is not a PEM certificate';
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) return 'tls.key is not a PEM private key';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'tls.crt does not parse as an X.509 certificate';
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return 'tls.key does not parse as a private key';
  }
  if (!cert.checkPrivateKey(key)) return 'tls.key does not belong to the certificate in tls.crt';
  return cert;
}
