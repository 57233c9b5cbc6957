// Everything the status page shows, as one JSON document: connected proxies, warnings about the user's
// objects, the routes table and the Gateways. /ui/state serves it; /ui/events pushes it when something changes.
import type { AdminView } from '../admin-view';
import { nodeSummaries, type NodeSummary } from '../node-summary';
import { routesTable, type RouteRow } from '../routes-table';
import type { ObjectStatus } from '../../ir/status';
import { BUILD_INFO } from '../../version';
import { notReadyEndpointCounter } from '../not-ready-endpoints';
import { gatewayRows, type GatewayRow } from '../gateway-rows';

export interface StatusState {
  generatedAt: string;
  /** The kxds version serving this page. */
  version: string;
  ready: boolean;
  source: string;
  nodes: NodeSummary[];
  /** Typed problems with the user's objects (one entry per object, each with its conditions). */
  statuses: readonly ObjectStatus[];
  routes: RouteRow[];
  /** Gateways with their listeners and attached routes, from the newest build's Gateway API statuses. */
  gateways: GatewayRow[];
}

export function statusState(app: Pick<AdminView, 'xds' | 'cache' | 'pipeline' | 'source'>): StatusState {
  const snapshots = app.cache.groupNames().flatMap((g) => app.cache.getSnapshot(g) ?? []);
  return {
    generatedAt: new Date().toISOString(),
    version: BUILD_INFO.version,
    ready: app.pipeline.readyNow,
    source: app.source.name,
    nodes: nodeSummaries(app.xds.connectedClients(), (g) => app.pipeline.heldBackFor(g)),
    statuses: app.pipeline.statuses,
    routes: routesTable(snapshots, notReadyEndpointCounter(app.pipeline.store)),
    gateways: gatewayRows(app.pipeline.lastBuild?.result.gatewayStatuses ?? []),
  };
}
