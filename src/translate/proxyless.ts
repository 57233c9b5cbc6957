// Resources for proxyless gRPC clients (grpc-js-xds, grpc-go, grpc-java with xDS). A client dialing
// xds:///NAME.NAMESPACE[.svc[.cluster.local]]:PORT subscribes to a Listener of exactly that name, then the
// RouteConfiguration it names, the Cluster the route points to and that cluster's ClusterLoadAssignment.
//
// Each Service is translated on its own and memoized by object identity (see IdentityMemo): a Service's
// Listeners/Routes/Clusters are rebuilt only when the Service object changes, its ClusterLoadAssignments
// only when the Service or one of its EndpointSlices does. So one EndpointSlice change yields exactly one
// new typed object, and the snapshot encodes exactly one resource.
import type { ClusterLoadAssignment, Cluster, Listener, RouteConfiguration } from '../xds/types';
import type { EndpointSlice, Service } from '../model/k8s';
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import type { IrServicePortRef, TranslationWarning } from './ir';
import { clusterForServicePort, hasEndpoints } from './clusters';
import { localitiesForServicePort } from './endpoints';
import { IdentityMemo } from './identity-memo';
import { proxylessListenerNames, proxylessRouteName, serviceHostNames } from './names';
import { buildApiListener } from './envoy/api-listener';
import { buildCluster } from './envoy/cluster';
import { buildLoadAssignment } from './envoy/endpoint';

interface PortResources {
  ref: IrServicePortRef;
  clusterName: string;
  cluster: Cluster;
  routeName: string;
  route: RouteConfiguration;
  listeners: [string, Listener][];
}

interface ServiceResources {
  ports: PortResources[];
  warnings: TranslationWarning[];
}

interface ServiceEndpoints {
  assignments: [string, ClusterLoadAssignment][];
  warnings: TranslationWarning[];
}

const serviceMemo = new IdentityMemo<Service, ServiceResources>();
const endpointsMemo = new IdentityMemo<Service, ServiceEndpoints>();

function translateServicePorts(service: Service): ServiceResources {
  const warnings: TranslationWarning[] = [];
  const ports = service.spec.ports ?? [];
  const out: PortResources[] = [];
  for (const port of ports) {
    if ((port.protocol ?? 'TCP') !== 'TCP') continue;
    const cluster = clusterForServicePort(service, port, warnings);
    const ref = cluster.ref;
    const routeName = proxylessRouteName(ref);
    const listenerNames = proxylessListenerNames(ref, ports.length === 1);
    out.push({
      ref,
      clusterName: cluster.name,
      cluster: buildCluster(cluster, { proxyless: true }),
      routeName,
      route: {
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
      },
      listeners: listenerNames.map((name) => [name, buildApiListener(name, routeName)]),
    });
  }
  return { ports: out, warnings };
}

function translateServiceEndpoints(
  ports: readonly PortResources[],
  slices: readonly EndpointSlice[],
): ServiceEndpoints {
  const warnings: TranslationWarning[] = [];
  const assignments = ports.map((p): [string, ClusterLoadAssignment] => [
    p.clusterName,
    buildLoadAssignment({
      clusterName: p.clusterName,
      localities: localitiesForServicePort(slices, p.ref, warnings),
    }),
  ]);
  return { assignments, warnings };
}

export function translateProxyless(model: ModelView, warnings: TranslationWarning[]): ResourceSet {
  const out = emptyResourceSet();
  for (const service of model.list('Service')) {
    if (!hasEndpoints(service)) continue;
    const resources = serviceMemo.get(service, [], () => translateServicePorts(service));
    warnings.push(...resources.warnings);
    for (const p of resources.ports) {
      for (const [name, listener] of p.listeners) out.listener.set(name, listener);
      out.route.set(p.routeName, p.route);
      out.cluster.set(p.clusterName, p.cluster);
    }
    const slices = model.endpointSlicesFor(service.metadata.namespace ?? 'default', service.metadata.name);
    const endpoints = endpointsMemo.get(service, slices, () =>
      translateServiceEndpoints(resources.ports, slices),
    );
    warnings.push(...endpoints.warnings);
    for (const [name, assignment] of endpoints.assignments) out.endpoint.set(name, assignment);
  }
  return out;
}
