// Resources for proxyless gRPC clients (grpc-js-xds, grpc-go, grpc-java with xDS). A client dialing
// xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name, then the
// RouteConfiguration it names, the Cluster the route points to and that cluster's ClusterLoadAssignment.
import type { ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { CatalogEntry } from './service-catalog';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from './envoy/api-listener';
import { buildCluster } from './envoy/cluster';
import { buildLoadAssignment } from './envoy/endpoint';

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
    const routeName = proxylessRouteName(ref);
    const single = portsPerService.get(`${ref.namespace}/${ref.service}`) === 1;
    const listenerNames = proxylessListenerNames(ref, single);
    for (const name of listenerNames) out.listener.set(name, buildApiListener(name, routeName));
    const hosts = serviceHostNames(ref.namespace, ref.service);
    out.route.set(routeName, {
      name: routeName,
      virtual_hosts: [
        {
          name: routeName,
          // Every form the client may dial, with and without the port: the resolver matches the dial target.
          domains: [...listenerNames, ...hosts.filter((h) => !listenerNames.includes(h))],
          routes: [{ match: { prefix: '/' }, route: { cluster: cluster.name } }],
        },
      ],
    });
    out.cluster.set(cluster.name, buildCluster(cluster, { proxyless: true }));
    out.endpoint.set(cluster.name, buildLoadAssignment(entry.endpoints));
  }
  return out;
}
