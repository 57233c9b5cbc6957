// The HttpConnectionManager network filter with routes over RDS, shared by sidecar listeners. It accepts
// HTTP/1.1 and HTTP/2 (h2c prior knowledge) alike, so gRPC apps and plain HTTP apps use the same port.
import type { Filter } from '../../generated/envoy/config/listener/v3/Filter';
import type { HttpConnectionManager } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { pack } from '../../xds/encode';
import { adsConfigSource, routerFilter } from '../common';

export function rdsConnectionManager(statPrefix: string, routeConfigName: string): HttpConnectionManager {
  return {
    stat_prefix: statPrefix,
    codec_type: 'AUTO',
    rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
    http_filters: [routerFilter()],
    http2_protocol_options: {},
    upgrade_configs: [{ upgrade_type: 'websocket' }],
  };
}

export function hcmFilter(hcm: HttpConnectionManager): Filter {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: pack(
      'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      hcm,
    ),
  };
}

export function tcpProxyFilter(statPrefix: string, cluster: string): Filter {
  return {
    name: 'envoy.filters.network.tcp_proxy',
    typed_config: pack('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', {
      stat_prefix: statPrefix,
      cluster,
    }),
  };
}
