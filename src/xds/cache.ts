// The snapshot cache: the newest snapshot of every node group, and a stream of changes per group. It knows
// nothing of gRPC; the ADS server subscribes to groups through this interface.
import { BehaviorSubject, Subject, filter, type Observable } from 'rxjs';
import type { Snapshot } from './snapshot';

export class SnapshotCache {
  private readonly groups = new Map<string, BehaviorSubject<Snapshot | undefined>>();
  private readonly requestedSubject = new Subject<string>();
  /** Groups that a node asked for before any snapshot existed for them (the pipeline builds them). */
  readonly requested$: Observable<string> = this.requestedSubject.asObservable();

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
    const isNew = !this.groups.has(group);
    const subject = this.subject(group);
    if (isNew) this.requestedSubject.next(group);
    return subject.pipe(filter((s): s is Snapshot => s !== undefined));
  }

  /** Every group that was watched or given a snapshot. */
  knownGroups(): string[] {
    return [...this.groups.keys()].sort();
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
