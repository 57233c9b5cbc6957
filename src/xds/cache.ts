// The snapshot cache: the newest snapshot of every node group, and a stream of changes per group. It knows
// nothing of gRPC; the ADS server subscribes to groups through this interface.
//
// Groups come from two places. The builder (the pipeline) names the groups the model itself calls for
// ("standing": edge, proxyless, a sidecar group per namespace) with retain(); those stay whether or not a
// node watches them. Every other group exists only because some node asked for it (a sidecar egress list, a
// namespace that has no Namespace object): it lives while it is watched, and when its last watcher leaves it
// is released (entry and snapshot dropped, released$ tells the builder to stop building it). Such groups are
// capped: a watch that would create one past the cap throws GroupLimitError, which the server turns into a
// refused stream, so node metadata cannot grow memory or build time without bound.
import { BehaviorSubject, Observable, Subject, filter } from 'rxjs';
import type { Snapshot } from './snapshot';
import { nodeGroupKey, parseNodeGroupKey, type NodeGroup } from './node-group';
import { DEFAULT_MAX_NODE_CHOSEN_GROUPS } from './limits';

export { DEFAULT_MAX_NODE_CHOSEN_GROUPS };

export interface SnapshotCacheOptions {
  /** Groups that exist only because nodes asked for them, at once (default DEFAULT_MAX_NODE_CHOSEN_GROUPS). */
  maxNodeChosenGroups?: number;
}

/** A node asked for a new node-chosen group while the cap is reached. */
export class GroupLimitError extends Error {
  constructor(
    readonly group: string,
    readonly limit: number,
  ) {
    super(
      `node group "${group}" refused: ${limit} groups chosen by node metadata are already in use ` +
        '(namespace or egress lists no model object calls for); raise --max-node-groups if that is expected',
    );
  }
}

interface Entry {
  group: NodeGroup;
  subject: BehaviorSubject<Snapshot | undefined>;
  watchers: number;
}

export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  private retained: ReadonlySet<string> = new Set();
  private readonly requestedSubject = new Subject<NodeGroup>();
  private readonly releasedSubject = new Subject<NodeGroup>();
  private readonly maxNodeChosen: number;
  /** Groups a node asked for before any snapshot existed for them (the pipeline builds them). */
  readonly requested$: Observable<NodeGroup> = this.requestedSubject.asObservable();
  /** Node-chosen groups whose last watcher left: dropped here, the builder stops building them. */
  readonly released$: Observable<NodeGroup> = this.releasedSubject.asObservable();
  readonly stats = { released: 0, refused: 0 };

  constructor(options: SnapshotCacheOptions = {}) {
    this.maxNodeChosen = options.maxNodeChosenGroups ?? DEFAULT_MAX_NODE_CHOSEN_GROUPS;
  }

  /** Stores a snapshot; returns false (and notifies nobody) when the group already has that version. */
  setSnapshot(snapshot: Snapshot): boolean {
    let entry = this.entries.get(snapshot.group);
    if (!entry) {
      const group = parseNodeGroupKey(snapshot.group);
      if (!group) return false; // not a group key: nothing could ever watch it
      entry = this.add(snapshot.group, group);
    }
    if (entry.subject.value?.version === snapshot.version) return false;
    entry.subject.next(snapshot);
    return true;
  }

  getSnapshot(key: string): Snapshot | undefined {
    return this.entries.get(key)?.subject.value;
  }

  /**
   * The group's current snapshot (when there is one) and every later one. Throws GroupLimitError, before
   * anything is created, when this would add a node-chosen group past the cap.
   */
  watch(group: NodeGroup): Observable<Snapshot> {
    const key = nodeGroupKey(group);
    if (!this.entries.has(key) && !this.retained.has(key) && this.nodeChosenCount() >= this.maxNodeChosen) {
      this.stats.refused++;
      throw new GroupLimitError(key, this.maxNodeChosen);
    }
    return new Observable<Snapshot>((subscriber) => {
      const entry = this.entries.get(key) ?? this.createWatched(key, group);
      entry.watchers++;
      const inner = entry.subject.pipe(filter((s): s is Snapshot => s !== undefined)).subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        entry.watchers--;
        if (entry.watchers === 0) this.releaseIfUnretained(key, entry);
      };
    });
  }

  /** The builder's standing groups: kept without watchers. Unwatched groups not listed are dropped. */
  retain(keys: Iterable<string>): void {
    this.retained = new Set(keys);
    for (const [key, entry] of this.entries) if (entry.watchers === 0) this.releaseIfUnretained(key, entry);
  }

  /** Groups at least one stream watches right now: the builder translates these besides its own. */
  watchedGroups(): NodeGroup[] {
    return [...this.entries.entries()]
      .filter(([, e]) => e.watchers > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, e]) => e.group);
  }

  isWatched(key: string): boolean {
    return (this.entries.get(key)?.watchers ?? 0) > 0;
  }

  /** Keys of the groups that have a snapshot. */
  groupNames(): string[] {
    return [...this.entries.keys()].filter((k) => this.entries.get(k)?.subject.value).sort();
  }

  /** Groups held (with or without a snapshot yet). */
  size(): number {
    return this.entries.size;
  }

  private nodeChosenCount(): number {
    let n = 0;
    for (const key of this.entries.keys()) if (!this.retained.has(key)) n++;
    return n;
  }

  private add(key: string, group: NodeGroup): Entry {
    const entry: Entry = {
      group,
      subject: new BehaviorSubject<Snapshot | undefined>(undefined),
      watchers: 0,
    };
    this.entries.set(key, entry);
    return entry;
  }

  private createWatched(key: string, group: NodeGroup): Entry {
    const entry = this.add(key, group);
    this.requestedSubject.next(group);
    return entry;
  }

  private releaseIfUnretained(key: string, entry: Entry): void {
    if (this.retained.has(key) || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    entry.subject.complete();
    this.stats.released++;
    this.releasedSubject.next(entry.group);
  }
}
