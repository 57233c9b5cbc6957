// Convergence time: from the first source event behind a snapshot to the moment every client of that
// snapshot's group has ACKed what it was sent and holds the newest versions. Tracked per group; a newer
// build before convergence keeps the older start time (those events converge only with the newer one).
// A group without clients is not measured; one that a client keeps NACKing is given up after maxPendingMs.
import type { ConnectedClient } from '../server/client-status';

export interface ConvergenceClock {
  now(): number;
}

interface Pending {
  since: number;
  startedAt: number;
}

/** True when the client has nothing in flight and holds the snapshot's version of everything it was sent. */
export function clientConverged(client: ConnectedClient): boolean {
  if (!client.snapshot) return false;
  for (const type of client.types) {
    if (type.sentVersion === undefined) continue;
    if (type.ackedVersion !== type.sentVersion) return false;
    const resources = client.snapshot.types[type.kind].resources;
    for (const [name, version] of type.sent) if (resources.get(name)?.version !== version) return false;
  }
  return true;
}

export class ConvergenceTracker {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clients: () => readonly ConnectedClient[],
    private readonly observe: (seconds: number) => void,
    private readonly maxPendingMs = 5 * 60_000,
    private readonly clock: ConvergenceClock = Date,
  ) {}

  /** A build changed these groups; firstEventAt is when its oldest source event arrived. */
  built(groups: readonly string[], firstEventAt: Date): void {
    const now = this.clock.now();
    for (const group of groups) {
      const existing = this.pending.get(group);
      this.pending.set(group, {
        since: Math.min(existing?.since ?? Infinity, firstEventAt.getTime()),
        startedAt: now,
      });
    }
  }

  /** Re-checks the groups with pending changes; call after every ACK. */
  check(group?: string): void {
    if (this.pending.size === 0) return;
    const now = this.clock.now();
    const byGroup = new Map<string, ConnectedClient[]>();
    for (const client of this.clients()) {
      const list = byGroup.get(client.info.groupKey) ?? [];
      list.push(client);
      byGroup.set(client.info.groupKey, list);
    }
    for (const [g, pending] of [...this.pending]) {
      if (group !== undefined && g !== group) continue;
      const members = byGroup.get(g) ?? [];
      // Nobody to converge (no client of the group is connected), or given up on: forget it.
      if (members.length === 0 || now - pending.startedAt > this.maxPendingMs) this.pending.delete(g);
      else if (members.every(clientConverged)) {
        this.pending.delete(g);
        this.observe(Math.max(0, now - pending.since) / 1000);
      }
    }
  }

  pendingGroups(): string[] {
    return [...this.pending.keys()].sort();
  }
}
