// Who a projected service-account token belongs to, asked of the API server (TokenReview, as istiod and the
// kubelet do): kxds never checks a token's signature itself, so a revoked token, a deleted pod's token or one
// for another audience is refused by the one place that knows. The token is never logged.
import { KubeApiError, type KubeClient } from './kube-client';

export type TokenReviewResult =
  { ok: true; namespace: string; serviceAccount: string } | { ok: false; reason: string };

interface TokenReviewStatus {
  status?: {
    authenticated?: boolean;
    error?: string;
    audiences?: string[];
    user?: { username?: string };
  };
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([a-z0-9-]+):([a-z0-9.-]+)$/;

/** Reviews `token` for `audience`; a token that is not a ServiceAccount's is refused like a bad one. */
export async function reviewServiceAccountToken(
  client: KubeClient,
  token: string,
  audience: string,
): Promise<TokenReviewResult> {
  let review: TokenReviewStatus;
  try {
    review = await client.request<TokenReviewStatus>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token, audiences: [audience] },
      },
      timeoutMs: 10_000,
    });
  } catch (err) {
    const detail = err instanceof KubeApiError ? `${err.statusCode} ${err.reason}` : 'no answer';
    return { ok: false, reason: `the token could not be reviewed (TokenReview: ${detail})` };
  }
  const status = review.status ?? {};
  if (status.authenticated !== true)
    return {
      ok: false,
      reason: `the token is not valid: ${(status.error ?? 'not authenticated').slice(0, 200)}`,
    };
  if (!(status.audiences ?? []).includes(audience))
    return { ok: false, reason: `the token is not for audience "${audience}"` };
  const user = SERVICE_ACCOUNT_USER.exec(status.user?.username ?? '');
  if (!user?.[1] || !user[2]) return { ok: false, reason: 'the token does not belong to a ServiceAccount' };
  return { ok: true, namespace: user[1], serviceAccount: user[2] };
}
