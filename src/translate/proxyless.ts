// Resources for proxyless gRPC clients (grpc-js-xds, grpc-go, grpc-java with xDS). A client dialing
// xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name, then the
// RouteConfiguration it names, the Cluster the route points to and that cluster's ClusterLoadAssignment.
// Built objects are memoized on the catalog's IR objects, so unchanged Services give identical objects.
import type { Listener, ResourceSet, RouteConfiguration } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { IrCluster } from './ir';
import type { CatalogEntry } from './service-catalog';
import { IdentityMemo } from './identity-memo';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from './envoy/api-listener';
import { clusterFor, loadAssignmentFor } from './built-resources';

interface ListenersAndRoute {
  listeners: [string, Listener][];
  routeName: string;
  route: RouteConfiguration;
}

const listenersMemo = new IdentityMemo<IrCluster, ListenersAndRoute>();

function listenersAndRoute(cluster: IrCluster, single: boolean): ListenersAndRoute {
  const ref = cluster.ref;
  const routeName = proxylessRouteName(ref);
  const listenerNames = proxylessListenerNames(ref, single);
  const hosts = serviceHostNames(ref.namespace, ref.service);
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
          routes: [{ match: { prefix: '/' }, route: { cluster: cluster.name } }],
        },
      ],
    },
  };
}

export function translateProxyless(catalog: readonly CatalogEntry[]): ResourceSet {
  const out = emptyResourceSet();
  const portsPerService = new Map<string, number>();
  for (const e of catalog) {
    const key = `${e.cluster.ref.namespace}/${e.cluster.ref.service}`;
    portsPerService.set(key, (portsPerService.get(key) ?? 0) + 1);
  }
  for (const entry of catalog) {
    const { cluster } = entry;
    const ref = cluster.ref;
    const single = portsPerService.get(`${ref.namespace}/${ref.service}`) === 1;
    const built = listenersMemo.get(cluster, [single], () => listenersAndRoute(cluster, single));
    for (const [name, listener] of built.listeners) out.listener.set(name, listener);
    out.route.set(built.routeName, built.route);
    out.cluster.set(cluster.name, clusterFor(cluster, { proxyless: true }));
    out.endpoint.set(cluster.name, loadAssignmentFor(entry.endpoints));
  }
  return out;
}
