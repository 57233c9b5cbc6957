// The edge IR -> the typed Envoy resources of the "edge" node group.
import type { ResourceSet } from '../../xds/types';
import { emptyResourceSet } from '../../xds/types';
import { buildCluster } from '../envoy/cluster';
import { buildLoadAssignment } from '../envoy/endpoint';
import {
  buildHttpListener,
  buildHttpsListener,
  HTTP_ROUTE_CONFIG,
  httpsRouteConfigName,
} from '../envoy/edge-listener';
import { buildRouteConfiguration } from '../envoy/route';
import { buildTlsSecret } from '../envoy/secret';
import type { IrEdge } from './ir';

export interface EdgePorts {
  /** The address the edge listeners bind (0.0.0.0 in a pod; loopback in tests). */
  address: string;
  httpPort: number;
  httpsPort: number;
}

export function edgeResources(ir: IrEdge, ports: EdgePorts): ResourceSet {
  const out = emptyResourceSet();
  out.listener.set('edge-http', buildHttpListener(ports.address, ports.httpPort));
  out.route.set(HTTP_ROUTE_CONFIG, buildRouteConfiguration(HTTP_ROUTE_CONFIG, ir.httpVirtualHosts));
  // A listener without filter chains would only refuse connections; leave HTTPS out until a host has TLS.
  if (ir.tlsChains.length > 0) {
    const https = buildHttpsListener(ports.address, ports.httpsPort, ir.tlsChains);
    out.listener.set(https.name ?? 'edge-https', https);
    for (const chain of ir.tlsChains) {
      const name = httpsRouteConfigName(chain);
      out.route.set(name, buildRouteConfiguration(name, chain.virtualHosts));
    }
  }
  for (const secret of ir.secrets) out.secret.set(secret.name, buildTlsSecret(secret));
  for (const cluster of ir.clusters) out.cluster.set(cluster.name, buildCluster(cluster));
  for (const endpoints of ir.endpoints)
    out.endpoint.set(endpoints.clusterName, buildLoadAssignment(endpoints));
  return out;
}
