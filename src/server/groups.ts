// Which snapshot group serves a node (see src/xds/node-group.ts): one group per role, and for sidecars
// one per namespace, capture mode and egress list, proxyless clients one per dialect, the Envoys of a Gateway
// one per Gateway; never one per node. A proxyless client's namespace splits its group only when that
// namespace has consumer mesh routes (`consumerNamespaces`, from the newest translation): otherwise every
// namespace would cost a group of its own for identical config, and node metadata would choose the count.
import { EDGE_GROUP, gatewayGroup, proxylessGroup, sidecarGroup, type NodeGroup } from '../xds/node-group';
import type { NodeIdentity } from './node';

export function groupForNode(
  node: NodeIdentity,
  consumerNamespaces: ReadonlySet<string> = new Set(),
): NodeGroup {
  switch (node.role) {
    case 'edge':
      return node.gateway ? gatewayGroup(node.gateway.namespace, node.gateway.name) : EDGE_GROUP;
    case 'proxyless':
      return proxylessGroup(
        node.grpcDialect,
        node.namespace !== undefined && consumerNamespaces.has(node.namespace) ? node.namespace : undefined,
      );
    case 'sidecar':
      return sidecarGroup(node.namespace ?? 'default', node.transparent ?? false, node.egress);
  }
}
