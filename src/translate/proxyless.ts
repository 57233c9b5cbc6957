// Resources for proxyless gRPC clients (grpc-js-xds, gRPC C-core, grpc-go, grpc-java with xDS). A client
// dialing xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name,
// then the RouteConfiguration it names, the Cluster the route points to and that cluster's
// ClusterLoadAssignment. Each Service's cluster is first shaped for the group's dialect (what that client
// implementation supports; the rest is held back and reported), then built; built objects are memoized on
// the shaped IR objects, so unchanged Services give identical objects.
import type { Listener, ResourceSet, RouteConfiguration } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { HeldBackPolicy, IrCluster } from '../ir/clusters';
import type { CatalogEntry } from './service-catalog';
import type { TranslationMemos } from './translation-memos';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from '../envoy/api-listener';
import { hashPolicy } from '../envoy/route-hash';
import { clusterFor, loadAssignmentFor } from './built-resources';
import type { DialectId } from './dialects/dialect';
import { shapeCatalog } from './dialects/shape-catalog';

export interface ListenersAndRoute {
  listeners: [string, Listener][];
  routeName: string;
  route: RouteConfiguration;
}

function listenersAndRoute(cluster: IrCluster, single: boolean): ListenersAndRoute {
  const ref = cluster.ref;
  const routeName = proxylessRouteName(ref);
  const listenerNames = proxylessListenerNames(ref, single);
  const hosts = serviceHostNames(ref.namespace, ref.service);
  const hashing = cluster.hashOn && cluster.hashOn.length > 0 ? cluster.hashOn.map(hashPolicy) : undefined;
  return {
    listeners: listenerNames.map((name) => [name, buildApiListener(name, routeName)]),
    routeName,
    route: {
      name: routeName,
      virtual_hosts: [
        {
          name: routeName,
          // Every form the client may dial, with and without the port: the resolver matches the dial target.
          domains: [...listenerNames, ...hosts.filter((h) => !listenerNames.includes(h))],
          routes: [
            {
              match: { prefix: '/' },
              route: { cluster: cluster.name, ...(hashing ? { hash_policy: hashing } : {}) },
            },
          ],
        },
      ],
    },
  };
}

export interface ProxylessTranslation {
  resources: ResourceSet;
  heldBack: HeldBackPolicy[];
}

export function translateProxyless(
  catalog: readonly CatalogEntry[],
  dialect: DialectId,
  memos: TranslationMemos,
): ProxylessTranslation {
  const out = emptyResourceSet();
  const portsPerService = new Map<string, number>();
  for (const e of catalog) {
    const key = `${e.cluster.ref.namespace}/${e.cluster.ref.service}`;
    portsPerService.set(key, (portsPerService.get(key) ?? 0) + 1);
  }
  const { entries, heldBack } = shapeCatalog(catalog, dialect, memos);
  for (const { entry, cluster } of entries) {
    const ref = cluster.ref;
    const single = portsPerService.get(`${ref.namespace}/${ref.service}`) === 1;
    const built = memos.proxylessRoutes.get(`${dialect}\u0000${cluster.name}`, [cluster, single], () =>
      listenersAndRoute(cluster, single),
    );
    for (const [name, listener] of built.listeners) out.listener.set(name, listener);
    out.route.set(built.routeName, built.route);
    out.cluster.set(cluster.name, clusterFor(memos, cluster, dialect));
    out.endpoint.set(cluster.name, loadAssignmentFor(memos, entry.endpoints));
  }
  return { resources: out, heldBack };
}
