// One supervised informer: client-node's ListWatch for one resource in one scope, kept alive. ListWatch
// reconnects dropped watches and relists after 410 Gone by itself, but stops for good on any other error
// (a 503, a refused connection, a reset stream); the supervisor restarts it with jittered exponential
// backoff, resuming the watch from the last resourceVersion, or relisting when the error says that version
// is unusable (410 Expired; 504 "Too large resource version", which an API server whose watch cache is
// behind, or a restored etcd, answers; client-go relists on both). A shared ApiReachability probe cuts
// the backoff short the moment the API server answers again after an outage. It also
// - keeps a mirror of what it emitted (key -> object) and compares resourceVersions, so a relist emits
//   upserts only for changed objects and deletes for objects that vanished while it was away - never a
//   duplicate, never a loss;
// - asks for bookmarks and a server-side watch timeout, so quiet watches stay fresh and are rotated;
// - relists from scratch every resync period, in case a watch silently missed an event;
// - guards every callback: a bad object or a throwing handler is logged and counted, never an unhandled
//   rejection (client-node calls its handlers from un-awaited async functions).
// While the API server is unreachable nothing is emitted, so nothing is withdrawn from proxies.
// A resource served by a CRD the cluster may lack (Gateway API) that answers 404 counts as an empty list:
// the informer is synced (Ingress keeps working), says so once, and keeps retrying with its backoff, so the
// kind is picked up when the CRD is installed (and its objects deleted when the CRD is removed).
import type { KubernetesListObject, KubernetesObject, ListWatch, Watch } from '@kubernetes/client-node' with {
  'resolution-mode': 'import',
};
import type { Logger } from '../log';
import { objectRef, type WatchedObject } from '../model/k8s';
import type { ApiReachability } from './api-reachability';
import { Backoff, type BackoffOptions } from './backoff';
import { KubeApiError, statusCodeOf, type KubeClient } from './kube-client';
import { slimObject } from './object-slimming';
import { apiObjectProblems } from './api-object-shape';
import type { InformerScope } from './watched-resources';

export interface InformerCounters {
  /** Full lists, the first one included. */
  lists: number;
  /** Lists after the first: after 410 Gone, a restart without a resourceVersion, or a resync. */
  relists: number;
  /** Watch connections after the first one. */
  reconnects: number;
  /** Failures that stopped the ListWatch (and made the supervisor restart it). */
  errors: number;
  restarts: number;
  resyncs: number;
  bookmarks: number;
  /** Objects or handlers that threw; the object was skipped. */
  handlerErrors: number;
  /** Objects whose fields are not what the API defines (api-object-shape.ts); the last good version stays. */
  refused: number;
  upserts: number;
  deletes: number;
}

export interface InformerHandlers {
  upsert(object: WatchedObject): void;
  delete(object: WatchedObject): void;
  /** Once, after the first complete list has been emitted. */
  synced(): void;
}

export interface InformerSupervisorOptions {
  client: KubeClient;
  scope: InformerScope;
  handlers: InformerHandlers;
  logger: Logger;
  /** Restart delays after errors; default 500 ms doubling to 30 s, +-20 %. */
  backoff?: BackoffOptions;
  /** Full relist period (+-10 % jitter); 0 turns it off. Default 30 min. */
  resyncPeriodMs?: number;
  /** Server-side watch timeout; each watch picks a value in [t, 2t). Default 300 s. */
  watchTimeoutSeconds?: number;
  /** Page size of lists (limit/continue). Default 500. */
  listPageSize?: number;
  /** Wakes the informer from its restart backoff once the API server answers again after an outage. */
  reachability?: ApiReachability;
  /**
   * A 403 lists as empty instead of failing: for one named Secret RBAC may withhold (named-secrets.ts), so
   * the initial sync does not wait for it forever and what referenced it fails closed as "not found".
   */
  absentWhenForbidden?: boolean;
  /** ConfigMaps (NAMESPACE/NAME) whose whole data is kept (see object-slimming.ts). */
  keepConfigMapData?: ReadonlySet<string>;
}

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;
type DoneCallback = (err: unknown) => void;

/** All counters at zero. */
export const emptyInformerCounters = (): InformerCounters => ({
  lists: 0,
  relists: 0,
  reconnects: 0,
  errors: 0,
  restarts: 0,
  resyncs: 0,
  bookmarks: 0,
  handlerErrors: 0,
  refused: 0,
  upserts: 0,
  deletes: 0,
});

export class InformerSupervisor {
  readonly counters: InformerCounters = emptyInformerCounters();
  lastError?: string;
  private current?: ListWatch<KubernetesObject>;
  private readonly mirror = new Map<string, WatchedObject>();
  private hasSynced = false;
  /** Whether the last list found the resource missing (an optional CRD not installed). */
  private absent = false;
  private stopped = true;
  private connects = 0;
  private restartTimer?: NodeJS.Timeout;
  private cancelWake?: () => void;
  private resyncTimer?: NodeJS.Timeout;
  private readonly backoff: Backoff;
  private readonly log: Logger;

  constructor(private readonly options: InformerSupervisorOptions) {
    this.backoff = new Backoff(options.backoff);
    this.log = options.logger.child({ informer: options.scope.id });
  }

  get id(): string {
    return this.options.scope.id;
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  /** Objects currently known (emitted and not deleted). */
  get size(): number {
    return this.mirror.size;
  }

  /** The objects currently known, to withdraw them when this informer is no longer wanted. */
  known(): WatchedObject[] {
    return [...this.mirror.values()];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.launch(this.newListWatch());
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRestart();
    clearTimeout(this.resyncTimer);
    const lw = this.current;
    this.current = undefined;
    await lw?.stop();
  }

  private launch(lw: ListWatch<KubernetesObject>): void {
    this.current = lw;
    lw.start().catch((err: unknown) => this.onError(lw, err));
  }

  private newListWatch(): ListWatch<KubernetesObject> {
    const { k8s } = this.options.client;
    const { scope } = this.options;
    // The watch and the list function need the ListWatch they serve, which exists only after them.
    const owner: { lw?: ListWatch<KubernetesObject> } = {};
    const watch = this.newWatch(owner);
    const lw = new k8s.ListWatch<KubernetesObject>(
      scope.path,
      watch,
      () => this.list(owner.lw),
      false,
      undefined,
      scope.fieldSelector,
    );
    owner.lw = lw;
    lw.on('add', (obj) => this.guard(lw, obj, () => this.upsert(obj)));
    lw.on('update', (obj) => this.guard(lw, obj, () => this.upsert(obj)));
    lw.on('delete', (obj) => this.guard(lw, obj, () => this.remove(obj)));
    lw.on('error', (err) => this.onError(lw, err));
    lw.on('connect', () => {
      if (lw === this.current && this.connects++ > 0) this.counters.reconnects++;
    });
    return lw;
  }

  /** client-node's Watch, asking for bookmarks and a server-side timeout, with every callback guarded. */
  private newWatch(owner: { lw?: ListWatch<KubernetesObject> }): Watch {
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300;
    const onEvent = (phase: string, apiObj: unknown): void => this.onWatchEvent(owner.lw, phase, apiObj);
    const settle = (run: () => unknown): void => this.settle(owner.lw, run);
    // ListWatch waits out its reconnect delay without checking whether it was stopped meanwhile (after a
    // resync replaced it, or on shutdown): such a late watch is never opened.
    const superseded = (): boolean => this.stopped || owner.lw !== this.current;
    return new (class SupervisedWatch extends this.options.client.k8s.Watch {
      override async watch(
        path: string,
        queryParams: Record<string, string | number | boolean | undefined>,
        callback: WatchCallback,
        done: DoneCallback,
      ): Promise<AbortController> {
        if (superseded()) return new AbortController();
        const params = {
          ...queryParams,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.floor(timeoutSeconds * (1 + Math.random())),
        };
        const guardedCallback: WatchCallback = (phase, apiObj, watchObj) => {
          onEvent(phase, apiObj);
          settle(() => callback(phase, apiObj, watchObj));
        };
        const guardedDone: DoneCallback = (err) => settle(() => done(err));
        try {
          return await super.watch(path, params, guardedCallback, guardedDone);
        } catch (err) {
          // Authentication (an exec plugin, a token file) failed before the request: report it like a
          // failed request instead of letting it become an unhandled rejection.
          guardedDone(err);
          return new AbortController();
        }
      }
    })(this.options.client.config);
  }

  /** Runs a client-node callback that may return a rejected promise (its handlers are async). */
  private settle(lw: ListWatch<KubernetesObject> | undefined, run: () => unknown): void {
    try {
      const result = run();
      if (result instanceof Promise) result.catch((err: unknown) => lw && this.onError(lw, err));
    } catch (err) {
      if (lw) this.onError(lw, err);
    }
  }

  private onWatchEvent(lw: ListWatch<KubernetesObject> | undefined, phase: string, apiObj: unknown): void {
    if (lw !== this.current || this.stopped) return;
    if (phase === 'BOOKMARK') this.counters.bookmarks++;
    // ListWatch relists after an ERROR 410 by itself; for "too large" it would watch the same version again.
    if (phase === 'ERROR' && statusCodeOf(apiObj) === 504 && isResourceVersionError(504, apiObj)) {
      this.counters.errors++;
      this.lastError = describeError(apiObj);
      this.log.warn({ err: this.lastError }, 'watch resourceVersion unusable; listing again');
      queueMicrotask(() => this.relist());
      return;
    }
    // A watch that delivers is healthy again: the next failure starts from the initial delay.
    if (phase !== 'ERROR') this.backoff.reset();
  }

  private async list(
    lw: ListWatch<KubernetesObject> | undefined,
  ): Promise<KubernetesListObject<KubernetesObject>> {
    const { resource } = this.options.scope;
    const { items, resourceVersion } = await this.listOrAbsent();
    this.counters.lists++;
    if (this.counters.lists > 1) {
      this.counters.relists++;
      // Rare and worth seeing: history expired (410), the informer was restarted, or the periodic resync.
      this.log.info({ objects: items.length, relists: this.counters.relists }, 'listed again');
    }
    const objects: WatchedObject[] = [];
    for (const item of items) {
      try {
        objects.push(slimObject(item, resource.kind, resource.apiVersion, this.options.keepConfigMapData));
      } catch (err) {
        this.counters.handlerErrors++;
        this.log.warn({ err: (err as Error).message }, 'skipped a malformed object in a list');
      }
    }
    if (lw && lw === this.current && !this.stopped) {
      // Whatever vanished while the watch was away is deleted now; ListWatch only knows about its own
      // cache, which is empty after a resync, so the mirror decides.
      const present = new Set(objects.map(mirrorKey));
      for (const [key, object] of this.mirror) {
        if (!present.has(key)) this.guard(lw, object, () => this.remove(object));
      }
      // A missing resource is polled at the backoff's growing pace, not every initial delay.
      if (!this.absent) this.backoff.reset();
      // ListWatch adds the items synchronously once this promise settles; setImmediate runs after that.
      setImmediate(() => this.afterList(lw));
    }
    return {
      apiVersion: resource.apiVersion,
      kind: `${resource.kind}List`,
      metadata: { resourceVersion },
      items: objects as unknown as KubernetesObject[],
    };
  }

  /**
   * Lists; an optional resource that is not served (or, with absentWhenForbidden, one kxds may not read)
   * lists as empty, logged when that changes.
   */
  private async listOrAbsent(): Promise<{ items: unknown[]; resourceVersion: string }> {
    const { resource } = this.options.scope;
    try {
      const listed = await this.listAllPages();
      if (this.absent) this.log.info({ kind: resource.kind }, 'resource is served now; watching it');
      this.absent = false;
      return listed;
    } catch (err) {
      const status = statusCodeOf(err);
      const forbidden = this.options.absentWhenForbidden === true && status === 403;
      if (!forbidden && (!resource.optional || status !== 404)) throw err;
      if (!this.absent && forbidden) {
        this.log.warn(
          { err: describeError(err) },
          'not allowed to read this object (RBAC); what references it is served as if it did not exist',
        );
      } else if (!this.absent) {
        this.log.info(
          { kind: resource.kind, apiVersion: resource.apiVersion },
          'resource not served by this cluster (CRD not installed); watching for it to appear',
        );
      }
      this.absent = true;
      return { items: [], resourceVersion: '' };
    }
  }

  /** Lists in pages. An expired continue token (410) starts the list over, at most three times. */
  private async listAllPages(): Promise<{ items: unknown[]; resourceVersion: string }> {
    const { client, scope } = this.options;
    const limit = this.options.listPageSize ?? 500;
    for (let attempt = 1; ; attempt++) {
      const items: unknown[] = [];
      let resourceVersion = '';
      let continueToken: string | undefined;
      try {
        do {
          const page = await client.request<{
            metadata?: { resourceVersion?: string; continue?: string };
            items?: unknown[];
          }>('GET', scope.path, {
            query: { limit, continue: continueToken, fieldSelector: scope.fieldSelector },
          });
          items.push(...(page.items ?? []));
          resourceVersion ||= page.metadata?.resourceVersion ?? '';
          continueToken = page.metadata?.continue || undefined;
        } while (continueToken);
        return { items, resourceVersion };
      } catch (err) {
        const expiredContinue =
          continueToken !== undefined && err instanceof KubeApiError && err.statusCode === 410;
        if (!expiredContinue || attempt >= 3) throw err;
        this.log.info('list continue token expired; listing again from the start');
      }
    }
  }

  private afterList(lw: ListWatch<KubernetesObject>): void {
    if (lw !== this.current || this.stopped || this.hasSynced) return;
    this.hasSynced = true;
    this.log.debug({ objects: this.mirror.size }, 'initial list complete');
    this.options.handlers.synced();
  }

  private upsert(raw: KubernetesObject): void {
    const { resource } = this.options.scope;
    const object = slimObject(raw, resource.kind, resource.apiVersion, this.options.keepConfigMapData);
    const key = mirrorKey(object);
    const known = this.mirror.get(key);
    const rv = object.metadata.resourceVersion;
    if (known && rv !== undefined && known.metadata.resourceVersion === rv) return;
    const problems = apiObjectProblems(resource.kind, object);
    if (problems.length > 0) {
      // Keep what translation already has (the last good version, or nothing): never the broken one.
      this.counters.refused++;
      this.log.warn(
        {
          object: describe(raw, resource.kind),
          problems: problems.slice(0, 5),
          kept: known ? 'last good version' : 'none',
        },
        'object refused: its fields are not what the Kubernetes API defines',
      );
      return;
    }
    this.mirror.set(key, object);
    this.counters.upserts++;
    this.options.handlers.upsert(object);
  }

  private remove(raw: KubernetesObject | WatchedObject): void {
    const { resource } = this.options.scope;
    const key = mirrorKey(raw as WatchedObject);
    const known = this.mirror.get(key);
    if (!known) return;
    this.mirror.delete(key);
    this.counters.deletes++;
    let object: WatchedObject = known;
    try {
      object = slimObject(raw, resource.kind, resource.apiVersion, this.options.keepConfigMapData);
    } catch {
      // The deleted object as last seen is good enough to name what went away.
    }
    this.options.handlers.delete(object);
  }

  /** Runs a per-object step; a throw is logged with the object and counted, and the informer goes on. */
  private guard(lw: ListWatch<KubernetesObject>, raw: unknown, step: () => void): void {
    if (lw !== this.current || this.stopped) return;
    try {
      step();
    } catch (err) {
      this.counters.handlerErrors++;
      this.log.error(
        { object: describe(raw, this.options.scope.resource.kind), err },
        'object handler failed; skipped',
      );
    }
  }

  private onError(lw: ListWatch<KubernetesObject>, err: unknown): void {
    if (lw !== this.current || this.stopped) return;
    this.counters.errors++;
    const status = statusCodeOf(err);
    this.lastError = describeError(err);
    // client-node's Watch reports a failed watch by its HTTP status only (the Status body is not read), so
    // a 504 may be "Too large resource version": relisting costs one list, resuming could loop forever.
    const relist = isResourceVersionError(status, err);
    if (this.restartTimer) return;
    const delayMs = this.backoff.next();
    // A missing optional resource was logged once by the list; its failing watch is expected.
    if (this.absent && (status === 404 || status === 403))
      this.log.debug({ status, retryInMs: delayMs }, 'resource still not served or not readable');
    else
      this.log.warn(
        { status, err: this.lastError, retryInMs: delayMs, relist },
        'informer stopped; restarting',
      );
    const restart = (): void => {
      this.cancelRestart();
      if (lw !== this.current || this.stopped) return;
      this.counters.restarts++;
      if (relist) this.relist();
      else lw.start().catch((e: unknown) => this.onError(lw, e));
    };
    this.restartTimer = setTimeout(restart, delayMs);
    this.cancelWake = this.options.reachability?.waitForRecovery(restart);
  }

  private cancelRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.cancelWake?.();
    this.cancelWake = undefined;
  }

  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs ?? 30 * 60_000;
    if (period <= 0 || this.stopped) return;
    const delay = period * (0.9 + 0.2 * Math.random());
    this.resyncTimer = setTimeout(() => this.resync(), delay);
    this.resyncTimer.unref();
  }

  private resync(): void {
    if (this.stopped) return;
    this.counters.resyncs++;
    this.relist();
    this.scheduleResync();
  }

  /** A fresh ListWatch lists everything again; the mirror turns that into only the real differences. */
  private relist(): void {
    if (this.stopped) return;
    this.cancelRestart();
    const old = this.current;
    this.launch(this.newListWatch());
    old?.stop().catch(() => undefined);
  }
}

/** 410 Expired, or 504 with "Too large resource version" (or no text to tell, as from a watch's status). */
function isResourceVersionError(status: number | undefined, err: unknown): boolean {
  if (status === 410) return true;
  if (status !== 504) return false;
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message !== 'string' || /too large resource version|gateway timeout/i.test(message);
}

function describeError(err: unknown): string {
  const status = statusCodeOf(err);
  const message = (err as { message?: unknown } | undefined)?.message;
  return `${status ? `${status} ` : ''}${typeof message === 'string' ? message : String(err)}`;
}

function mirrorKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function describe(raw: unknown, kind: string): string {
  const meta = (raw as { metadata?: { name?: string; namespace?: string } } | undefined)?.metadata;
  if (!meta?.name) return `${kind} (no name)`;
  return objectRef({ kind, metadata: { name: meta.name, namespace: meta.namespace } });
}
