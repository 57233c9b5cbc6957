// The one place RxJS stages are composed: source events -> model -> debounce -> translate -> snapshots.
// Nothing is built before the source says its initial state is complete, so no proxy sees a partial
// config. An exception in any stage is logged and counted; the stream lives on with the last good snapshots.
import { BehaviorSubject, Subject, filter, type Observable, type Subscription } from 'rxjs';
import type { Logger } from './log';
import { objectRef } from './model/k8s';
import { ModelStore } from './model/store';
import type { Source, SourceEvent } from './sources/source';
import type { HeldBackPolicy } from './ir/clusters';
import { findingKey, findingsOf, formatObjectRef, type ObjectStatus } from './ir/status';
import { Translator, type TranslateOptions, type TranslationResult } from './translate/translate';
import type { SnapshotCache } from './xds/cache';
import { buildSnapshot, type Snapshot, type SnapshotBuildStats } from './xds/snapshot';
import { emptyResourceSet } from './xds/types';
import { nodeGroupKey } from './xds/node-group';
import { debounceWithMaxWait } from './debounce';
import type { TranslateGateways } from './frontends/gateway/contract';

export interface PipelineOptions {
  source: Source;
  cache: SnapshotCache;
  logger: Logger;
  debounceMs?: number;
  maxWaitMs?: number;
  translateOptions?: TranslateOptions;
  /** The Gateway API front-end (default: the real one; tests inject a fake to test what surrounds it). */
  gatewayFrontend?: TranslateGateways;
}

/** One finished build: what changed, how long it took, what went wrong. */
export interface BuildReport {
  builtAt: Date;
  /** When the oldest source event in this build arrived (for convergence time). */
  firstEventAt: Date;
  events: number;
  buildSeconds: number;
  changedGroups: string[];
  snapshots: ReadonlyMap<string, Snapshot>;
  /** Typed problems with user input in the model this build translated. */
  statuses: readonly ObjectStatus[];
  result: TranslationResult;
}

export class Pipeline {
  readonly store = new ModelStore();
  /** Owns the translation memos: they live and die with this pipeline, swept after every build. */
  readonly translator: Translator;
  readonly ready$ = new BehaviorSubject(false);
  readonly builds$ = new Subject<BuildReport>();
  readonly counters = { sourceEvents: 0, builds: 0, buildErrors: 0, encodeErrors: 0 };
  /** Resources encoded vs. kept (unchanged typed object) over all builds: proves "only what changed". */
  readonly encodeStats: SnapshotBuildStats = { encoded: 0, reused: 0 };
  /** The newest build's statuses: /debug/warnings, the status page, metrics and Events read these. */
  statuses: readonly ObjectStatus[] = [];
  /** The newest build, so a late subscriber to builds$ can start from the current state. */
  lastBuild?: BuildReport;
  private synced = false;
  private readonly changes$ = new Subject<Date>();
  private readonly subscriptions: Subscription[] = [];
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly log: Logger;

  constructor(private readonly options: PipelineOptions) {
    this.log = options.logger.child({ component: 'pipeline' });
    this.translator = new Translator(options.gatewayFrontend);
    const debounceMs = options.debounceMs ?? 100;
    const maxWaitMs = Math.max(debounceMs, options.maxWaitMs ?? 1000);
    this.subscriptions.push(
      this.changes$.pipe(debounceWithMaxWait(debounceMs, maxWaitMs)).subscribe((batch) => this.build(batch)),
      // A node asked for a group translation doesn't build by default (a sidecar variant): build it now.
      options.cache.requested$.subscribe((group) => {
        if (this.synced && !this.snapshots.has(nodeGroupKey(group))) this.changes$.next(new Date());
      }),
      // Its last node left: stop building it (translate() is asked only for watched groups).
      options.cache.released$.subscribe((group) => this.snapshots.delete(nodeGroupKey(group))),
      options.source.events$.subscribe({
        next: (event) => this.apply(event),
        error: (err: unknown) =>
          this.log.error({ err }, 'source stream failed; serving the last good snapshots'),
      }),
    );
  }

  /** Resolves when the first complete snapshot set is in the cache. */
  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      const sub = this.ready$.pipe(filter(Boolean)).subscribe(() => {
        resolve();
        queueMicrotask(() => sub.unsubscribe());
      });
    });
  }

  get readyNow(): boolean {
    return this.ready$.value;
  }

  snapshotsNow(): ReadonlyMap<string, Snapshot> {
    return this.snapshots;
  }

  /** What the dialect of a node group held back in the newest build. */
  heldBackFor(group: string): readonly HeldBackPolicy[] {
    return this.lastBuild?.result.heldBack.get(group) ?? [];
  }

  builds(): Observable<BuildReport> {
    return this.builds$;
  }

  stop(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.changes$.complete();
  }

  private apply(event: SourceEvent): void {
    this.counters.sourceEvents++;
    try {
      if (event.type === 'synced') {
        if (!this.synced) {
          this.synced = true;
          this.log.info({ objects: this.store.size() }, 'source synced; building the first snapshot');
          this.changes$.next(new Date());
        }
        return;
      }
      const changed =
        event.type === 'upsert' ? this.store.upsert(event.object) : this.store.delete(event.object);
      if (changed) {
        this.log.debug({ event: event.type, object: objectRef(event.object) }, 'model changed');
        if (this.synced) this.changes$.next(new Date());
      }
    } catch (err) {
      this.log.error({ err, event: event.type }, 'could not apply a source event; skipped');
    }
  }

  private build(batch: Date[]): void {
    try {
      this.buildUnsafe(batch);
    } catch (err) {
      this.counters.buildErrors++;
      this.log.error({ err }, 'snapshot build failed; keeping the last good snapshots');
    }
  }

  private buildUnsafe(batch: Date[]): void {
    const started = process.hrtime.bigint();
    let result: TranslationResult;
    try {
      result = this.translator.translate(this.store, {
        ...this.options.translateOptions,
        requestedGroups: this.options.cache.watchedGroups(),
      });
    } catch (err) {
      this.counters.buildErrors++;
      this.log.error({ err }, 'translation failed; keeping the last good snapshots');
      return;
    }
    const changedGroups: string[] = [];
    const groups = new Map(result.groups);
    // A group that disappeared (its namespace is gone) is served empty while a node still watches it, rather
    // than frozen; unwatched, it is forgotten here and in the cache (retain below).
    for (const group of [...this.snapshots.keys()]) {
      if (groups.has(group)) continue;
      if (this.options.cache.isWatched(group)) groups.set(group, emptyResourceSet());
      else this.snapshots.delete(group);
    }
    for (const [group, set] of groups) {
      const snapshot = buildSnapshot(
        group,
        set,
        this.snapshots.get(group),
        (err) => {
          this.counters.encodeErrors++;
          this.log.error(
            { group: err.group, kind: err.kind, resource: err.resourceName, reason: err.message },
            'resource left out: it does not encode',
          );
        },
        this.encodeStats,
      );
      this.snapshots.set(group, snapshot);
      if (this.options.cache.setSnapshot(snapshot)) changedGroups.push(group);
    }
    this.options.cache.retain(result.standingGroups);
    this.logNewFindings(result.statuses);
    this.counters.builds++;
    const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (changedGroups.length > 0) {
      this.log.info(
        { groups: changedGroups, buildSeconds: Number(buildSeconds.toFixed(4)), objects: this.store.size() },
        'snapshots updated',
      );
    }
    if (!this.ready$.value) this.ready$.next(true);
    this.lastBuild = {
      builtAt: new Date(),
      firstEventAt: batch[0] ?? new Date(),
      events: batch.length,
      buildSeconds,
      changedGroups,
      snapshots: this.snapshots,
      statuses: result.statuses,
      result,
    };
    this.builds$.next(this.lastBuild);
  }

  /** Logs each finding once when it appears, not on every rebuild. */
  private logNewFindings(statuses: readonly ObjectStatus[]): void {
    const before = new Set(findingsOf(this.statuses).map((f) => findingKey(f.ref, f.condition)));
    for (const { ref, condition } of findingsOf(statuses)) {
      if (before.has(findingKey(ref, condition))) continue;
      this.log.warn(
        {
          object: formatObjectRef(ref),
          condition: condition.type,
          status: condition.status,
          reason: condition.reason,
          message: condition.message,
        },
        'bad input',
      );
    }
    this.statuses = statuses;
  }
}
