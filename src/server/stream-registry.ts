// The open xDS streams that have named their node, indexed so that per-event observers never walk the
// fleet: by the stream's NodeInfo object (one per stream, the one every StreamEvents callback carries), by
// node group, and counted per role. The xDS servers (main and proxyless port) register into one registry;
// observers of stream arrivals and departures (convergence tracking) subscribe to it.
import type { Snapshot } from '../xds/snapshot';
import { clientOfStream, type ConnectedClient, type XdsStreamLike } from './client-status';
import { NODE_ROLES, type NodeInfo, type NodeRole } from './node';
import { callEachIsolated } from './stream-events-hub';

export interface StreamLifecycle {
  onStreamOpened?(info: NodeInfo): void;
  onStreamClosed?(info: NodeInfo): void;
}

interface Entry {
  stream: XdsStreamLike;
  protocol: ConnectedClient['protocol'];
}

export class StreamRegistry {
  private readonly byInfo = new Map<NodeInfo, Entry>();
  private readonly byGroup = new Map<string, Set<NodeInfo>>();
  private readonly perRole = new Map<NodeRole, number>(NODE_ROLES.map((role) => [role, 0]));
  private readonly listeners = new Set<StreamLifecycle>();

  constructor(private readonly snapshotOf: (group: string) => Snapshot | undefined) {}

  /** Adds a stream once its first request named the node; its info must not change afterwards. */
  opened(stream: XdsStreamLike, protocol: ConnectedClient['protocol']): void {
    const info = stream.info;
    if (!info || this.byInfo.has(info)) return;
    this.byInfo.set(info, { stream, protocol });
    let members = this.byGroup.get(info.groupKey);
    if (!members) this.byGroup.set(info.groupKey, (members = new Set()));
    members.add(info);
    this.perRole.set(info.role, (this.perRole.get(info.role) ?? 0) + 1);
    this.notify((l) => l.onStreamOpened?.(info));
  }

  closed(stream: XdsStreamLike): void {
    const info = stream.info;
    if (!info || !this.byInfo.delete(info)) return;
    const members = this.byGroup.get(info.groupKey);
    members?.delete(info);
    if (members?.size === 0) this.byGroup.delete(info.groupKey);
    this.perRole.set(info.role, (this.perRole.get(info.role) ?? 1) - 1);
    this.notify((l) => l.onStreamClosed?.(info));
  }

  /** The client behind one stream, read now: the work of one stream's status(). */
  clientOf(info: NodeInfo): ConnectedClient | undefined {
    const entry = this.byInfo.get(info);
    return entry ? clientOfStream(entry.stream, this.snapshotOf, entry.protocol) : undefined;
  }

  /**
   * Whether one stream has converged on its group's snapshot, asked of the stream itself (O(types), see
   * XdsStream.converged); undefined for a stream that can't tell (convergence then reads clientOf).
   */
  convergedOf(info: NodeInfo): boolean | undefined {
    const stream = this.byInfo.get(info)?.stream;
    return stream?.converged ? stream.converged(this.snapshotOf(info.groupKey)) : undefined;
  }

  /** The streams of a node group (a live view: do not keep it). */
  members(group: string): ReadonlySet<NodeInfo> {
    return this.byGroup.get(group) ?? new Set();
  }

  /** Connected streams per node role, every role present. */
  countsByRole(): ReadonlyMap<NodeRole, number> {
    return this.perRole;
  }

  /** Adds a lifecycle listener; returns a function that removes it. */
  subscribe(listener: StreamLifecycle): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(call: (listener: StreamLifecycle) => void): void {
    callEachIsolated(this.listeners, call);
  }
}
