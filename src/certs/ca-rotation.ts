// The in-cluster issuer's CA from one check to the next, rotated in two phases so that no peer ever meets a
// certificate from a CA it does not trust yet (Envoy reads its trusted CA file only at start):
//  1. while the CA has more than a third of its lifetime left, it signs and nothing changes;
//  2. then a next CA is made and only trusted: the bundle (every Secret's ca.crt, the webhook's caBundle)
//     lists both, and every pod started from then on trusts both;
//  3. PROMOTE_AFTER_DAYS later (by then every certificate was renewed at least once and the pods holding
//     them restarted) the next CA signs, every certificate is issued again, and the old CA stays in the
//     bundle until it expires.
// A CA that is missing, unreadable or expired is replaced at once (nothing to overlap with).
import { X509Certificate } from 'node:crypto';
import {
  createCertificateAuthority,
  loadCertificateAuthority,
  type CertificateAuthority,
  type PemKeyPair,
} from './authority';
import { CA_COMMON_NAME, CA_VALID_DAYS, LEAF_VALID_DAYS } from './in-cluster-secrets';
import { expiresAt, pemCertificates, renewalReason } from './renewal';

/** A leaf's lifetime and the month pods get to restart after a renewal. */
export const PROMOTE_AFTER_DAYS = LEAF_VALID_DAYS + 30;
const DAY_MS = 24 * 3600 * 1000;

export interface StoredAuthority extends PemKeyPair {
  /** PEM bundle of the CAs to trust (the ca.crt of the CA Secret). */
  bundlePem: string;
  /** The CA that signs after PROMOTE_AFTER_DAYS, trusted already (next.crt, next.key). */
  next?: PemKeyPair;
}

export interface AuthorityState {
  /** The CA that signs now. */
  ca: CertificateAuthority;
  next?: PemKeyPair;
  bundlePem: string;
  /** Why the CA Secret must be written; undefined: unchanged. */
  writeReason?: string;
  /** True when another CA signs from now on (every leaf is then issued again). */
  rotated: boolean;
}

/** The CA to sign with now, and what to trust, from what the CA Secret held (undefined: none yet). */
export async function currentAuthority(
  stored: StoredAuthority | undefined,
  now: number,
): Promise<AuthorityState> {
  const earlier = stored ? pemCertificates(stored.bundlePem || stored.certPem) : [];
  const unusable = stored ? renewalReason(stored, { now: 0 }) : 'no CA yet'; // parse and key checks only
  if (unusable || !stored || expiresAt(stored.certPem) <= now) {
    const ca = await createCertificateAuthority(CA_COMMON_NAME, CA_VALID_DAYS);
    const writeReason = unusable ?? 'the CA expired';
    return { ca, bundlePem: trustBundle(ca.certPem, earlier, now), writeReason, rotated: true };
  }
  const next = stored.next;
  if (next && Date.parse(new X509Certificate(next.certPem).validFrom) + PROMOTE_AFTER_DAYS * DAY_MS <= now) {
    const ca = await loadCertificateAuthority(next.certPem, next.keyPem);
    const bundlePem = trustBundle(ca.certPem, [stored.certPem, ...earlier], now);
    return { ca, bundlePem, writeReason: 'the next CA signs from now on', rotated: true };
  }
  const ca = await loadCertificateAuthority(stored.certPem, stored.keyPem);
  if (!next && renewalReason(stored, { now })) {
    const made = await createCertificateAuthority(CA_COMMON_NAME, CA_VALID_DAYS);
    const staged = { certPem: made.certPem, keyPem: made.keyPem };
    const bundlePem = trustBundle(ca.certPem, [made.certPem, ...earlier], now);
    const writeReason = `a next CA is trusted from now on; it signs in ${PROMOTE_AFTER_DAYS} days`;
    return { ca, next: staged, bundlePem, writeReason, rotated: false };
  }
  const bundlePem = trustBundle(ca.certPem, [...(next ? [next.certPem] : []), ...earlier], now);
  const writeReason = bundlePem === stored.bundlePem ? undefined : 'trust bundle updated';
  return {
    ca,
    ...(next ? { next } : {}),
    bundlePem,
    ...(writeReason ? { writeReason } : {}),
    rotated: false,
  };
}

/** The signing CA, then every other CA to trust that has not expired, once each. */
export function trustBundle(currentPem: string, others: readonly string[], now: number): string {
  const current = currentPem.trim();
  const kept = [...new Set(others.map((pem) => pem.trim()))].filter(
    (pem) => pem !== current && expiresAt(pem) > now,
  );
  return [current, ...kept].map((pem) => `${pem}\n`).join('');
}
