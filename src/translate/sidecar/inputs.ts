// What the sidecar view reads besides its group (model, Service catalog, mesh routes, the pipeline's memos),
// and the memoized IR pieces both capture modes share.
import type { ModelView } from '../../model/store';
import type { IrVirtualHost } from '../../ir/http';
import { routesForCaller, type MeshRoutes } from '../../frontends/mesh/service-routes';
import type { CatalogEntry } from '../service-catalog';
import type { TranslationMemos } from '../translation-memos';
import { serviceVirtualHost } from './virtual-hosts';

/** What the sidecar view reads besides the group: the model, the Service catalog, the mesh routes. */
export interface SidecarInputs {
  model: ModelView;
  catalog: readonly CatalogEntry[];
  mesh: MeshRoutes;
  memos: TranslationMemos;
}

/** A Service port's virtual host, kept while its cluster, domains and mesh routes are unchanged. */
export function memoVirtualHost(
  inputs: SidecarInputs,
  entry: CatalogEntry,
  namespace: string,
  extraDomains: readonly string[] = [],
): IrVirtualHost {
  // A sidecar group is one namespace's callers: that namespace's consumer routes, else the producer's.
  const ranked = routesForCaller(inputs.mesh, entry.cluster.name, namespace);
  const key = `${namespace}${extraDomains.length > 0 ? '/transparent' : ''}\u0000${entry.cluster.name}`;
  return inputs.memos.sidecarVirtualHosts.get(
    key,
    // The mesh front-end ranks its routes afresh each build: compared by content.
    [entry.cluster, entry.port, entry.portIndex, extraDomains.join(','), ranked && JSON.stringify(ranked)],
    () => serviceVirtualHost(entry, namespace, extraDomains, ranked),
  );
}

/** The list of a route configuration's virtual hosts, the same array while every one of them is. */
export function memoHosts(inputs: SidecarInputs, key: string, hosts: IrVirtualHost[]): IrVirtualHost[] {
  return inputs.memos.sidecarRouteHosts.get(key, hosts, () => hosts);
}

/** Whether a route of these virtual hosts injects faults (the listener's chain then holds the fault filter). */
export function injectsFaults(hosts: readonly IrVirtualHost[]): boolean {
  return hosts.some((v) => v.routes.some((r) => r.policies.fault !== undefined));
}
