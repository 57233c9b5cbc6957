// Virtual hosts for a sidecar's outbound routes, as IR: one per Service port, answering every name an app
// may use for it (NAME only within the sidecar's own namespace, NAME.NS, NAME.NS.svc,
// NAME.NS.svc.cluster.local), each with :PORT, and without a port for the Service's first port. Its routes
// are the Service port's mesh (GAMMA) routes when it has some, in the spec's order (a request none of them
// matches gets Envoy's 404, as the spec wants), else one route to the port's own cluster. gRPC upstreams
// get no route timeout, so long streams are not cut at Envoy's 15 s default.
// ClientIP affinity in explicit mode hashes 127.0.0.1 (every app connects over loopback): stable per
// client, but all pods of one namespace land on the same backend; transparent mode hashes the pod's address.
import type { IrRoute, IrVirtualHost } from '../../ir/http';
import type { RankedRoute } from '../../frontends/gateway/contract';
import { serviceHostNames } from '../names';
import type { CatalogEntry } from '../service-catalog';
import { portCarriesWebsockets } from './port-traffic';

/** The one route of a Service port without mesh routes: everything to its own cluster. */
export function serviceRoute(entry: CatalogEntry): IrRoute {
  const cluster = entry.cluster;
  const http2 = cluster.protocol === 'http2' || cluster.protocol === 'tls-http2';
  return {
    source: `Service ${cluster.ref.namespace}/${cluster.ref.service}`,
    match: { path: { kind: 'prefix', path: '/' }, headers: [] },
    action: {
      kind: 'forward',
      clusters: [{ cluster: cluster.name, weight: 100 }],
      http2,
      // Session affinity (ClientIP, kxds.io/hash-on) hashes on the route; the cluster is ring-hash.
      hashOn: cluster.hashOn ?? [],
      autoHostRewrite: false,
    },
    policies: {
      ...(http2 ? { timeoutMs: 0 } : {}),
      websockets: portCarriesWebsockets(entry.port),
      grpcWeb: false,
    },
  };
}

export function serviceVirtualHost(
  entry: CatalogEntry,
  ownNamespace: string,
  extraDomains: readonly string[] = [],
  meshRoutes?: readonly RankedRoute[],
): IrVirtualHost {
  const { ref } = entry.cluster;
  const hosts = serviceHostNames(ref.namespace, ref.service);
  if (ref.namespace === ownNamespace) hosts.push(ref.service);
  const domains = hosts.map((h) => `${h}:${ref.port}`);
  if (entry.portIndex === 0) domains.push(...hosts);
  domains.push(...extraDomains);
  return {
    host: domains[0] as string,
    name: entry.cluster.name,
    domains,
    routes: meshRoutes && meshRoutes.length > 0 ? meshRoutes.map((r) => r.route) : [serviceRoute(entry)],
  };
}
