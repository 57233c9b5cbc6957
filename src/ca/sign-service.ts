// The WorkloadCertificates.Sign handler: a bearer token (a projected service-account token for kxds's
// audience) proves who calls, the TokenReview API says whose it is, and the CSR's key is signed for that
// ServiceAccount's SPIFFE id, short-lived. Refusals carry a reason (UNAUTHENTICATED: the token;
// INVALID_ARGUMENT: the CSR) and are logged with the peer, never with the token.
import * as grpc from '@grpc/grpc-js';
import type { CertificateAuthority } from '../certs/authority';
import { spiffeUri } from '../certs/spiffe';
import { CsrError, signWorkloadCsr } from '../certs/workload-csr';
import type { Logger } from '../log';
import type { SignRequest, SignResponse } from './proto';

export type TokenOwner =
  { ok: true; namespace: string; serviceAccount: string } | { ok: false; reason: string };

export interface SigningAuthority {
  ca: CertificateAuthority;
  /** PEM of every CA the control plane trusts. */
  trustBundle: string;
}

export interface SignServiceOptions {
  trustDomain: string;
  reviewToken(token: string): Promise<TokenOwner>;
  /** Read per call, so a renewed or rotated CA signs from the next call on. */
  authority(): Promise<SigningAuthority>;
  maxValiditySeconds: number;
  logger: Logger;
}

/** Shorter lifetimes than this are raised to it: a certificate must outlive the agent's renewal retries. */
const MIN_VALIDITY_SECONDS = 600;
const MAX_TOKEN_CHARS = 16 * 1024;

export function bearerToken(metadata: grpc.Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  const match = typeof value === 'string' ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1] && match[1].length <= MAX_TOKEN_CHARS ? match[1] : undefined;
}

export function validitySeconds(requested: string | number, max: number): number {
  const n = Number(requested);
  if (!Number.isFinite(n) || n <= 0 || n > max) return max;
  return Math.max(Math.floor(n), Math.min(MIN_VALIDITY_SECONDS, max));
}

export function signServiceImplementation(options: SignServiceOptions): grpc.UntypedServiceImplementation {
  const log = options.logger.child({ component: 'workload-ca' });
  const sign = async (call: grpc.ServerUnaryCall<SignRequest, SignResponse>): Promise<SignResponse> => {
    const token = bearerToken(call.metadata);
    if (!token)
      throw refusal(
        grpc.status.UNAUTHENTICATED,
        'no bearer token: send a projected service-account token as "authorization: Bearer TOKEN"',
      );
    const owner = await options.reviewToken(token);
    if (!owner.ok) throw refusal(grpc.status.UNAUTHENTICATED, owner.reason);
    const uri = spiffeUri(options.trustDomain, owner.namespace, owner.serviceAccount);
    const identity = { uri, trustDomain: options.trustDomain, ...owner };
    const { ca, trustBundle } = await options.authority();
    const seconds = validitySeconds(call.request.validity_seconds, options.maxValiditySeconds);
    try {
      const certPem = await signWorkloadCsr(ca, call.request.csr, identity, seconds);
      log.info({ peer: call.getPeer(), identity: uri, validSeconds: seconds }, 'workload certificate issued');
      return { certificate_chain: [certPem, ca.certPem], trust_bundle: trustBundle };
    } catch (err) {
      if (err instanceof CsrError) throw refusal(grpc.status.INVALID_ARGUMENT, `${uri}: ${err.message}`);
      throw err;
    }
  };
  return {
    Sign: (
      call: grpc.ServerUnaryCall<SignRequest, SignResponse>,
      callback: grpc.sendUnaryData<SignResponse>,
    ) => {
      sign(call).then(
        (reply) => callback(null, reply),
        (err: unknown) => {
          const refused = err instanceof Refusal;
          const details = refused ? err.message : 'the certificate could not be signed';
          if (refused) log.warn({ peer: call.getPeer(), reason: details }, 'workload certificate refused');
          else log.error({ peer: call.getPeer(), err }, 'workload certificate signing failed');
          callback({ code: refused ? err.code : grpc.status.INTERNAL, details });
        },
      );
    },
  };
}

class Refusal extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

const refusal = (code: grpc.status, message: string): Refusal => new Refusal(code, message);
