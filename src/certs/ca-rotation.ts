// The in-cluster issuer's CA from one reconcile to the next: kept while it has more than a third of its
// lifetime left, else replaced by a new one. The trust bundle (every Secret's ca.crt, the webhook's caBundle)
// lists the current CA first and every earlier one until it expires, so peers still holding a certificate
// from the old CA keep being trusted while their certificates are renewed.
import {
  createCertificateAuthority,
  loadCertificateAuthority,
  type CertificateAuthority,
  type PemKeyPair,
} from './authority';
import { CA_COMMON_NAME, CA_VALID_DAYS } from './in-cluster-secrets';
import { expiresAt, pemCertificates, renewalReason } from './renewal';

export interface StoredAuthority extends PemKeyPair {
  /** PEM bundle of the CAs to trust (the ca.crt of the CA Secret). */
  bundlePem: string;
}

export interface AuthorityState {
  ca: CertificateAuthority;
  bundlePem: string;
  /** Why the CA Secret must be written (created, replaced, bundle pruned); undefined: unchanged. */
  writeReason?: string;
  /** True when a new CA was made (every leaf is then issued again). */
  rotated: boolean;
}

/** The CA to sign with now, from what the CA Secret held (undefined: none yet). */
export async function currentAuthority(
  stored: StoredAuthority | undefined,
  now: number,
): Promise<AuthorityState> {
  const reason = stored ? renewalReason(stored, { now }) : 'no CA yet';
  if (reason || !stored) {
    const ca = await createCertificateAuthority(CA_COMMON_NAME, CA_VALID_DAYS);
    const earlier = stored ? pemCertificates(stored.bundlePem || stored.certPem) : [];
    return { ca, bundlePem: trustBundle(ca.certPem, earlier, now), writeReason: reason, rotated: true };
  }
  const ca = await loadCertificateAuthority(stored.certPem, stored.keyPem);
  const bundlePem = trustBundle(stored.certPem, pemCertificates(stored.bundlePem), now);
  const writeReason = bundlePem === stored.bundlePem ? undefined : 'trust bundle updated';
  return { ca, bundlePem, ...(writeReason ? { writeReason } : {}), rotated: false };
}

/** The current CA, then every other earlier CA that has not expired, once each. */
export function trustBundle(currentPem: string, earlier: readonly string[], now: number): string {
  const current = currentPem.trim();
  const kept = [...new Set(earlier.map((pem) => pem.trim()))].filter(
    (pem) => pem !== current && expiresAt(pem) > now,
  );
  return [current, ...kept].map((pem) => `${pem}\n`).join('');
}
