// Resources for proxyless gRPC clients (grpc-js-xds, grpc-go, grpc-java with xDS). A client dialing
// xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name, then the
// RouteConfiguration it names, the Cluster the route points to and that cluster's ClusterLoadAssignment.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { TranslationWarning } from './ir';
import { clusterForServicePort, hasEndpoints } from './clusters';
import { localitiesForServicePort } from './endpoints';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from './envoy/api-listener';
import { buildCluster } from './envoy/cluster';
import { buildLoadAssignment } from './envoy/endpoint';

export function translateProxyless(model: ModelView, warnings: TranslationWarning[]): ResourceSet {
  const out = emptyResourceSet();
  for (const service of model.list('Service')) {
    if (!hasEndpoints(service)) continue;
    const ports = service.spec.ports ?? [];
    for (const port of ports) {
      if ((port.protocol ?? 'TCP') !== 'TCP') continue;
      const cluster = clusterForServicePort(service, port, warnings);
      const ref = cluster.ref;
      const routeName = proxylessRouteName(ref);
      const listenerNames = proxylessListenerNames(ref, ports.length === 1);
      for (const name of listenerNames) out.listener.set(name, buildApiListener(name, routeName));
      out.route.set(routeName, {
        name: routeName,
        virtual_hosts: [
          {
            name: routeName,
            // Every form the client may dial, with and without the port: the resolver matches the dial target.
            domains: [
              ...listenerNames,
              ...serviceHostNames(ref.namespace, ref.service).filter((h) => !listenerNames.includes(h)),
            ],
            routes: [{ match: { prefix: '/' }, route: { cluster: cluster.name } }],
          },
        ],
      });
      out.cluster.set(cluster.name, buildCluster(cluster, { proxyless: true }));
      const slices = model.endpointSlicesFor(ref.namespace, ref.service);
      out.endpoint.set(
        cluster.name,
        buildLoadAssignment({
          clusterName: cluster.name,
          localities: localitiesForServicePort(slices, ref, warnings),
        }),
      );
    }
  }
  return out;
}
