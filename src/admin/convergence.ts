// Convergence time: from the first source event behind a snapshot to the moment every client of that
// snapshot's group has ACKed what it was sent and holds the newest versions. Tracked per group; a newer
// build before convergence keeps the older start time (those events converge only with the newer one).
// A group without clients is not measured; one that a client keeps NACKing is given up after maxPendingMs.
//
// Incremental, so that an ACK costs the work of one stream however many are connected: a build records,
// per changed group, the streams that have not converged yet (the one place that reads every member), and
// each ACK re-checks only the stream that sent it. A stream that joins a pending group is waited for too;
// one that leaves is no longer waited for. A build hands streams their responses synchronously, before it
// is reported, so a member sent something in the same turn of the event loop is known to be waiting
// without reading its state: a build that reaches the whole fleet reads none of it.
import type { ConnectedClient } from '../server/client-status';
import type { NodeInfo } from '../server/node';

export interface ConvergenceClock {
  now(): number;
}

/** What the tracker reads of the connected streams (StreamRegistry provides it). */
export interface ConvergenceView {
  /** The streams of a node group. */
  members(group: string): ReadonlySet<NodeInfo>;
  /** One stream's client state, read now; undefined once it has gone. */
  clientOf(info: NodeInfo): ConnectedClient | undefined;
  /** clientConverged of one stream answered by the stream without building its state (undefined: can't). */
  convergedOf?(info: NodeInfo): boolean | undefined;
}

interface Pending {
  since: number;
  startedAt: number;
  /** Members still to ACK the group's newest config. */
  waiting: Set<NodeInfo>;
}

/** True when the client has nothing in flight and holds the snapshot's version of everything it was sent. */
export function clientConverged(client: ConnectedClient): boolean {
  if (!client.snapshot) return false;
  // Versions first: a type still in flight answers without walking any resource.
  for (const type of client.types)
    if (type.sentVersion !== undefined && type.ackedVersion !== type.sentVersion) return false;
  for (const type of client.types) {
    if (type.sentVersion === undefined) continue;
    const resources = client.snapshot.types[type.kind].resources;
    for (const [name, version] of type.sent) if (resources.get(name)?.version !== version) return false;
  }
  return true;
}

export class ConvergenceTracker {
  private readonly pending = new Map<string, Pending>();
  /** Streams sent a response in the current turn of the event loop (cleared at the next). */
  private readonly sentThisTurn = new Set<NodeInfo>();
  private clearing?: NodeJS.Immediate;

  constructor(
    private readonly view: ConvergenceView,
    private readonly observe: (seconds: number) => void,
    private readonly maxPendingMs = 5 * 60_000,
    private readonly clock: ConvergenceClock = Date,
  ) {}

  /** A build changed these groups (call after the streams were handed the new snapshots). */
  built(groups: readonly string[], firstEventAt: Date): void {
    const now = this.clock.now();
    for (const group of groups) {
      const members = this.view.members(group);
      // Nobody to converge: not measured, and an older pending change of the group is forgotten.
      if (members.size === 0) {
        this.pending.delete(group);
        continue;
      }
      const waiting = new Set<NodeInfo>();
      for (const info of members) if (this.sentThisTurn.has(info) || !this.converged(info)) waiting.add(info);
      const existing = this.pending.get(group);
      const since = Math.min(existing?.since ?? Infinity, firstEventAt.getTime());
      this.pending.set(group, { since, startedAt: now, waiting });
      this.settle(group);
    }
  }

  /** A stream was sent a response (call from StreamEvents.onResponse). */
  sent(info: NodeInfo): void {
    this.sentThisTurn.add(info);
    this.clearing ??= setImmediate(() => {
      this.clearing = undefined;
      this.sentThisTurn.clear();
    });
  }

  /** A stream ACKed: re-checks that stream alone. */
  acked(info: NodeInfo): void {
    const pending = this.pending.get(info.groupKey);
    if (!pending) return;
    if (this.clock.now() - pending.startedAt > this.maxPendingMs) {
      this.pending.delete(info.groupKey); // given up: someone keeps NACKing or never answers
      return;
    }
    if (pending.waiting.has(info) && this.converged(info)) pending.waiting.delete(info);
    this.settle(info.groupKey);
  }

  /** A stream named its node: in a pending group it has the newest config to ACK as well. */
  streamOpened(info: NodeInfo): void {
    const pending = this.pending.get(info.groupKey);
    if (pending && !this.converged(info)) pending.waiting.add(info);
  }

  /** A stream went away: the others may have converged already. */
  streamClosed(info: NodeInfo): void {
    const pending = this.pending.get(info.groupKey);
    if (!pending) return;
    pending.waiting.delete(info);
    if (this.view.members(info.groupKey).size === 0) this.pending.delete(info.groupKey);
    else this.settle(info.groupKey);
  }

  pendingGroups(): string[] {
    return [...this.pending.keys()].sort();
  }

  private converged(info: NodeInfo): boolean {
    const quick = this.view.convergedOf?.(info);
    if (quick !== undefined) return quick;
    const client = this.view.clientOf(info);
    return client !== undefined && clientConverged(client);
  }

  private settle(group: string): void {
    const pending = this.pending.get(group);
    if (!pending || pending.waiting.size > 0) return;
    this.pending.delete(group);
    this.observe(Math.max(0, this.clock.now() - pending.since) / 1000);
  }
}
