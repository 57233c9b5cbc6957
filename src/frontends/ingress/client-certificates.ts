// An Ingress's client-certificate authentication (ingress-nginx auth-tls-*, kxds.io/ too): auth-tls-secret
// names a Secret of the Ingress's own namespace ("NAME" or "NAMESPACE/NAME") whose ca.crt holds the CA
// certificates; auth-tls-verify-client is on (the default: no valid certificate, no TLS connection),
// optional (verified when sent), optional_no_ca (asked for, not verified) or off; auth-tls-verify-depth the
// CAs allowed above the client's certificate (1 by default, as ingress-nginx);
// auth-tls-pass-certificate-to-upstream sends the certificate to the backend. Whatever can't be read
// (missing Secret or key, not a PEM certificate, another namespace, a bad value) fails the Ingress closed.
import { X509Certificate } from 'node:crypto';
import type { Ingress, SecretRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import type { AnnotationReader, AnnotationValue } from '../../translate/annotations';
import type { IrClientCertificates } from '../../ir/http';
import { annotationSecretRef } from './basic-auth';
import { secretValue } from './tls-secrets';

export type ClientCertificatesRead =
  | { ok: true; settings?: IrClientCertificates }
  /** The annotation to fail closed on, and why. */
  | { ok: false; bad: AnnotationValue; reason: string };

const MODES: Readonly<Record<string, IrClientCertificates['mode'] | 'off'>> = {
  on: 'require',
  optional: 'optional',
  optional_no_ca: 'optional-untrusted',
  off: 'off',
};

/** The Secret client-certificate auth would read (own namespace only, not when verification is off). */
export function clientCertificateSecretRef(r: AnnotationReader, ingress: Ingress): SecretRef | undefined {
  const value = r.raw('auth-tls-secret', 'auth-tls-secret')?.value;
  if (!value || r.raw('auth-tls-verify-client', 'auth-tls-verify-client')?.value.toLowerCase() === 'off')
    return undefined;
  const namespace = ingress.metadata.namespace ?? 'default';
  const ref = annotationSecretRef(value, namespace);
  return ref.namespace === namespace && ref.name !== '' ? ref : undefined;
}

function caBundle(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return undefined;
  try {
    for (const block of blocks) new X509Certificate(block);
  } catch {
    return undefined;
  }
  return `${blocks.join('\n')}\n`;
}

export function clientCertificates(
  r: AnnotationReader,
  ingress: Ingress,
  model: ModelView,
): ClientCertificatesRead {
  const secretRef = r.raw('auth-tls-secret', 'auth-tls-secret');
  const verify = r.raw('auth-tls-verify-client', 'auth-tls-verify-client');
  const mode = MODES[(verify?.value ?? 'on').toLowerCase()];
  if (verify && !mode)
    return { ok: false, bad: verify, reason: `"${verify.value}" is not on, optional, optional_no_ca or off` };
  if (!secretRef) {
    if (verify && mode !== 'off') return { ok: false, bad: verify, reason: 'needs auth-tls-secret' };
    return { ok: true };
  }
  if (mode === 'off' || !mode) return { ok: true };
  const namespace = ingress.metadata.namespace ?? 'default';
  const { namespace: secretNs, name } = annotationSecretRef(secretRef.value, namespace);
  const where = `Secret ${secretNs}/${name}`;
  if (secretNs !== namespace || name === '')
    return { ok: false, bad: secretRef, reason: `${where} is not in the Ingress's namespace` };
  const secret = model.get('Secret', secretNs, name);
  if (!secret) return { ok: false, bad: secretRef, reason: `${where} not found` };
  const pem = secretValue(secret, 'ca.crt');
  const caPem = pem === undefined ? undefined : caBundle(pem);
  if (!caPem)
    return { ok: false, bad: secretRef, reason: `${where} key "ca.crt" holds no PEM CA certificate` };
  const maxDepth = r.int('auth-tls-verify-depth', { min: 0, max: 100 }, 'auth-tls-verify-depth');
  const depthFound = r.raw('auth-tls-verify-depth', 'auth-tls-verify-depth');
  // An unreadable depth must not widen what is accepted.
  if (depthFound && maxDepth === undefined)
    return {
      ok: false,
      bad: depthFound,
      reason: `"${depthFound.value}" is not a whole number from 0 to 100`,
    };
  return {
    ok: true,
    settings: {
      caPem,
      mode,
      maxDepth: maxDepth ?? 1,
      forwardToUpstream:
        r.bool('auth-tls-pass-certificate-to-upstream', 'auth-tls-pass-certificate-to-upstream') ?? false,
    },
  };
}
