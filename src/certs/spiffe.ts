// SPIFFE-style workload identities, the one name format kxds issues (certgen) and checks (the xDS port):
// spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT, carried as a certificate's URI subjectAltName.
export interface SpiffeId {
  uri: string;
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';
/** The edge Envoy fleet's ServiceAccount in kxds's namespace (k8s/base/edge.yaml). */
export const EDGE_SERVICE_ACCOUNT = 'kxds-edge';
/** Who reads CSDS: an operator's credential, not any workload's. */
export const OPERATOR_SERVICE_ACCOUNT = 'kxds-operator';
/** The service account name in the one shared sidecar certificate certgen issues per namespace. */
export const SIDECAR_SERVICE_ACCOUNT = 'kxds-sidecar';

// DNS-label-ish segments; anything else (empty, extra segments, odd characters) is no identity at all.
const SPIFFE_PATTERN = /^spiffe:\/\/([a-z0-9._-]+)\/ns\/([a-z0-9-]+)\/sa\/([a-z0-9.-]+)$/;

export function parseSpiffeId(uri: string): SpiffeId | undefined {
  const match = SPIFFE_PATTERN.exec(uri);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { uri, trustDomain: match[1], namespace: match[2], serviceAccount: match[3] };
}

export function spiffeUri(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * An identity as a flag gives it: a full spiffe:// URI, or NAMESPACE/SERVICE_ACCOUNT in the trust domain.
 * Throws with the flag's name on anything else.
 */
export function identityFromFlag(flag: string, value: string, trustDomain: string): string {
  const uri = value.startsWith('spiffe://') ? value : spiffeUri(trustDomain, ...splitPair(value));
  const id = parseSpiffeId(uri);
  if (!id)
    throw new Error(
      `${flag} "${value}": expected NAMESPACE/SERVICE_ACCOUNT or spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`,
    );
  if (id.trustDomain !== trustDomain)
    throw new Error(
      `${flag} "${value}": trust domain ${id.trustDomain} is not --trust-domain ${trustDomain}`,
    );
  return uri;
}

function splitPair(value: string): [string, string] {
  const [namespace = '', serviceAccount = '', ...rest] = value.split('/');
  return rest.length ? ['', ''] : [namespace, serviceAccount];
}
