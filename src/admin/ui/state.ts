// Everything the status page shows, as one JSON document: connected proxies, warnings about the user's
// objects, and the routes table. /ui/state serves it; /ui/events pushes it when something changes.
import type { App } from '../../app';
import { nodeSummaries, type NodeSummary } from '../node-summary';
import { routesTable, type RouteRow } from '../routes-table';
import type { TranslationWarning } from '../../translate/ir';

export interface StatusState {
  generatedAt: string;
  ready: boolean;
  source: string;
  nodes: NodeSummary[];
  warnings: readonly TranslationWarning[];
  routes: RouteRow[];
}

export function statusState(app: Pick<App, 'xds' | 'cache' | 'pipeline' | 'source'>): StatusState {
  const snapshots = app.cache.groupNames().flatMap((g) => app.cache.getSnapshot(g) ?? []);
  return {
    generatedAt: new Date().toISOString(),
    ready: app.pipeline.readyNow,
    source: app.source.name,
    nodes: nodeSummaries(app.xds.connectedClients(), (g) => app.pipeline.heldBackFor(g)),
    warnings: app.pipeline.warnings,
    routes: routesTable(snapshots),
  };
}
