// Which group a node is served from, as far as it depends on the model: a proxyless client in a namespace
// with consumer mesh routes gets that namespace's group (src/server/groups.ts). The namespaces come from
// the newest translation; when they change, the streams of nodes that now belong elsewhere are ended
// (XdsServer.regroup) and their clients, which keep their config meanwhile, reconnect into the right group.
import type { NodeGroup } from '../xds/node-group';
import { groupForNode } from './groups';
import type { NodeIdentity } from './node';

export class CallerGroups {
  private consumerNamespaces: ReadonlySet<string> = new Set();

  /** The main xDS port: the node's declared role. */
  readonly groupOf = (node: NodeIdentity): NodeGroup => groupForNode(node, this.consumerNamespaces);

  /** The plaintext proxyless port: every node is proxyless, whatever it says. */
  readonly proxylessGroupOf = (node: NodeIdentity): NodeGroup =>
    groupForNode({ ...node, role: 'proxyless' }, this.consumerNamespaces);

  /** Takes the newest translation's consumer namespaces; whether they changed (streams need regrouping). */
  update(namespaces: readonly string[]): boolean {
    const next = new Set(namespaces);
    const same =
      next.size === this.consumerNamespaces.size && namespaces.every((n) => this.consumerNamespaces.has(n));
    if (same) return false;
    this.consumerNamespaces = next;
    return true;
  }
}
