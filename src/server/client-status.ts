// What kxds knows about each connected xDS client, per resource: the version sent, whether the client
// ACKed or NACKed it, or is still waiting for it. One protocol-neutral view read by CSDS, /debug/nodes,
// the status page and metrics. clientOfStream() adapts any stream with the SotwStream/DeltaStream shape
// (info, openedAt, lastSeen, status()); a delta stream is passed with protocol 'delta'.
import type { Snapshot } from '../xds/snapshot';
import type { ResourceKind } from '../xds/types';
import { TYPE_URLS } from '../xds/types';
import type { NodeInfo } from './node';
import type { NackInfo, TypeStatus } from './sotw-stream';

export type ResourceClientStatus = 'REQUESTED' | 'DOES_NOT_EXIST' | 'ACKED' | 'NACKED';
/** The control plane's side (CSDS ConfigStatus): is what the client holds the newest kxds has? */
export type ResourceConfigStatus = 'SYNCED' | 'NOT_SENT' | 'STALE' | 'ERROR';

export interface ConnectedClient {
  protocol: 'sotw' | 'delta';
  info: NodeInfo;
  openedAt: Date;
  lastSeen: Date;
  types: readonly TypeStatus[];
  /** The snapshot the client's group is served from right now (undefined before the first build). */
  snapshot: Snapshot | undefined;
  /** Who the stream was authenticated as: its certificate's SPIFFE id, or "plaintext (loopback)". */
  identity?: string;
}

export interface ResourceStatus {
  kind: ResourceKind;
  typeUrl: string;
  name: string;
  /** The resource version sent to this client ("" when nothing was sent yet). */
  version: string;
  clientStatus: ResourceClientStatus;
  configStatus: ResourceConfigStatus;
  /** When the status last changed: the ACK/NACK time, else when it was sent. */
  lastUpdated?: Date;
  nack?: NackInfo;
}

/** The public shape SotwStream and DeltaStream share (structural, so tests can pass plain objects). */
export interface XdsStreamLike {
  readonly info: NodeInfo | undefined;
  readonly openedAt: Date;
  readonly lastSeen: Date;
  status(): TypeStatus[];
  /** clientConverged of this stream against its group's snapshot, without building its status (optional). */
  converged?(snapshot: Snapshot | undefined): boolean;
}

export function clientOfStream(
  stream: XdsStreamLike,
  snapshotOf: (groupKey: string) => Snapshot | undefined,
  protocol: ConnectedClient['protocol'] = 'sotw',
): ConnectedClient | undefined {
  const info = stream.info;
  if (!info) return undefined; // no first request yet: nothing is known about the node
  const client: ConnectedClient = {
    protocol,
    info,
    openedAt: stream.openedAt,
    lastSeen: stream.lastSeen,
    types: stream.status(),
    snapshot: snapshotOf(info.groupKey),
  };
  return client;
}

/** One row per resource the client was sent or asked for. */
export function resourceStatuses(client: ConnectedClient): ResourceStatus[] {
  const out: ResourceStatus[] = [];
  for (const type of client.types) {
    const current = client.snapshot?.types[type.kind];
    const names = new Set([...type.sent.keys(), ...type.subscribed]);
    const nackedLatest = type.nack !== undefined && type.nack.version === type.sentVersion;
    const acked = type.sentVersion !== undefined && type.ackedVersion === type.sentVersion;
    for (const name of [...names].sort()) {
      const sentVersion = type.sent.get(name);
      const newest = current?.resources.get(name);
      let clientStatus: ResourceClientStatus;
      let configStatus: ResourceConfigStatus;
      let lastUpdated: Date | undefined;
      if (sentVersion === undefined) {
        clientStatus = current && !newest ? 'DOES_NOT_EXIST' : 'REQUESTED';
        configStatus = 'NOT_SENT';
      } else if (nackedLatest) {
        clientStatus = 'NACKED';
        configStatus = 'ERROR';
        lastUpdated = type.nack?.at;
      } else {
        clientStatus = acked ? 'ACKED' : 'REQUESTED';
        configStatus = newest && newest.version !== sentVersion ? 'STALE' : 'SYNCED';
        lastUpdated = acked ? type.ackedAt : type.sentAt;
      }
      if (clientStatus !== 'NACKED' && !lastUpdated) lastUpdated = type.sentAt;
      out.push({
        kind: type.kind,
        typeUrl: TYPE_URLS[type.kind],
        name,
        version: sentVersion ?? '',
        clientStatus,
        configStatus,
        ...(lastUpdated ? { lastUpdated } : {}),
        ...(clientStatus === 'NACKED' && type.nack ? { nack: type.nack } : {}),
      });
    }
  }
  return out;
}
