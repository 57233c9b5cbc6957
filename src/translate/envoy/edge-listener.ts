// The edge Envoy's two listeners. HTTP on edgeHttpPort; HTTPS on edgeHttpsPort with the TLS inspector and
// one filter chain per certificate, selected by SNI. Both run an HttpConnectionManager with codec AUTO (so
// h2c prior knowledge works in clear text and ALPN h2 over TLS: gRPC clients reach the edge), routes over
// RDS and a JSON access log on stdout.
import type { Listener } from '../../xds/types';
import type { Value } from '../../generated/google/protobuf/Value';
import type { HttpConnectionManager } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { pack } from '../../xds/encode';
import type { IrTlsChain } from '../edge/ir';
import { adsConfigSource } from '../../envoy/common';
import { EDGE_HTTP_FILTERS, hcmHttpFilters } from '../../envoy/http-filters';
import { hcmFilter } from './hcm';

export const HTTP_LISTENER = 'edge-http';
export const HTTPS_LISTENER = 'edge-https';
export const HTTP_ROUTE_CONFIG = 'edge-http';

/** One route configuration per certificate: edge-https/NAMESPACE/SECRET. */
export function httpsRouteConfigName(chain: Pick<IrTlsChain, 'secret'>): string {
  return `${HTTPS_LISTENER}/${chain.secret}`;
}

const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  authority: '%REQ(:AUTHORITY)%',
  response_code: '%RESPONSE_CODE%',
  grpc_status: '%GRPC_STATUS%',
  response_flags: '%RESPONSE_FLAGS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration_ms: '%DURATION%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  downstream_remote_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  route_name: '%ROUTE_NAME%',
};

function jsonAccessLog(): NonNullable<HttpConnectionManager['access_log']>[number] {
  const fields: Record<string, Value> = {};
  for (const [key, format] of Object.entries(ACCESS_LOG_FIELDS)) fields[key] = { stringValue: format };
  return {
    name: 'envoy.access_loggers.stdout',
    typed_config: pack('envoy.extensions.access_loggers.stream.v3.StdoutAccessLog', {
      log_format: { json_format: { fields } },
    }),
  };
}

export function edgeConnectionManager(statPrefix: string, routeConfigName: string): HttpConnectionManager {
  return {
    stat_prefix: statPrefix,
    codec_type: 'AUTO',
    rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
    http_filters: hcmHttpFilters(EDGE_HTTP_FILTERS),
    http2_protocol_options: { max_concurrent_streams: { value: 1000 } },
    access_log: [jsonAccessLog()],
    // The edge faces clients directly: their address is the connection's, not an X-Forwarded-For claim.
    use_remote_address: { value: true },
    normalize_path: { value: true },
    merge_slashes: true,
    // "foo.com:8080" must find the virtual host "foo.com".
    strip_any_host_port: true,
    // Websockets are switched on per route (kxds.io/websockets); listing the type here makes that possible.
    upgrade_configs: [{ upgrade_type: 'websocket', enabled: { value: false } }],
  };
}

function socketAddress(address: string, port: number): Listener['address'] {
  return { socket_address: { address, port_value: port } };
}

export function buildHttpListener(address: string, port: number): Listener {
  return {
    name: HTTP_LISTENER,
    address: socketAddress(address, port),
    filter_chains: [{ filters: [hcmFilter(edgeConnectionManager('edge_http', HTTP_ROUTE_CONFIG))] }],
  };
}

export function buildHttpsListener(address: string, port: number, chains: readonly IrTlsChain[]): Listener {
  return {
    name: HTTPS_LISTENER,
    address: socketAddress(address, port),
    listener_filters: [
      {
        name: 'envoy.filters.listener.tls_inspector',
        typed_config: pack('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector', {}),
      },
    ],
    filter_chains: chains.map((chain) => ({
      name: chain.secret,
      filter_chain_match: { server_names: chain.hosts },
      filters: [hcmFilter(edgeConnectionManager('edge_https', httpsRouteConfigName(chain)))],
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: pack('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
          common_tls_context: {
            tls_params: { tls_minimum_protocol_version: chain.minVersion },
            alpn_protocols: ['h2', 'http/1.1'],
            tls_certificate_sds_secret_configs: [{ name: chain.secret, sds_config: adsConfigSource() }],
          },
        }),
      },
    })),
  };
}
