// Debug JSON on the admin address: /debug/snapshot?role=edge|sidecar|proxyless[&namespace=NS] (decoded
// resources of the matching groups, secrets redacted), /debug/nodes (connected clients, their dialect,
// what it held back, and the status of every resource they hold) and /debug/warnings (problems with the user's objects).
import type { AdminView } from './admin-view';
import { NODE_ROLES, type NodeRole } from '../server/node';
import type { Snapshot } from '../xds/snapshot';
import { sendJson } from './http-server';
import { nodeSummaries } from './node-summary';
import { groupsForRole, snapshotJson } from './snapshot-json';

/** Current snapshots of the named groups, in name order. */
export function snapshotsOf(app: Pick<AdminView, 'cache'>, groups: readonly string[]): Snapshot[] {
  return groups.flatMap((g) => app.cache.getSnapshot(g) ?? []);
}

export function attachDebugRoutes(app: AdminView): void {
  app.admin.route(
    '/debug/snapshot',
    (_req, res, url) => {
      const role = url.searchParams.get('role') ?? '';
      if (!(NODE_ROLES as readonly string[]).includes(role))
        return sendJson(res, 400, { error: `role must be one of ${NODE_ROLES.join(', ')}; got "${role}"` });
      const namespace = url.searchParams.get('namespace') ?? undefined;
      const groups = groupsForRole(app.cache.groupNames(), role as NodeRole, namespace);
      sendJson(res, 200, {
        role,
        ...(namespace ? { namespace } : {}),
        groups: snapshotsOf(app, groups).map(snapshotJson),
      });
    },
    'decoded resources served to a role: ?role=edge|sidecar|proxyless[&namespace=NS]',
  );
  app.admin.route(
    '/debug/nodes',
    (_req, res) =>
      sendJson(res, 200, {
        nodes: nodeSummaries(app.xds.connectedClients(), (g) => app.pipeline.heldBackFor(g)),
      }),
    'connected proxies and the status of every resource they hold',
  );
  app.admin.route(
    '/debug/warnings',
    (_req, res) => sendJson(res, 200, { statuses: app.pipeline.statuses }),
    'problems with input objects, as typed statuses',
  );
}
