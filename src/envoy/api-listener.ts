// IR "api" listener -> what a proxyless gRPC client subscribes to: one Listener per name it may dial, each
// an api_listener holding an HttpConnectionManager that takes its routes over RDS and ends with the router
// filter (what gRPC's xDS resolver expects), and the one RouteConfiguration they share.
import type { Listener, RouteConfiguration } from '../xds/types';
import type { Route } from '../generated/envoy/config/route/v3/Route';
import type { IrApiListener, IrApiRoute } from '../ir/listeners';
import { pack } from '../xds/encode';
import { adsConfigSource, routerFilter } from './common';
import { hashPolicy } from './route-hash';

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

export interface ApiListenerResources {
  listeners: [string, Listener][];
  route: RouteConfiguration;
}

function apiRoute(route: IrApiRoute): Route {
  const [only] = route.backends;
  const target =
    route.backends.length === 1 && only
      ? { cluster: only.cluster }
      : {
          weighted_clusters: {
            clusters: route.backends.map((b) => ({ name: b.cluster, weight: { value: b.weight } })),
          },
        };
  return {
    match: { prefix: route.prefix },
    route: { ...target, ...(route.hashOn.length > 0 ? { hash_policy: route.hashOn.map(hashPolicy) } : {}) },
  };
}

export function buildApiListenerResources(ir: IrApiListener): ApiListenerResources {
  return {
    listeners: ir.names.map((name) => [name, buildApiListener(name, ir.routeName)]),
    route: {
      name: ir.routeName,
      virtual_hosts: ir.virtualHosts.map((vh) => ({
        name: vh.name,
        domains: vh.domains,
        routes: vh.routes.map(apiRoute),
      })),
    },
  };
}
