// Connected clients as JSON for /debug/nodes and the status page: who (id, role, group, dialect), since
// when, what their group's dialect held back, and per type the version sent and ACKed, the NACK if any,
// and every resource's status.
import type { ConnectedClient } from '../server/client-status';
import { resourceStatuses } from '../server/client-status';
import type { HeldBackPolicy } from '../ir/clusters';
import type { DialectId } from '../translate/dialects/dialect';

/** The policies a node group's dialect could not take (from the newest build). */
export type HeldBackOf = (group: string) => readonly HeldBackPolicy[];

export interface TypeSummary {
  type: string;
  wildcard: boolean;
  subscribed: string[];
  sentVersion?: string;
  sentAt?: string;
  ackedVersion?: string;
  ackedAt?: string;
  nack?: { version: string; message: string; at: string };
  resources: { name: string; version: string; status: string }[];
}

export interface NodeSummary {
  id: string;
  role: string;
  roleSource: string;
  group: string;
  /** What the node may receive: "envoy", or the gRPC implementation its group is built for. */
  dialect: DialectId;
  heldBack: readonly HeldBackPolicy[];
  namespace?: string;
  userAgent: string;
  /** Who the stream was authenticated as (the certificate's SPIFFE id, or plaintext). */
  identity?: string;
  protocol: string;
  connectedAt: string;
  lastSeen: string;
  types: TypeSummary[];
}

export function nodeSummary(client: ConnectedClient, heldBackOf: HeldBackOf = () => []): NodeSummary {
  const statuses = resourceStatuses(client);
  return {
    id: client.info.id,
    role: client.info.role,
    roleSource: client.info.roleSource,
    group: client.info.groupKey,
    dialect: client.info.group.kind === 'proxyless' ? (client.info.group.dialect ?? 'grpc') : 'envoy',
    heldBack: heldBackOf(client.info.groupKey),
    ...(client.info.namespace ? { namespace: client.info.namespace } : {}),
    userAgent: client.info.userAgent,
    ...(client.identity ? { identity: client.identity } : {}),
    protocol: client.protocol,
    connectedAt: client.openedAt.toISOString(),
    lastSeen: client.lastSeen.toISOString(),
    types: client.types.map((t) => ({
      type: t.kind,
      wildcard: t.wildcard,
      subscribed: t.subscribed,
      ...(t.sentVersion !== undefined ? { sentVersion: t.sentVersion } : {}),
      ...(t.sentAt ? { sentAt: t.sentAt.toISOString() } : {}),
      ...(t.ackedVersion !== undefined ? { ackedVersion: t.ackedVersion } : {}),
      ...(t.ackedAt ? { ackedAt: t.ackedAt.toISOString() } : {}),
      ...(t.nack
        ? { nack: { version: t.nack.version, message: t.nack.message, at: t.nack.at.toISOString() } }
        : {}),
      resources: statuses
        .filter((r) => r.kind === t.kind)
        .map((r) => ({ name: r.name, version: r.version, status: r.clientStatus })),
    })),
  };
}

export function nodeSummaries(
  clients: readonly ConnectedClient[],
  heldBackOf: HeldBackOf = () => [],
): NodeSummary[] {
  return clients
    .map((c) => nodeSummary(c, heldBackOf))
    .sort((a, b) => a.id.localeCompare(b.id) || a.connectedAt.localeCompare(b.connectedAt));
}
