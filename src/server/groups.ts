// Which snapshot group serves a node: all edge Envoys share one, all proxyless clients another, and
// sidecars share one per namespace (their view can differ by namespace).
import { GROUP_EDGE, GROUP_PROXYLESS, sidecarGroup } from '../translate/translate';
import type { NodeRole } from './node';

export function groupForNode(role: NodeRole, namespace?: string): string {
  switch (role) {
    case 'edge':
      return GROUP_EDGE;
    case 'proxyless':
      return GROUP_PROXYLESS;
    case 'sidecar':
      return sidecarGroup(namespace ?? 'default');
  }
}
