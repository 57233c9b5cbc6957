// Which snapshot group serves a node (see src/translate/groups.ts): one group per role, and for sidecars
// one per namespace, capture mode and egress list, proxyless clients one per dialect; never one per node.
import { GROUP_EDGE, proxylessGroupKey, sidecarGroupKey } from '../translate/groups';
import type { NodeInfo } from './node';

export function groupForNode(node: Omit<NodeInfo, 'group'>): string {
  switch (node.role) {
    case 'edge':
      return GROUP_EDGE;
    case 'proxyless':
      return proxylessGroupKey(node.grpcDialect);
    case 'sidecar':
      return sidecarGroupKey({
        namespace: node.namespace ?? 'default',
        transparent: node.transparent ?? false,
        ...(node.egress ? { egress: node.egress } : {}),
      });
  }
}
