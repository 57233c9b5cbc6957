// The clusters a sidecar's mesh routes send to that its Service catalog entries don't already give it: a
// GRPCRoute's HTTP/2 variant of a port ("NS/NAME/PORT/h2c"), or a backend in a namespace the sidecar's
// egress list hides (the producer's route decides where its Service's calls go). Endpoints are the
// catalog's for the backend's Service port; a backend without them is left out, and its share of traffic
// fails as a missing cluster does.
import type { IrCluster, IrEndpoints } from '../../ir/clusters';
import type { IrVirtualHost } from '../../ir/http';
import type { MeshRoutes } from '../../frontends/mesh/service-routes';
import { clusterName } from '../names';
import type { CatalogEntry } from '../service-catalog';
import type { TranslationMemos } from '../translation-memos';

export interface RouteClusters {
  clusters: IrCluster[];
  endpoints: IrEndpoints[];
}

export function routeClusters(
  vhosts: readonly IrVirtualHost[],
  have: ReadonlySet<string>,
  mesh: MeshRoutes,
  catalog: readonly CatalogEntry[],
  memos: TranslationMemos,
): RouteClusters {
  const out: RouteClusters = { clusters: [], endpoints: [] };
  const added = new Set<string>();
  // Built only when a route names a cluster the group lacks (most groups have no mesh routes at all).
  let byName: Map<string, CatalogEntry> | undefined;
  for (const route of vhosts.flatMap((v) => v.routes)) {
    if (route.action.kind !== 'forward') continue;
    const names = [
      ...route.action.clusters.map((c) => c.cluster),
      ...(route.policies.mirrors ?? []).map((m) => m.cluster),
    ];
    for (const name of names) {
      const cluster = mesh.clusters.get(name);
      if (!cluster || have.has(name) || added.has(name)) continue;
      byName ??= new Map(catalog.map((e) => [e.cluster.name, e]));
      const entry = byName.get(clusterName(cluster.ref));
      if (!entry) continue;
      added.add(name);
      // The mesh front-end builds its clusters afresh each time: kept by content, so an unchanged one is
      // the same object (and the same built Cluster) next time.
      out.clusters.push(memos.sidecarRouteClusters.get(name, [JSON.stringify(cluster)], () => cluster));
      out.endpoints.push(
        memos.sidecarRouteEndpoints.get(name, [entry.endpoints], () => ({
          ...entry.endpoints,
          clusterName: name,
        })),
      );
    }
  }
  return out;
}
