// The edge IR -> the typed Envoy resources of the "edge" node group.
import type { ResourceSet } from '../../xds/types';
import { emptyResourceSet } from '../../xds/types';
import { buildCluster } from '../../envoy/cluster';
import { buildLoadAssignment } from '../../envoy/endpoint';
import {
  buildHttpListener,
  buildHttpsListener,
  HTTP_ROUTE_CONFIG,
  httpsRouteConfigName,
} from '../envoy/edge-listener';
import { buildRouteConfiguration } from '../envoy/route';
import { buildTlsSecret } from '../envoy/secret';
import type { IrEdge } from './ir';
import type { BuildMemo } from '../memo';
import type { TranslationMemos } from '../translation-memos';

// The edge IR is rebuilt on every translation, so its built objects are memoized by a structural key (the
// IR's JSON, cheap beside encoding): an unchanged cluster, CLA or route configuration comes back as the same
// object, which the snapshot neither re-encodes nor re-hashes. One entry per resource name.
const same = <V>(memo: BuildMemo<V>, name: string, ir: unknown, build: () => V): V =>
  memo.get(name, [JSON.stringify(ir)], build);

export interface EdgePorts {
  /** The address the edge listeners bind (0.0.0.0 in a pod; loopback in tests). */
  address: string;
  httpPort: number;
  httpsPort: number;
}

export function edgeResources(ir: IrEdge, ports: EdgePorts, memos: TranslationMemos): ResourceSet {
  const {
    edgeClusters: clusters,
    edgeAssignments: assignments,
    edgeRoutes: routes,
    edgeListeners: listeners,
  } = memos;
  const out = emptyResourceSet();
  out.listener.set(
    'edge-http',
    same(listeners, 'edge-http', ports, () => buildHttpListener(ports.address, ports.httpPort)),
  );
  out.route.set(
    HTTP_ROUTE_CONFIG,
    same(routes, HTTP_ROUTE_CONFIG, ir.httpVirtualHosts, () =>
      buildRouteConfiguration(HTTP_ROUTE_CONFIG, ir.httpVirtualHosts),
    ),
  );
  // A listener without filter chains would only refuse connections; leave HTTPS out until a host has TLS.
  if (ir.tlsChains.length > 0) {
    const https = same(listeners, 'edge-https', [ports, ir.tlsChains], () =>
      buildHttpsListener(ports.address, ports.httpsPort, ir.tlsChains),
    );
    out.listener.set(https.name ?? 'edge-https', https);
    for (const chain of ir.tlsChains) {
      const name = httpsRouteConfigName(chain);
      out.route.set(
        name,
        same(routes, name, chain.virtualHosts, () => buildRouteConfiguration(name, chain.virtualHosts)),
      );
    }
  }
  for (const secret of ir.secrets) out.secret.set(secret.name, buildTlsSecret(secret));
  for (const cluster of ir.clusters)
    out.cluster.set(
      cluster.name,
      same(clusters, cluster.name, cluster, () => buildCluster(cluster)),
    );
  for (const endpoints of ir.endpoints)
    out.endpoint.set(
      endpoints.clusterName,
      same(assignments, endpoints.clusterName, endpoints, () => buildLoadAssignment(endpoints)),
    );
  return out;
}
