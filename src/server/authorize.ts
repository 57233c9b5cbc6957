// The access decision for the main xDS port, in one place: may this peer (see identity.ts) be served as the
// node it claims to be, and may it read CSDS? Fails closed: anything not positively allowed is refused
// with a message naming the identity and what it claimed (client-supplied text clipped).
//
// With a client certificate, its SPIFFE URI decides: an edge only for an identity of the edge set (the edge
// gets every Ingress private key), and so is an Envoy of any Gateway (kxds.io/gateway: its group holds that
// Gateway's listener keys); a sidecar only in its own namespace's groups; proxyless for any identity
// of the trust domain (the proxyless view holds no secret); CSDS only for an operator identity. A node whose
// kxds.io/gateway names no possible Gateway is refused for any identity rather than served the Ingress edge.
// Without one (a plaintext port), edge, sidecar and CSDS are served only to loopback peers (the demo on one
// machine, kubectl port-forward), or to anyone when the operator said so with --xds-insecure-roles.
import type { NodeInfo } from './node';
import { parseSpiffeId } from '../certs/spiffe';
import type { PeerIdentity } from './identity';

export interface AccessPolicy {
  trustDomain: string;
  /** SPIFFE URIs that may be served as edge. */
  edgeIdentities: readonly string[];
  /** SPIFFE URIs that may read CSDS. */
  operatorIdentities: readonly string[];
  /** Plaintext: serve edge, sidecar and CSDS to any peer, not only loopback ones. */
  insecureRoles: boolean;
}

/** Without a policy: no certificate identity is an edge or operator, plaintext roles only for loopback peers. */
export const STRICT_ACCESS: AccessPolicy = {
  trustDomain: 'cluster.local',
  edgeIdentities: [],
  operatorIdentities: [],
  insecureRoles: false,
};

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: AccessDecision = { allowed: true };
const MAX_CLIENT_TEXT = 128;

/** Client-supplied text for a message or log line: bounded, so a 10 MB node id stays a short line. */
export function clip(text: string, max = MAX_CLIENT_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

function deny(reason: string): AccessDecision {
  return { allowed: false, reason };
}

/** What authorizeNode reads of a node. */
export type NodeClaim = Pick<NodeInfo, 'role' | 'namespace' | 'gateway' | 'badGatewayRef'>;

function claimOf(node: NodeClaim): string {
  if (node.role === 'sidecar') return `role sidecar in namespace "${clip(node.namespace ?? 'default')}"`;
  if (node.gateway) return `role edge for Gateway ${node.gateway.namespace}/${node.gateway.name}`;
  return `role ${node.role}`;
}

/** The SPIFFE id of a certificate peer in the policy's trust domain, or why there is none. */
function spiffeOf(policy: AccessPolicy, identity: Extract<PeerIdentity, { kind: 'certificate' }>) {
  const ids = identity.uris.flatMap((uri) => parseSpiffeId(uri) ?? []);
  const id = ids.find((candidate) => candidate.trustDomain === policy.trustDomain);
  if (id) return { id };
  const shown = identity.uris.length
    ? `URI SANs ${identity.uris.map((u) => clip(u)).join(', ')}`
    : 'no URI SAN';
  return {
    reason:
      `client certificate "${clip(identity.subject)}" has ${shown}: expected ` +
      `spiffe://${policy.trustDomain}/ns/NAMESPACE/sa/SERVICE_ACCOUNT (issue one with kxds certgen)`,
  };
}

function plaintextAllows(
  policy: AccessPolicy,
  identity: Extract<PeerIdentity, { kind: 'plaintext' }>,
): boolean {
  return identity.loopback || policy.insecureRoles;
}

/** May this peer be served as this node (its role, and for sidecars its namespace's groups)? */
export function authorizeNode(policy: AccessPolicy, identity: PeerIdentity, node: NodeClaim): AccessDecision {
  if (node.badGatewayRef !== undefined)
    return deny(
      `node metadata kxds.io/gateway "${clip(node.badGatewayRef)}" names no Gateway: expected NAMESPACE/NAME`,
    );
  if (identity.kind === 'plaintext') {
    if (node.role === 'proxyless' || plaintextAllows(policy, identity)) return ALLOWED;
    return deny(
      `plaintext peer ${identity.peer} may not claim ${claimOf(node)}: edge and sidecar roles need a client ` +
        'certificate on a mutual TLS port (or a loopback peer, or --xds-insecure-roles)',
    );
  }
  const spiffe = spiffeOf(policy, identity);
  if (!spiffe.id) return deny(spiffe.reason);
  const { id } = spiffe;
  switch (node.role) {
    case 'proxyless':
      return ALLOWED;
    case 'edge':
      return policy.edgeIdentities.includes(id.uri)
        ? ALLOWED
        : deny(
            `identity ${id.uri} may not claim ${claimOf(node)}: not one of the edge identities (--xds-edge-identity)`,
          );
    case 'sidecar':
      return (node.namespace ?? 'default') === id.namespace
        ? ALLOWED
        : deny(`identity ${id.uri} (namespace ${id.namespace}) may not claim ${claimOf(node)}`);
  }
}

/** May this peer read CSDS (every connected proxy's config)? */
export function authorizeOperator(policy: AccessPolicy, identity: PeerIdentity): AccessDecision {
  if (identity.kind === 'plaintext')
    return plaintextAllows(policy, identity)
      ? ALLOWED
      : deny(`plaintext peer ${identity.peer} may not read CSDS: it needs an operator client certificate`);
  const spiffe = spiffeOf(policy, identity);
  if (!spiffe.id) return deny(spiffe.reason);
  return policy.operatorIdentities.includes(spiffe.id.uri)
    ? ALLOWED
    : deny(
        `identity ${spiffe.id.uri} may not read CSDS: not one of the operator identities (--xds-operator-identity)`,
      );
}
