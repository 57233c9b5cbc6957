// What the admin side (debug routes, metrics, the status page, /debug/gateway-status) reads of the running
// control plane and hooks into: a narrow view, implemented by App (src/app.ts), so these modules depend on
// this interface and not on the app that wires them (lint forbids src/admin importing the app).
import type { Observable } from 'rxjs';
import type { ObjectStatus } from '../ir/status';
import type { HeldBackPolicy } from '../ir/clusters';
import type { ModelView } from '../model/store';
import type { BuildReport } from '../pipeline';
import type { ConnectedClient } from '../server/client-status';
import type { StreamEventsHub } from '../server/stream-events-hub';
import type { StreamRegistry } from '../server/stream-registry';
import type { SnapshotCache } from '../xds/cache';
import type { AdminServer } from './http-server';

/** The translation pipeline as admin reads it: the newest build, its statuses, counters, the model. */
export interface PipelineView {
  readonly store: ModelView;
  readonly counters: Readonly<Record<'sourceEvents' | 'builds' | 'buildErrors' | 'encodeErrors', number>>;
  readonly statuses: readonly ObjectStatus[];
  readonly lastBuild?: BuildReport;
  readonly readyNow: boolean;
  heldBackFor(group: string): readonly HeldBackPolicy[];
  /** Every finished build (hot: only builds after subscribing). */
  builds(): Observable<BuildReport>;
}

export interface AdminView {
  admin: Pick<AdminServer, 'route'>;
  cache: Pick<SnapshotCache, 'getSnapshot' | 'groupNames' | 'size' | 'stats'>;
  pipeline: PipelineView;
  /** The object source: its name for the status page; metrics read counters it may expose. */
  source: { readonly name: string };
  xds: { readonly registry: StreamRegistry; connectedClients(): ConnectedClient[] };
  streamEvents: Pick<StreamEventsHub, 'add'>;
}
