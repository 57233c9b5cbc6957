// The Kubernetes API source: one supervised informer per watched resource (and per namespace when the scope
// is limited), merged into the Source event stream. It says `synced` exactly once, after every informer
// finished its initial list, so the pipeline never builds a snapshot from a partial view; afterwards it
// emits only changes. API server outages emit nothing (no deletes), so proxies keep their last config, and
// one shared probe restarts every informer as soon as the API server answers again. Secrets are not listed
// by kind: the source keeps the objects that name Secrets (Ingresses, Gateways, ...) and watches exactly the
// Secrets they reference, one by one (named-secrets.ts); `synced` waits for those the initial state names.
import { Observable, Subject } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import { WATCHED_KINDS, type SecretRef, type WatchedKind, type WatchedObject } from '../model/k8s';
import { ModelStore, type ModelView } from '../model/store';
import { ApiReachability } from './api-reachability';
import type { BackoffOptions } from './backoff';
import { emptyInformerCounters, InformerSupervisor, type InformerCounters } from './informer-supervisor';
import { connectKube, type KubeClient } from './kube-client';
import type { KubeConfigOptions } from './kube-config';
import { NamedSecretWatches } from './named-secrets';
import type { Source, SourceEvent } from './source';
import { informerScopes, watchedResource } from './watched-resources';

/** Which Secrets to read: those `collect` finds in a model of the objects of `kinds`. */
export interface SecretInterest {
  kinds: readonly WatchedKind[];
  collect(model: ModelView): readonly SecretRef[];
}

export interface KubeSourceOptions extends KubeConfigOptions {
  /**
   * Which Secrets the objects kxds serves reference (src/frontends/secret-references.ts for `kxds serve`).
   * Without it no Secret is read, even with 'Secret' among the kinds.
   */
  secretReferences?: SecretInterest;
  /** ConfigMaps (NAMESPACE/NAME) whose whole data is kept (object-slimming.ts); others keep only ca.crt. */
  keepConfigMapData?: readonly string[];
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
  private readonly secrets: NamedSecretWatches;
  private readonly secretInterest?: SecretInterest;
  /** The objects that name Secrets, as the informers emitted them (shared, not copied). */
  private readonly referring = new ModelStore();
  private readonly reachability: ApiReachability;
  private readonly log: Logger;
  private started = false;
  private announcedSync = false;
  /** The Secret watches follow the initial state (reconciled once every other informer is synced). */
  private secretsFollowState = false;
  private reconcileTimer?: NodeJS.Immediate;

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
    this.secretInterest = kinds.includes('Secret') ? options.secretReferences : undefined;
    const referring = new Set(this.secretInterest?.kinds ?? []);
    const handlers = {
      upsert: (object: WatchedObject) => {
        if (referring.has(object.kind) && this.referring.upsert(object)) this.scheduleReconcile();
        this.subject.next({ type: 'upsert', object });
      },
      delete: (object: WatchedObject) => {
        if (referring.has(object.kind) && this.referring.delete(object)) this.scheduleReconcile();
        this.subject.next({ type: 'delete', object });
      },
      synced: () => this.onInformerSynced(),
    };
    this.secrets = new NamedSecretWatches({
      client,
      handlers: {
        upsert: (object) => this.subject.next({ type: 'upsert', object }),
        delete: (object) => this.subject.next({ type: 'delete', object }),
        synced: () => this.onInformerSynced(),
      },
      logger: this.log,
      namespaces,
      backoff: options.backoff,
      resyncPeriodMs: options.resyncPeriodMs,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      reachability: this.reachability,
    });
    this.supervisors = kinds
      .filter((kind) => kind !== 'Secret')
      .flatMap((kind) =>
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
              ...(options.keepConfigMapData ? { keepConfigMapData: new Set(options.keepConfigMapData) } : {}),
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

  /** Informer ids ("Service", "Service ns=team-a", "Secret team-a/web-tls", ...), for logs and tests. */
  get informerIds(): string[] {
    return this.allSupervisors().map((s) => s.id);
  }

  /** The Secrets read now, "namespace/name", sorted. */
  get secretsRead(): string[] {
    return this.secrets.supervisors.map((s) => s.id.slice('Secret '.length)).sort();
  }

  get synced(): boolean {
    return this.announcedSync;
  }

  stats(): KubeSourceStats {
    const informers: KubeSourceStats['informers'] = {};
    const totals = emptyInformerCounters();
    let objects = 0;
    for (const s of this.allSupervisors()) {
      informers[s.id] = { ...s.counters, synced: s.synced, objects: s.size, lastError: s.lastError };
      for (const [key, value] of Object.entries(s.counters) as [keyof InformerCounters, number][])
        totals[key] += value;
      objects += s.size;
    }
    return { synced: this.announcedSync, objects, totals, informers };
  }

  async stop(): Promise<void> {
    this.reachability.stop();
    if (this.reconcileTimer) clearImmediate(this.reconcileTimer);
    await Promise.all([...this.supervisors.map((s) => s.stop()), this.secrets.stop()]);
    this.subject.complete();
  }

  private allSupervisors(): InformerSupervisor[] {
    return [...this.supervisors, ...this.secrets.supervisors];
  }

  /** After a change to an object that names Secrets: one reconcile for a burst of changes. */
  private scheduleReconcile(): void {
    if (!this.secretsFollowState || this.reconcileTimer) return;
    this.reconcileTimer = setImmediate(() => {
      this.reconcileTimer = undefined;
      this.reconcileSecrets();
      // A Secret no longer named may have been the last one the initial sync waited for.
      this.onInformerSynced();
    });
  }

  private reconcileSecrets(): void {
    if (!this.secretInterest) return;
    this.secrets.reconcile(this.secretInterest.collect(this.referring));
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.log.info(
      { server: this.client.server, from: this.client.origin, informers: this.informerIds },
      'watching the Kubernetes API',
    );
    for (const supervisor of this.supervisors) supervisor.start();
    this.secrets.start();
    if (this.supervisors.length === 0) this.onInformerSynced();
  }

  private onInformerSynced(): void {
    if (this.announcedSync || !this.supervisors.every((s) => s.synced)) return;
    if (!this.secretsFollowState) {
      // Every object that may name a Secret is in: read exactly those, then say synced once they are listed.
      this.secretsFollowState = true;
      this.reconcileSecrets();
    }
    if (!this.secrets.supervisors.every((s) => s.synced)) return;
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
