// The HttpConnectionManager network filter, and the connection manager of a sidecar's outbound HTTP: the
// pod's own app is the client, so its address is not a client fact worth recording and the Host header
// keeps its port (the port picks the Service port's virtual host). HTTP/1.1 and h2c prior knowledge share
// the port (codec AUTO), so gRPC apps and plain HTTP apps dial the same listener.
import type { Filter } from '../../generated/envoy/config/listener/v3/Filter';
import type { HttpConnectionManager } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import { pack } from '../../xds/encode';
import { adsConfigSource } from '../common';
import { edgeHttpFilters, hcmHttpFilters } from '../http-filters';

/** `faultInjection`: a route of the listener injects faults, so the fault filter joins the chain. */
export function sidecarConnectionManager(
  statPrefix: string,
  routeConfigName: string,
  faultInjection = false,
): HttpConnectionManager {
  return {
    stat_prefix: statPrefix,
    codec_type: 'AUTO',
    rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
    // The edge's chain: a mesh route's CORS, rate limit or gRPC-Web setting works on a sidecar as at the
    // edge; every filter but the router is off unless a route switches it on.
    http_filters: hcmHttpFilters(edgeHttpFilters(faultInjection)),
    http2_protocol_options: {},
    // Websockets are switched on per route (ports that say kubernetes.io/ws); listing the type makes that possible.
    upgrade_configs: [{ upgrade_type: 'websocket', enabled: { value: false } }],
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
