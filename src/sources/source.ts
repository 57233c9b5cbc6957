// The contract between where Kubernetes objects come from (a manifest directory, the API server) and the
// pipeline. A source emits upserts and deletes of whole objects and says once when its initial state is
// complete; the pipeline builds no snapshot before that, so proxies never see a partial config.
import type { Observable } from 'rxjs';
import type { WatchedObject } from '../model/k8s';

export type SourceEvent =
  | { type: 'upsert'; object: WatchedObject }
  | { type: 'delete'; object: WatchedObject }
  /** Every object that existed at start has been emitted. Sent once; later events are changes. */
  | { type: 'synced' };

export interface Source {
  /** A short name for logs and metrics ("manifests", "kubernetes"). */
  readonly name: string;
  /** Hot stream of events; subscribing starts the source. It never errors: problems are logged and counted. */
  readonly events$: Observable<SourceEvent>;
  /** Counters and state for metrics and debugging (KubeSource: per-informer lists, relists, reconnects...). */
  stats?(): unknown;
  /** Stops watching and releases files, sockets and timers. */
  stop(): Promise<void>;
}
