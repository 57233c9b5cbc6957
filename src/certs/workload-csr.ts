// Short-lived workload certificates over a CSR, the way istiod's CA issues them: the workload (kxds agent)
// makes its own key, which never leaves it, and sends a PKCS#10 request; kxds signs the public key with the
// identity it proved by other means (a reviewed service-account token), never with what the CSR asks for.
// Only ECDSA P-256 keys are taken: one key type keeps the check simple and matches kxds's own certificates.
import 'reflect-metadata'; // before @peculiar/x509 (see authority.ts)
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import {
  ALGORITHM,
  privateKeyPem,
  signPublicKey,
  useWebCrypto,
  type CertificateAuthority,
} from './authority';
import type { SpiffeId } from './spiffe';

/** CSRs are small; anything bigger is not one. */
const MAX_CSR_CHARS = 16 * 1024;

/** A fresh key and a CSR for it (the agent's half). */
export async function createWorkloadCsr(commonName: string): Promise<{ csrPem: string; keyPem: string }> {
  useWebCrypto();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: ALGORITHM,
  });
  return { csrPem: `${csr.toString('pem')}\n`, keyPem: await privateKeyPem(keys.privateKey) };
}

export class CsrError extends Error {}

/**
 * Checks the CSR (parses, P-256 key, signed by that key: its sender holds the private key) and signs its key
 * for `identity`, valid `validSeconds`. Throws CsrError with a reason fit for the caller.
 */
export async function signWorkloadCsr(
  ca: CertificateAuthority,
  csrPem: string,
  identity: SpiffeId,
  validSeconds: number,
): Promise<string> {
  useWebCrypto();
  if (csrPem.length > MAX_CSR_CHARS) throw new CsrError(`the CSR is larger than ${MAX_CSR_CHARS} characters`);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new CsrError('the CSR is not a PEM or DER PKCS#10 certificate request');
  }
  const algorithm = csr.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256')
    throw new CsrError('the CSR key is not an ECDSA P-256 key');
  if (!(await csr.verify())) throw new CsrError('the CSR signature does not verify with its own key');
  const publicKey = await csr.publicKey.export(ALGORITHM, ['verify']);
  return signPublicKey(ca, publicKey, {
    commonName: `${identity.serviceAccount}.${identity.namespace}`,
    uris: [identity.uri],
    usage: 'client',
    validDays: 1,
    validSeconds,
  });
}
