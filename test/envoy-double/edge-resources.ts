// Hand-built edge resources for the double's own tests: kxds's real HTTP listener (edge-http, routes over
// RDS "edge-http"), EDS clusters and their endpoints on loopback backends.
import type { Cluster, ClusterLoadAssignment, ResourceSet, RouteConfiguration } from '../../src/xds/types';
import { adsConfigSource } from '../../src/envoy/common';
import { pack } from '../../src/xds/encode';
import { buildHttpListener } from '../../src/envoy/http/listener';

export const LISTENER_PORT = 8080;
const LISTENER = 'edge-http';

export function edsCluster(name: string, http2 = false): Cluster {
  return {
    name,
    type: 'EDS',
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: name },
    connect_timeout: { seconds: 2 },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        {
          explicit_http_config: http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
        },
      ),
    },
  };
}

export function assignment(
  name: string,
  hosts: { host: string; port: number }[],
  health: 'HEALTHY' | 'UNHEALTHY' = 'HEALTHY',
): ClusterLoadAssignment {
  return {
    cluster_name: name,
    endpoints: [
      {
        locality: {},
        load_balancing_weight: { value: hosts.length },
        lb_endpoints: hosts.map((h) => ({
          endpoint: { address: { socket_address: { address: h.host, port_value: h.port } } },
          health_status: health,
        })),
      },
    ],
  };
}

/** The edge-http listener, `routes` as its route configuration, and the clusters with their endpoints. */
export function edgeSet(
  set: ResourceSet,
  routes: Omit<RouteConfiguration, 'name'>,
  clusters: readonly (readonly [Cluster, ClusterLoadAssignment?])[],
): void {
  // A clear-text listener's route configuration is named after it.
  set.listener.set(
    LISTENER,
    buildHttpListener({ kind: 'http', name: LISTENER, address: '0.0.0.0', port: LISTENER_PORT }),
  );
  set.route.set(LISTENER, { name: LISTENER, ...routes });
  for (const [cluster, endpoints] of clusters) {
    set.cluster.set(String(cluster.name), cluster);
    if (endpoints) set.endpoint.set(String(cluster.name), endpoints);
  }
}
