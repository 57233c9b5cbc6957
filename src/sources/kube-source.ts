// The Kubernetes API source: one supervised informer per watched resource (and per namespace when the scope
// is limited), merged into the Source event stream. It says `synced` exactly once, after every informer
// finished its initial list, so the pipeline never builds a snapshot from a partial view; afterwards it
// emits only changes. API server outages emit nothing (no deletes), so proxies keep their last config, and
// one shared probe restarts every informer as soon as the API server answers again.
import { Observable, Subject } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import { WATCHED_KINDS, type WatchedKind, type WatchedObject } from '../model/k8s';
import { ApiReachability } from './api-reachability';
import type { BackoffOptions } from './backoff';
import { emptyInformerCounters, InformerSupervisor, type InformerCounters } from './informer-supervisor';
import { connectKube, type KubeClient } from './kube-client';
import type { KubeConfigOptions } from './kube-config';
import type { Source, SourceEvent } from './source';
import { informerScopes, watchedResource } from './watched-resources';

export interface KubeSourceOptions extends KubeConfigOptions {
  /** An already connected client (shared with leader election and Ingress status); else one is made. */
  client?: KubeClient;
  /** Namespaces to watch; empty or absent means all. */
  namespaces?: readonly string[];
  /** Kinds to watch; default all watched kinds. */
  kinds?: readonly WatchedKind[];
  logger?: Logger;
  /** Full relist period per informer; 0 turns it off. Default 30 min. */
  resyncPeriodMs?: number;
  /** Restart delays after an informer failed; default 500 ms doubling to 30 s, +-20 % jitter. */
  backoff?: BackoffOptions;
  /** Server-side watch timeout base (each watch picks [t, 2t)); default 300 s. */
  watchTimeoutSeconds?: number;
  /** List page size; default 500. */
  listPageSize?: number;
  /** While the API server is away, how often one probe (GET /version) asks whether it is back; default 250 ms. */
  recoveryProbeMs?: number;
}

export interface KubeSourceStats {
  synced: boolean;
  objects: number;
  totals: InformerCounters;
  informers: Record<string, InformerCounters & { synced: boolean; objects: number; lastError?: string }>;
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export class KubeSource implements Source {
  readonly name = 'kubernetes';
  readonly events$: Observable<SourceEvent>;
  private readonly subject = new Subject<SourceEvent>();
  private readonly supervisors: InformerSupervisor[];
  private readonly reachability: ApiReachability;
  private readonly log: Logger;
  private started = false;
  private announcedSync = false;

  constructor(
    readonly client: KubeClient,
    options: KubeSourceOptions = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ component: 'kube-source' });
    const namespaces = [...new Set(options.namespaces ?? [])];
    for (const ns of namespaces) {
      if (!NAMESPACE_NAME.test(ns))
        throw new Error(`namespace "${ns}" is not a valid namespace name (RFC 1123 label)`);
    }
    const kinds = options.kinds ?? WATCHED_KINDS;
    this.reachability = new ApiReachability({
      probe: () => client.request('GET', '/version', { timeoutMs: 2000 }),
      logger: this.log,
      ...(options.recoveryProbeMs !== undefined ? { intervalMs: options.recoveryProbeMs } : {}),
    });
    const handlers = {
      upsert: (object: WatchedObject) => this.subject.next({ type: 'upsert', object }),
      delete: (object: WatchedObject) => this.subject.next({ type: 'delete', object }),
      synced: () => this.onInformerSynced(),
    };
    this.supervisors = kinds.flatMap((kind) =>
      informerScopes(watchedResource(kind), namespaces).map(
        (scope) =>
          new InformerSupervisor({
            client,
            scope,
            handlers,
            logger: this.log,
            backoff: options.backoff,
            resyncPeriodMs: options.resyncPeriodMs,
            watchTimeoutSeconds: options.watchTimeoutSeconds,
            listPageSize: options.listPageSize,
            reachability: this.reachability,
          }),
      ),
    );
    // Subscribing starts the informers; events before the first subscriber cannot happen.
    this.events$ = new Observable<SourceEvent>((subscriber) => {
      const subscription = this.subject.subscribe(subscriber);
      this.start();
      return () => subscription.unsubscribe();
    });
  }

  /** Informer ids ("Service", "Secret ns=team-a", ...), for logs and tests. */
  get informerIds(): string[] {
    return this.supervisors.map((s) => s.id);
  }

  get synced(): boolean {
    return this.announcedSync;
  }

  stats(): KubeSourceStats {
    const informers: KubeSourceStats['informers'] = {};
    const totals = emptyInformerCounters();
    let objects = 0;
    for (const s of this.supervisors) {
      informers[s.id] = { ...s.counters, synced: s.synced, objects: s.size, lastError: s.lastError };
      for (const [key, value] of Object.entries(s.counters) as [keyof InformerCounters, number][])
        totals[key] += value;
      objects += s.size;
    }
    return { synced: this.announcedSync, objects, totals, informers };
  }

  async stop(): Promise<void> {
    this.reachability.stop();
    await Promise.all(this.supervisors.map((s) => s.stop()));
    this.subject.complete();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.log.info(
      { server: this.client.server, from: this.client.origin, informers: this.informerIds },
      'watching the Kubernetes API',
    );
    for (const supervisor of this.supervisors) supervisor.start();
    if (this.supervisors.length === 0) this.onInformerSynced();
  }

  private onInformerSynced(): void {
    if (this.announcedSync || !this.supervisors.every((s) => s.synced)) return;
    this.announcedSync = true;
    this.log.info({ objects: this.stats().objects }, 'initial list of every informer complete');
    this.subject.next({ type: 'synced' });
  }
}

/** Connects (kubeconfig, $KUBECONFIG, ~/.kube/config or in-cluster) and makes the source; throws a clear error when there is no usable configuration. */
export async function createKubeSource(options: KubeSourceOptions = {}): Promise<KubeSource> {
  const client = options.client ?? (await connectKube(options));
  return new KubeSource(client, options);
}
