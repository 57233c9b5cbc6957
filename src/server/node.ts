// Who is on the other end of a stream: the node's role and the snapshot group it is served from.
// Role comes from node.metadata["kxds.io/role"]; without it, a gRPC library (user_agent_name "gRPC ...") is
// proxyless and anything else is an edge Envoy. An edge Envoy announcing kxds.io/gateway NS/NAME serves that
// Gateway; without it, the Ingress edge.
import { nodeGroupKey, parseEgressList, parseGatewayRef, type NodeGroup } from '../xds/node-group';
import { grpcDialect, type GrpcDialect } from '../xds/client-dialect';

export type NodeRole = 'edge' | 'sidecar' | 'proxyless';
export const NODE_ROLES: readonly NodeRole[] = ['edge', 'sidecar', 'proxyless'];
export const ROLE_METADATA_KEY = 'kxds.io/role';
export const NAMESPACE_METADATA_KEYS = ['kxds.io/namespace', 'NAMESPACE', 'namespace'];
export const CAPTURE_METADATA_KEY = 'kxds.io/capture';
export const EGRESS_METADATA_KEY = 'kxds.io/egress-namespaces';
export const GATEWAY_METADATA_KEY = 'kxds.io/gateway';

/** The node as the first DiscoveryRequest of a stream describes it (decoded, snake_case). */
export interface XdsNode {
  id?: string;
  cluster?: string;
  user_agent_name?: string;
  user_agent_version?: string;
  metadata?: Record<string, unknown>;
  locality?: Record<string, unknown>;
}

export interface NodeInfo {
  id: string;
  role: NodeRole;
  /** Pod namespace for sidecars; for proxyless clients the namespace they declare in kxds.io/namespace. */
  namespace?: string;
  /** Sidecars: transparent (iptables) capture instead of the explicit 127.0.0.1:15001 proxy. */
  transparent?: boolean;
  /** Sidecars: the pod's own egress namespace list, when it sets one. */
  egress?: string[];
  /** Edge Envoys of a Gateway: the Gateway named by kxds.io/gateway. */
  gateway?: { namespace: string; name: string };
  /** kxds.io/gateway was set but names no possible Gateway (the stream is refused: see authorize.ts). */
  badGatewayRef?: string;
  userAgent: string;
  /** The dialect it gets when served as proxyless, from user_agent_name/user_agent_version. */
  grpcDialect: GrpcDialect;
  /** The snapshot group serving the node. */
  group: NodeGroup;
  /** The group's key (nodeGroupKey): the index into the cache, logs and per-group tables. */
  groupKey: string;
  /** Why the role is what it is, for logs and the status page. */
  roleSource: 'metadata' | 'user-agent' | 'default';
}

/** What describeNode knows before the group is chosen. */
export type NodeIdentity = Omit<NodeInfo, 'group' | 'groupKey'>;

/** Chooses a node's group (src/server/groups.ts in the server; a constant in tests). */
export type GroupOf = (node: NodeIdentity) => NodeGroup;

function metadataString(metadata: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = metadata?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A sidecar's node id is "NAME.NAMESPACE" (or "sidecar~IP~NAME.NAMESPACE~..." Istio-style) when metadata lacks it. */
function namespaceFromId(id: string): string | undefined {
  const last = id.split('~').find((part) => part.includes('.')) ?? '';
  const dot = last.indexOf('.');
  return dot > 0 ? last.slice(dot + 1).split('.')[0] : undefined;
}

export function describeNode(node: XdsNode | undefined, groupOf: GroupOf): NodeInfo {
  const id = node?.id ?? '';
  const userAgent = [node?.user_agent_name, node?.user_agent_version].filter(Boolean).join(' ');
  const declared = metadataString(node?.metadata, ROLE_METADATA_KEY);
  let role: NodeRole;
  let roleSource: NodeInfo['roleSource'];
  if (declared && (NODE_ROLES as readonly string[]).includes(declared)) {
    role = declared as NodeRole;
    roleSource = 'metadata';
  } else if ((node?.user_agent_name ?? '').startsWith('gRPC')) {
    role = 'proxyless';
    roleSource = 'user-agent';
  } else {
    role = 'edge';
    roleSource = 'default';
  }
  const info: NodeIdentity = {
    id,
    role,
    userAgent,
    roleSource,
    grpcDialect: grpcDialect(node?.user_agent_name, node?.user_agent_version),
  };
  if (role === 'sidecar') {
    let namespace: string | undefined;
    for (const key of NAMESPACE_METADATA_KEYS) namespace ??= metadataString(node?.metadata, key);
    namespace ??= namespaceFromId(id);
    if (namespace) info.namespace = namespace;
    if (metadataString(node?.metadata, CAPTURE_METADATA_KEY) === 'iptables') info.transparent = true;
    const egress = parseEgressList(metadataString(node?.metadata, EGRESS_METADATA_KEY));
    if (egress) info.egress = egress;
  }
  if (role === 'proxyless') {
    // Only the explicit key: a proxyless node id has no conventional shape to read a namespace from.
    const namespace = metadataString(node?.metadata, NAMESPACE_METADATA_KEYS[0] as string);
    if (namespace) info.namespace = namespace;
  }
  const gatewayRef = metadataString(node?.metadata, GATEWAY_METADATA_KEY);
  if (role === 'edge' && gatewayRef !== undefined) {
    const gateway = parseGatewayRef(gatewayRef);
    if (gateway) info.gateway = { namespace: gateway.namespace, name: gateway.name };
    else info.badGatewayRef = gatewayRef;
  }
  const group = groupOf(info);
  return { ...info, group, groupKey: nodeGroupKey(group) };
}
