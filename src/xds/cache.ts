// The snapshot cache: the newest snapshot of every node group, and a stream of changes per group. It knows
// nothing of gRPC; the ADS server subscribes to groups through this interface.
import { BehaviorSubject, filter, type Observable } from 'rxjs';
import type { Snapshot } from './snapshot';

export class SnapshotCache {
  private readonly groups = new Map<string, BehaviorSubject<Snapshot | undefined>>();

  /** Stores a snapshot; returns false (and notifies nobody) when the group already has that version. */
  setSnapshot(snapshot: Snapshot): boolean {
    const subject = this.subject(snapshot.group);
    if (subject.value?.version === snapshot.version) return false;
    subject.next(snapshot);
    return true;
  }

  getSnapshot(group: string): Snapshot | undefined {
    return this.groups.get(group)?.value;
  }

  /** The group's current snapshot (when there is one) and every later one. */
  watch(group: string): Observable<Snapshot> {
    return this.subject(group).pipe(filter((s): s is Snapshot => s !== undefined));
  }

  groupNames(): string[] {
    return [...this.groups.keys()].filter((g) => this.groups.get(g)?.value).sort();
  }

  private subject(group: string): BehaviorSubject<Snapshot | undefined> {
    let subject = this.groups.get(group);
    if (!subject) {
      subject = new BehaviorSubject<Snapshot | undefined>(undefined);
      this.groups.set(group, subject);
    }
    return subject;
  }
}
