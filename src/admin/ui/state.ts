// Everything the status page shows, as one JSON document: connected proxies, warnings about the user's
// objects, and the routes table. /ui/state serves it; /ui/events pushes it when something changes.
import type { App } from '../../app';
import { nodeSummaries, type NodeSummary } from '../node-summary';
import { routesTable, type RouteRow } from '../routes-table';
import type { ObjectStatus } from '../../ir/status';

export interface StatusState {
  generatedAt: string;
  ready: boolean;
  source: string;
  nodes: NodeSummary[];
  /** Typed problems with the user's objects (one entry per object, each with its conditions). */
  statuses: readonly ObjectStatus[];
  routes: RouteRow[];
}

export function statusState(app: Pick<App, 'xds' | 'cache' | 'pipeline' | 'source'>): StatusState {
  const snapshots = app.cache.groupNames().flatMap((g) => app.cache.getSnapshot(g) ?? []);
  return {
    generatedAt: new Date().toISOString(),
    ready: app.pipeline.readyNow,
    source: app.source.name,
    nodes: nodeSummaries(app.xds.connectedClients(), (g) => app.pipeline.heldBackFor(g)),
    statuses: app.pipeline.statuses,
    routes: routesTable(snapshots),
  };
}
