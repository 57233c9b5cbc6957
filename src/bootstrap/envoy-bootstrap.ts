// Builds the Envoy bootstrap (envoy.config.bootstrap.v3.Bootstrap) for the edge and sidecar roles: node
// identity and metadata, ADS over gRPC to kxds, admin on 127.0.0.1, a static readiness listener, overload
// manager limits and a layered runtime. Typed objects, so a misspelled field fails to compile.
import type { Bootstrap, Cluster, Listener } from '../xds/types';
import type { Struct } from '../generated/google/protobuf/Struct';
import type { Value } from '../generated/google/protobuf/Value';
import { pack } from '../xds/encode';
import {
  ADMIN_CLUSTER,
  ADMIN_PORT,
  HEALTH_PATH,
  HEALTH_PORT,
  NODE_METADATA,
  XDS_CLUSTER,
  type CaptureMode,
} from './constants';
import type { PodIdentity } from './pod-identity';
import type { XdsClientTls } from './xds-client-tls';
import { parseXdsServerAddress, type XdsServerAddress } from './xds-server-address';

export interface EnvoyBootstrapOptions {
  role: 'edge' | 'sidecar';
  /** HOST:PORT of kxds's xDS port, or an already parsed address. */
  xdsServer: string | XdsServerAddress;
  /** Defaults: edge "kxds-edge" (override per pod with Envoy's --service-node), sidecar "POD.NAMESPACE". */
  nodeId?: string;
  nodeCluster?: string;
  /** Sidecar only: the pod, from the downward API. */
  pod?: PodIdentity;
  /** Sidecar only: how the app's traffic reaches Envoy (default explicit). */
  capture?: CaptureMode;
  /** Sidecar only: the pod's `kxds.io/egress-namespaces` annotation, passed on to the control plane. */
  egressNamespaces?: string;
  /** Edge only: the Gateway ("NAMESPACE/NAME") this Envoy serves (kxds.io/gateway); absent: the Ingress edge. */
  gateway?: string;
  tls?: XdsClientTls;
  adminPort?: number;
  healthPort?: number;
  /** How long Envoy waits for its first LDS/CDS before it starts anyway (and reports ready). */
  initialFetchTimeoutSeconds?: number;
  maxHeapBytes?: number;
  maxDownstreamConnections?: number;
}

/** Defaults per role: an edge takes the internet's connections, a sidecar only its pod's. */
export const BOOTSTRAP_DEFAULTS = {
  edge: { maxHeapBytes: 1024 * 1024 * 1024, maxDownstreamConnections: 50_000 },
  sidecar: { maxHeapBytes: 200 * 1024 * 1024, maxDownstreamConnections: 10_000 },
  initialFetchTimeoutSeconds: 10,
} as const;

function stringValue(value: string): Value {
  return { stringValue: value };
}

function nodeMetadata(opts: EnvoyBootstrapOptions): Struct {
  const fields: Record<string, Value> = { [NODE_METADATA.role]: stringValue(opts.role) };
  if (opts.role === 'edge' && opts.gateway) fields[NODE_METADATA.gateway] = stringValue(opts.gateway);
  if (opts.role === 'sidecar') {
    const pod = opts.pod ?? {};
    const optional: [string, string | undefined][] = [
      [NODE_METADATA.podName, pod.name],
      [NODE_METADATA.namespace, pod.namespace],
      [NODE_METADATA.podIp, pod.ip],
      [NODE_METADATA.serviceAccount, pod.serviceAccount],
      [NODE_METADATA.egressNamespaces, opts.egressNamespaces],
    ];
    for (const [key, value] of optional) if (value) fields[key] = stringValue(value);
    fields[NODE_METADATA.capture] = stringValue(opts.capture ?? 'explicit');
    if (pod.labels) {
      const labels: Record<string, Value> = {};
      for (const [k, v] of Object.entries(pod.labels)) labels[k] = stringValue(v);
      fields[NODE_METADATA.labels] = { structValue: { fields: labels } };
    }
  }
  return { fields };
}

function defaultNodeId(opts: EnvoyBootstrapOptions): string {
  if (opts.role === 'edge')
    return opts.gateway ? `kxds-gateway.${opts.gateway.replace('/', '.')}` : 'kxds-edge';
  const { name, namespace } = opts.pod ?? {};
  return name && namespace ? `${name}.${namespace}` : 'kxds-sidecar';
}

function xdsCluster(address: XdsServerAddress, tls: XdsClientTls | undefined): Cluster {
  const cluster: Cluster = {
    name: XDS_CLUSTER,
    type: address.isIp ? 'STATIC' : 'STRICT_DNS',
    connect_timeout: { seconds: 5 },
    // gRPC needs HTTP/2 to the control plane; keepalive pings notice a dead connection behind a NAT or LB.
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        {
          explicit_http_config: {
            http2_protocol_options: {
              connection_keepalive: { interval: { seconds: 30 }, timeout: { seconds: 5 } },
            },
          },
        },
      ),
    },
    upstream_connection_options: { tcp_keepalive: {} },
    load_assignment: {
      cluster_name: XDS_CLUSTER,
      endpoints: [
        {
          lb_endpoints: [
            {
              endpoint: { address: { socket_address: { address: address.host, port_value: address.port } } },
            },
          ],
        },
      ],
    },
  };
  if (tls) {
    cluster.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: pack('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
        // SNI only for names: an IP literal is not a valid server_name.
        sni: address.isIp ? undefined : address.host,
        common_tls_context: {
          alpn_protocols: ['h2'],
          tls_certificates:
            tls.certFile && tls.keyFile
              ? [{ certificate_chain: { filename: tls.certFile }, private_key: { filename: tls.keyFile } }]
              : undefined,
          validation_context: { trusted_ca: { filename: tls.caFile } },
        },
      }),
    };
  }
  return cluster;
}

function adminCluster(adminPort: number): Cluster {
  return {
    name: ADMIN_CLUSTER,
    type: 'STATIC',
    connect_timeout: { seconds: 1 },
    load_assignment: {
      cluster_name: ADMIN_CLUSTER,
      endpoints: [
        {
          lb_endpoints: [
            { endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } } },
          ],
        },
      ],
    },
  };
}

/**
 * Admin stays on 127.0.0.1, so the kubelet cannot probe it: this listener exposes GET /healthz/ready on all
 * addresses, rewritten to admin's /ready (200 once Envoy is LIVE, i.e. its first config arrived or timed
 * out), and answers 404 to everything else so no other admin endpoint leaks.
 */
function healthListener(healthPort: number): Listener {
  return {
    name: 'kxds-health',
    address: { socket_address: { address: '0.0.0.0', port_value: healthPort } },
    ignore_global_conn_limit: true,
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: pack(
              'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
              {
                stat_prefix: 'kxds_health',
                route_config: {
                  name: 'kxds-health',
                  virtual_hosts: [
                    {
                      name: 'health',
                      domains: ['*'],
                      routes: [
                        {
                          match: { path: HEALTH_PATH },
                          route: { cluster: ADMIN_CLUSTER, prefix_rewrite: '/ready' },
                        },
                        { match: { prefix: '/' }, direct_response: { status: 404 } },
                      ],
                    },
                  ],
                },
                http_filters: [
                  {
                    name: 'envoy.filters.http.router',
                    typed_config: pack('envoy.extensions.filters.http.router.v3.Router', {}),
                  },
                ],
              },
            ),
          },
        ],
      },
    ],
  };
}

/** The Envoy bootstrap for an edge or sidecar proxy. Throws only for a malformed --xds-server. */
export function buildBootstrap(opts: EnvoyBootstrapOptions): Bootstrap {
  const address = typeof opts.xdsServer === 'string' ? parseXdsServerAddress(opts.xdsServer) : opts.xdsServer;
  const adminPort = opts.adminPort ?? ADMIN_PORT[opts.role];
  const limits = BOOTSTRAP_DEFAULTS[opts.role];
  const fetchTimeout = {
    seconds: opts.initialFetchTimeoutSeconds ?? BOOTSTRAP_DEFAULTS.initialFetchTimeoutSeconds,
  };
  return {
    node: {
      id: opts.nodeId ?? defaultNodeId(opts),
      cluster: opts.nodeCluster ?? `kxds-${opts.role}`,
      metadata: nodeMetadata(opts),
    },
    static_resources: {
      listeners: [healthListener(opts.healthPort ?? HEALTH_PORT)],
      clusters: [xdsCluster(address, opts.tls), adminCluster(adminPort)],
    },
    dynamic_resources: {
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        set_node_on_first_message_only: true,
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER } }],
      },
      lds_config: { ads: {}, resource_api_version: 'V3', initial_fetch_timeout: fetchTimeout },
      cds_config: { ads: {}, resource_api_version: 'V3', initial_fetch_timeout: fetchTimeout },
    },
    admin: {
      address: { socket_address: { address: '127.0.0.1', port_value: adminPort } },
      // Probes and kubectl port-forward must still reach admin when the connection limit is hit.
      ignore_global_conn_limit: true,
    },
    overload_manager: {
      refresh_interval: { nanos: 250_000_000 },
      resource_monitors: [
        {
          name: 'envoy.resource_monitors.fixed_heap',
          typed_config: pack('envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig', {
            max_heap_size_bytes: opts.maxHeapBytes ?? limits.maxHeapBytes,
          }),
        },
        {
          name: 'envoy.resource_monitors.global_downstream_max_connections',
          typed_config: pack(
            'envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
            {
              max_active_downstream_connections:
                opts.maxDownstreamConnections ?? limits.maxDownstreamConnections,
            },
          ),
        },
      ],
      actions: [
        {
          name: 'envoy.overload_actions.shrink_heap',
          triggers: [{ name: 'envoy.resource_monitors.fixed_heap', threshold: { value: 0.9 } }],
        },
        {
          name: 'envoy.overload_actions.stop_accepting_requests',
          triggers: [{ name: 'envoy.resource_monitors.fixed_heap', threshold: { value: 0.95 } }],
        },
      ],
    },
    // A static base layer plus an admin layer, so an operator can flip a runtime key through /runtime_modify.
    layered_runtime: {
      layers: [
        { name: 'static_layer', static_layer: { fields: {} } },
        { name: 'admin_layer', admin_layer: {} },
      ],
    },
  };
}
