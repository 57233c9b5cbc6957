// Resources for proxyless gRPC clients (grpc-js-xds, gRPC C-core, grpc-go, grpc-java with xDS). A client
// dialing xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name,
// then the RouteConfiguration it names, the Cluster the route points to and that cluster's
// ClusterLoadAssignment. Each Service's cluster is first shaped for the group's dialect (what that client
// implementation supports; the rest is held back and reported), its "api" listener IR is derived from it,
// and the Envoy back-end builds both; built objects are memoized on the shaped IR objects, so unchanged
// Services give identical objects.
import type { ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { HeldBackPolicy, IrCluster } from '../ir/clusters';
import type { CatalogEntry } from './service-catalog';
import type { TranslationMemos } from './translation-memos';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListenerResources } from '../envoy/api-listener';
import type { IrApiListener, IrApiRoute } from '../ir/listeners';
import { routesForCaller, type MeshRoutes } from '../frontends/mesh/service-routes';
import { meshApiRoutes } from './mesh-api-routes';
import { clusterFor, loadAssignmentFor } from './built-resources';
import type { DialectId } from './dialects/dialect';
import { shapeCatalog } from './dialects/shape-catalog';
import { DIALECTS } from './dialects/dialect';

/**
 * The "api" listener IR of one Service port: the names it may be dialled by, and its routes: the Service's
 * mesh routes when it has some (a call none of them matches fails), else one route to its own cluster.
 */
export function apiListenerIr(
  cluster: IrCluster,
  single: boolean,
  routes: IrApiRoute[] = [
    { prefix: '/', backends: [{ cluster: cluster.name, weight: 100 }], hashOn: cluster.hashOn ?? [] },
  ],
): IrApiListener {
  const ref = cluster.ref;
  const routeName = proxylessRouteName(ref);
  const names = proxylessListenerNames(ref, single);
  const hosts = serviceHostNames(ref.namespace, ref.service);
  return {
    kind: 'api',
    names,
    routeName,
    // The fault filter only where a route injects faults: every other listener keeps its chain.
    ...(routes.some((r) => r.fault) ? { faultInjection: true } : {}),
    virtualHosts: [
      {
        name: routeName,
        // Every form the client may dial, with and without the port: the resolver matches the dial target.
        domains: [...names, ...hosts.filter((h) => !names.includes(h))],
        routes,
      },
    ],
  };
}

export interface ProxylessTranslation {
  resources: ResourceSet;
  heldBack: HeldBackPolicy[];
}

/**
 * `callerNamespace`: the group's callers are in that namespace (a namespace with consumer mesh routes),
 * so its consumer routes replace the producer routes of the Service ports they name.
 */
export function translateProxyless(
  catalog: readonly CatalogEntry[],
  dialect: DialectId,
  memos: TranslationMemos,
  mesh?: MeshRoutes,
  callerNamespace?: string,
): ProxylessTranslation {
  const out = emptyResourceSet();
  const { entries, heldBack } = shapeCatalog(catalog, dialect, memos);
  const consumer = callerNamespace === undefined ? undefined : mesh?.consumers.get(callerNamespace);
  for (const { entry, cluster } of entries) {
    const single = entry.onlyPort;
    const ranked = mesh ? routesForCaller(mesh, cluster.name, callerNamespace) : undefined;
    // A Service port the caller's namespace has no consumer routes for is built as for every caller: the
    // same memo entry, so the groups share its objects (encoded once).
    const memoKey = consumer?.has(cluster.name)
      ? `${dialect}\u0000${callerNamespace ?? ''}\u0000${cluster.name}`
      : `${dialect}\u0000${cluster.name}`;
    const meshed = ranked
      ? meshApiRoutes(ranked, cluster, mesh?.clusters ?? new Map(), cluster.hashOn ?? [], DIALECTS[dialect])
      : undefined;
    if (meshed) heldBack.push(...meshed.heldBack);
    const built = memos.proxylessRoutes.get(memoKey, [cluster, single, ranked], () =>
      buildApiListenerResources({
        ...apiListenerIr(cluster, single, meshed?.routes),
        ...(DIALECTS[dialect].headerMatch === 'legacy' ? { legacyHeaderMatch: true } : {}),
      }),
    );
    for (const [name, listener] of built.listeners) out.listener.set(name, listener);
    out.route.set(built.route.name ?? '', built.route);
    out.cluster.set(cluster.name, clusterFor(memos, cluster, dialect));
    out.endpoint.set(cluster.name, loadAssignmentFor(memos, entry.endpoints));
  }
  return { resources: out, heldBack };
}
