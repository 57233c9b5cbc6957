// Realistic edge resources of every kind kxds serves, shaped the way the translators build them; shared by
// the round-trip and check-resource tests (they must be valid *and* survive encoding).
import { pack } from '../../src/xds/encode';
import type {
  Cluster,
  ClusterLoadAssignment,
  Listener,
  RouteConfiguration,
  Secret,
} from '../../src/xds/types';

const ads = { ads: {}, resource_api_version: 'V3' } as const;

export const httpListener: Listener = {
  name: 'edge-http',
  address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
  filter_chains: [
    {
      filters: [
        {
          name: 'envoy.filters.network.http_connection_manager',
          typed_config: pack(
            'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
            {
              stat_prefix: 'edge_http',
              codec_type: 'AUTO',
              rds: { route_config_name: 'edge-http', config_source: ads },
              http2_protocol_options: { max_concurrent_streams: { value: 100 } },
              stream_idle_timeout: { seconds: 300 },
              access_log: [
                {
                  name: 'envoy.access_loggers.stdout',
                  typed_config: pack('envoy.extensions.access_loggers.stream.v3.StdoutAccessLog', {
                    log_format: {
                      json_format: {
                        fields: {
                          start: { stringValue: '%START_TIME%' },
                          status: { stringValue: '%RESPONSE_CODE%' },
                        },
                      },
                    },
                  }),
                },
              ],
              http_filters: [
                {
                  name: 'envoy.filters.http.grpc_web',
                  typed_config: pack('envoy.extensions.filters.http.grpc_web.v3.GrpcWeb', {}),
                },
                {
                  name: 'envoy.filters.http.cors',
                  typed_config: pack('envoy.extensions.filters.http.cors.v3.Cors', {}),
                },
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

export const httpsListener: Listener = {
  name: 'edge-https',
  address: { socket_address: { address: '::', port_value: 8443, ipv4_compat: true } },
  listener_filters: [
    {
      name: 'envoy.filters.listener.tls_inspector',
      typed_config: pack('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector', {}),
    },
  ],
  filter_chains: [
    {
      filter_chain_match: { server_names: ['greeter.example.com'] },
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
          common_tls_context: {
            alpn_protocols: ['h2', 'http/1.1'],
            tls_params: { tls_minimum_protocol_version: 'TLSv1_2' },
            tls_certificate_sds_secret_configs: [{ name: 'demo/greeter-tls', sds_config: ads }],
          },
        }),
      },
      filters: [
        {
          name: 'envoy.filters.network.tcp_proxy',
          typed_config: pack('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', {
            stat_prefix: 'tls_passthrough',
            cluster: 'demo/greeter/grpc',
            idle_timeout: { seconds: 3600 },
          }),
        },
      ],
    },
  ],
};

export const routeConfiguration: RouteConfiguration = {
  name: 'edge-http',
  virtual_hosts: [
    {
      name: 'greeter.example.com',
      domains: ['greeter.example.com', 'greeter.example.com:*'],
      routes: [
        {
          match: { path: '/helloworld.Greeter/SayHello', grpc: {} },
          route: {
            cluster: 'demo/greeter/grpc',
            timeout: { seconds: 0 },
            max_stream_duration: { grpc_timeout_header_max: { seconds: 30 } },
          },
        },
        {
          match: { prefix: '/api', headers: [{ name: 'x-canary', string_match: { exact: 'true' } }] },
          route: {
            weighted_clusters: {
              clusters: [
                { name: 'demo/api/http', weight: { value: 90 } },
                { name: 'demo/api-canary/http', weight: { value: 10 } },
              ],
            },
            retry_policy: {
              retry_on: 'connect-failure,refused-stream',
              num_retries: { value: 3 },
              per_try_timeout: { nanos: 500_000_000 },
            },
            prefix_rewrite: '/',
          },
        },
        {
          match: { safe_regex: { regex: '^/v[0-9]+/.*' } },
          typed_per_filter_config: {
            'envoy.filters.http.cors': pack('envoy.extensions.filters.http.cors.v3.CorsPolicy', {
              allow_origin_string_match: [{ exact: 'https://app.example.com' }],
              expose_headers: 'grpc-status,grpc-message',
            }),
          },
          route: { cluster: 'demo/api/http', hash_policy: [{ header: { header_name: 'x-user' } }] },
        },
      ],
    },
    {
      name: 'redirect',
      domains: ['*.example.org'],
      routes: [
        { match: { prefix: '/' }, redirect: { https_redirect: true, response_code: 'PERMANENT_REDIRECT' } },
      ],
    },
  ],
};

export const cluster: Cluster = {
  name: 'demo/greeter/grpc',
  type: 'EDS',
  eds_cluster_config: { service_name: 'demo/greeter/grpc', eds_config: ads },
  connect_timeout: { seconds: 5 },
  lb_policy: 'RING_HASH',
  ring_hash_lb_config: { minimum_ring_size: { value: '1024' }, maximum_ring_size: { value: 8_388_608 } },
  typed_extension_protocol_options: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      {
        explicit_http_config: { http2_protocol_options: {} },
      },
    ),
  },
  circuit_breakers: {
    thresholds: [{ priority: 'DEFAULT', max_connections: { value: 1024 }, max_requests: { value: 4096 } }],
  },
  outlier_detection: {
    consecutive_5xx: { value: 5 },
    interval: { seconds: 10 },
    base_ejection_time: { seconds: 30 },
  },
  health_checks: [
    {
      timeout: { seconds: 1 },
      interval: { seconds: 5 },
      unhealthy_threshold: { value: 3 },
      healthy_threshold: { value: 1 },
      grpc_health_check: { service_name: 'helloworld.Greeter' },
    },
  ],
  metadata: {
    filter_metadata: {
      'kxds.io': { fields: { service: { stringValue: 'demo/greeter' }, port: { numberValue: 50051 } } },
    },
  },
};

export const tlsUpstreamCluster: Cluster = {
  name: 'demo/secure/https',
  type: 'STRICT_DNS',
  dns_lookup_family: 'V4_ONLY',
  connect_timeout: { nanos: 250_000_000 },
  load_assignment: {
    cluster_name: 'demo/secure/https',
    endpoints: [
      {
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: 'api.example.net', port_value: 443 } } } },
        ],
      },
    ],
  },
  transport_socket: {
    name: 'envoy.transport_sockets.tls',
    typed_config: pack('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
      sni: 'api.example.net',
      common_tls_context: { alpn_protocols: ['h2'] },
    }),
  },
  load_balancing_policy: {
    policies: [
      {
        typed_extension_config: {
          name: 'envoy.load_balancing_policies.least_request',
          typed_config: pack('envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest', {
            choice_count: { value: 2 },
          }),
        },
      },
    ],
  },
};

export const clusterLoadAssignment: ClusterLoadAssignment = {
  cluster_name: 'demo/greeter/grpc',
  endpoints: [
    {
      locality: { zone: 'zone-a' },
      load_balancing_weight: { value: 2 },
      lb_endpoints: [
        {
          endpoint: { address: { socket_address: { address: '10.0.0.2', port_value: 50051 } } },
          health_status: 'HEALTHY',
        },
        {
          endpoint: { address: { socket_address: { address: '10.0.0.3', port_value: 50051 } } },
          health_status: 'DRAINING',
        },
      ],
    },
    {
      locality: { zone: 'zone-b' },
      load_balancing_weight: { value: 1 },
      lb_endpoints: [
        {
          endpoint: { address: { socket_address: { address: 'fd00::4', port_value: 50051 } } },
          health_status: 'HEALTHY',
        },
      ],
    },
  ],
};

export const secret: Secret = {
  name: 'demo/greeter-tls',
  tls_certificate: {
    certificate_chain: {
      inline_bytes: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
    },
    private_key: {
      inline_bytes: Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'),
    },
  },
};

/** Every realistic resource with its type name. */
export const REALISTIC_RESOURCES: readonly (readonly [string, object])[] = [
  ['envoy.config.listener.v3.Listener', httpListener],
  ['envoy.config.listener.v3.Listener', httpsListener],
  ['envoy.config.route.v3.RouteConfiguration', routeConfiguration],
  ['envoy.config.cluster.v3.Cluster', cluster],
  ['envoy.config.cluster.v3.Cluster', tlsUpstreamCluster],
  ['envoy.config.endpoint.v3.ClusterLoadAssignment', clusterLoadAssignment],
  ['envoy.extensions.transport_sockets.tls.v3.Secret', secret],
];
