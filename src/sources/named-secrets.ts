// The Secrets kxds reads: exactly those the objects it serves reference, each by name. One supervised informer
// per Secret lists and watches /api/v1/namespaces/NS/secrets with fieldSelector metadata.name=NAME: the API
// server authorizes such a list or watch as a request for that one named Secret (it takes the name from the
// field selector), so RBAC `resourceNames` can bound what kxds may read, and nothing else is ever sent to it.
// The wanted set follows the model (reconcile() after each change); a Secret no longer referenced is
// forgotten, its object deleted from the model, so it is neither served nor kept in memory.
import type { Logger } from '../log';
import type { SecretRef, WatchedObject } from '../model/k8s';
import type { ApiReachability } from './api-reachability';
import type { BackoffOptions } from './backoff';
import { InformerSupervisor, type InformerHandlers } from './informer-supervisor';
import type { KubeClient } from './kube-client';
import { collectionPath, watchedResource, type InformerScope } from './watched-resources';

export interface NamedSecretOptions {
  client: KubeClient;
  handlers: InformerHandlers;
  logger: Logger;
  /** Namespaces kxds may read (--namespace); empty: all. A reference elsewhere is not read. */
  namespaces: readonly string[];
  backoff?: BackoffOptions;
  resyncPeriodMs?: number;
  watchTimeoutSeconds?: number;
  reachability?: ApiReachability;
}

/** The informer scope of one Secret: its namespace's collection, narrowed to its name. */
export function namedSecretScope(ref: SecretRef): InformerScope {
  const resource = watchedResource('Secret');
  return {
    id: `Secret ${ref.namespace}/${ref.name}`,
    resource,
    path: collectionPath(resource, ref.namespace),
    fieldSelector: `metadata.name=${ref.name}`,
  };
}

export class NamedSecretWatches {
  private readonly watches = new Map<string, InformerSupervisor>();
  private started = false;

  constructor(private readonly options: NamedSecretOptions) {}

  get supervisors(): InformerSupervisor[] {
    return [...this.watches.values()];
  }

  /** Watches every referenced Secret in scope, and stops (deleting what it emitted) those no longer referenced. */
  reconcile(refs: readonly SecretRef[]): void {
    const { namespaces } = this.options;
    const wanted = new Map(
      refs
        .filter((ref) => namespaces.length === 0 || namespaces.includes(ref.namespace))
        .map((ref) => [`${ref.namespace}/${ref.name}`, ref]),
    );
    for (const [key, supervisor] of this.watches) {
      if (wanted.has(key)) continue;
      this.watches.delete(key);
      this.forget(supervisor);
    }
    for (const [key, ref] of wanted) {
      if (this.watches.has(key)) continue;
      const supervisor = new InformerSupervisor({
        ...this.options,
        scope: namedSecretScope(ref),
        absentWhenForbidden: true,
      });
      this.watches.set(key, supervisor);
      if (this.started) supervisor.start();
    }
  }

  start(): void {
    this.started = true;
    for (const supervisor of this.watches.values()) supervisor.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.watches.values()].map((s) => s.stop()));
  }

  private forget(supervisor: InformerSupervisor): void {
    const known: WatchedObject[] = supervisor.known();
    void supervisor.stop().catch(() => undefined);
    for (const object of known) this.options.handlers.delete(object);
    this.options.logger.debug({ informer: supervisor.id }, 'Secret no longer referenced; not read any more');
  }
}
