// IR "api" listener -> what a proxyless gRPC client subscribes to: one Listener per name it may dial, each
// an api_listener holding an HttpConnectionManager that takes its routes over RDS and ends with the router
// filter (what gRPC's xDS resolver expects; the fault filter before it when a route injects faults, gRFC
// A33), and the one RouteConfiguration they share.
import type { Listener, RouteConfiguration } from '../xds/types';
import type { IrApiListener } from '../ir/listeners';
import { pack } from '../xds/encode';
import { adsConfigSource, routerFilter } from './common';
import { apiRoutes } from './api-route';
import { faultFilter } from './http-filters/fault';

export function buildApiListener(name: string, routeConfigName: string, faultInjection = false): Listener {
  return {
    name,
    api_listener: {
      api_listener: pack(
        'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        {
          stat_prefix: name,
          rds: { config_source: adsConfigSource(), route_config_name: routeConfigName },
          http_filters: [...(faultInjection ? faultFilter.hcmFilters([]) : []), routerFilter()],
        },
      ),
    },
  };
}

export interface ApiListenerResources {
  listeners: [string, Listener][];
  route: RouteConfiguration;
}

export function buildApiListenerResources(ir: IrApiListener): ApiListenerResources {
  return {
    listeners: ir.names.map((name) => [name, buildApiListener(name, ir.routeName, ir.faultInjection)]),
    route: {
      name: ir.routeName,
      virtual_hosts: ir.virtualHosts.map((vh) => ({
        name: vh.name,
        domains: vh.domains,
        routes: vh.routes.flatMap((r) => apiRoutes(r, ir.legacyHeaderMatch ?? false)),
      })),
    },
  };
}
