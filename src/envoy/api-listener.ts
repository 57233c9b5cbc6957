// The Listener a proxyless gRPC client subscribes to: an api_listener holding an HttpConnectionManager that
// takes its routes over RDS and ends with the router filter, which is what gRPC's xDS resolver expects.
import type { Listener } from '../xds/types';
import { pack } from '../xds/encode';
import { adsConfigSource, routerFilter } from './common';

export function buildApiListener(name: string, routeConfigName: string): Listener {
  return {
    name,
    api_listener: {
      api_listener: pack(
        'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        {
          stat_prefix: name,
          rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
          http_filters: [routerFilter()],
        },
      ),
    },
  };
}
