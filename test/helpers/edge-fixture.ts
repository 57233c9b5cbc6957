// A hand-built edge snapshot for observability tests: a TLS listener whose certificate comes over SDS, an
// RDS route table, an EDS cluster with nested Any fields, its endpoints, and the TLS Secret with a private
// key that must never show up in debug output.
import { buildSnapshot, type Snapshot } from '../../src/xds/snapshot';
import { emptyResourceSet } from '../../src/xds/types';
import { pack } from '../../src/xds/encode';
import { adsConfigSource, routerFilter } from '../../src/envoy/common';
import { hcmFilter } from '../../src/envoy/http/hcm';
import { GROUP_EDGE } from '../../src/xds/node-group';

/** A recognisable fake key body: tests grep every admin response for it. */
export const FAKE_KEY_MARKER = 'FAKEPRIVATEKEYMATERIALxyz123';
export const FAKE_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----\n${FAKE_KEY_MARKER}\n-----END PRIVATE KEY-----\n`;

export const EDGE_CLUSTER = 'shop/web/80';
export const EDGE_SECRET = 'shop/web-tls';

export function edgeSnapshot(previous?: Snapshot, healthy = 2): Snapshot {
  const set = emptyResourceSet();
  set.secret.set(EDGE_SECRET, {
    name: EDGE_SECRET,
    tls_certificate: {
      certificate_chain: {
        inline_string: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n',
      },
      private_key: { inline_bytes: Buffer.from(FAKE_PRIVATE_KEY) },
    },
  });
  set.cluster.set(EDGE_CLUSTER, {
    name: EDGE_CLUSTER,
    type: 'EDS',
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: EDGE_CLUSTER },
    connect_timeout: { seconds: 5 },
    lb_policy: 'ROUND_ROBIN',
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': pack(
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        { explicit_http_config: { http_protocol_options: {} } },
      ),
    },
  });
  set.endpoint.set(EDGE_CLUSTER, {
    cluster_name: EDGE_CLUSTER,
    endpoints: [
      {
        locality: {},
        load_balancing_weight: { value: 3 },
        lb_endpoints: [1, 2, 3].map((i) => ({
          endpoint: { address: { socket_address: { address: `127.0.0.${10 + i}`, port_value: 8080 } } },
          health_status: i <= healthy ? ('HEALTHY' as const) : ('UNHEALTHY' as const),
        })),
      },
    ],
  });
  set.route.set('edge-https', {
    name: 'edge-https',
    virtual_hosts: [
      {
        name: 'shop.example.com',
        domains: ['shop.example.com'],
        routes: [{ match: { prefix: '/api' }, route: { cluster: EDGE_CLUSTER } }],
      },
    ],
  });
  set.listener.set('edge-https', {
    name: 'edge-https',
    address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
    filter_chains: [
      {
        filters: [
          hcmFilter({
            stat_prefix: 'edge-https',
            rds: { config_source: adsConfigSource(), route_config_name: 'edge-https' },
            http_filters: [routerFilter()],
          }),
        ],
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
            common_tls_context: {
              tls_certificate_sds_secret_configs: [{ name: EDGE_SECRET, sds_config: adsConfigSource() }],
            },
          }),
        },
      },
    ],
  });
  return buildSnapshot(GROUP_EDGE, set, previous, (err) => {
    throw err;
  });
}
