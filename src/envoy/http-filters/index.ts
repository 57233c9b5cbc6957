// The HTTP filter plug-ins, registered explicitly in chain order (one file each), and what a chain adds to
// an HttpConnectionManager and to a route.
import type { HttpFilter } from '../../generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { Any } from '../../generated/google/protobuf/Any';
import type { IrRouteFilterSettings } from '../../ir/http-filters';
import { basicAuthFilter } from './basic-auth';
import { corsFilter } from './cors';
import { extAuthzFilter } from './ext-authz';
import { faultFilter } from './fault';
import { grpcWebFilter } from './grpc-web';
import { headerMutationFilter } from './header-mutation';
import type { HttpFilterPlugin } from './http-filter';
import { localRateLimitFilter } from './local-ratelimit';
import { rbacFilter } from './rbac';
import { routerFilter } from './router';

export type { HttpFilterPlugin } from './http-filter';

/**
 * The edge's chain: RBAC (address lists), CORS (preflights), local rate limit, basic auth, header removal
 * and forward auth (after basic auth, as ingress-nginx requires both when both are set), gRPC-Web, router.
 */
export const EDGE_HTTP_FILTERS: readonly HttpFilterPlugin[] = [
  rbacFilter,
  corsFilter,
  localRateLimitFilter,
  basicAuthFilter,
  headerMutationFilter,
  extAuthzFilter,
  grpcWebFilter,
  routerFilter,
];

/**
 * The edge chain of a listener: with the fault filter just before the router when its routes inject
 * faults (and only then, so every other listener's chain is unchanged).
 */
export function edgeHttpFilters(faultInjection: boolean): readonly HttpFilterPlugin[] {
  return faultInjection ? withFaultFilter(EDGE_HTTP_FILTERS) : EDGE_HTTP_FILTERS;
}

/** A chain with the fault filter inserted before its last filter (the router). */
export function withFaultFilter(chain: readonly HttpFilterPlugin[]): HttpFilterPlugin[] {
  return [...chain.slice(0, -1), faultFilter, ...chain.slice(-1)];
}

/** Every plug-in a route's typed_per_filter_config may address (whichever chain its listener has). */
export const ROUTE_HTTP_FILTERS: readonly HttpFilterPlugin[] = withFaultFilter(EDGE_HTTP_FILTERS);

/** The connection manager's filters for a chain whose routes ask for these settings. */
export function hcmHttpFilters(
  chain: readonly HttpFilterPlugin[],
  routes: readonly IrRouteFilterSettings[] = [],
): HttpFilter[] {
  return chain.flatMap((plugin) => plugin.hcmFilters(routes));
}

/** A route's typed_per_filter_config: each filter's answer to the route's settings. */
export function perFilterConfig(
  chain: readonly HttpFilterPlugin[],
  settings: IrRouteFilterSettings,
): Record<string, Any> {
  const out: Record<string, Any> = {};
  for (const plugin of chain) {
    const config = plugin.perRoute?.(settings);
    if (config) out[plugin.name] = config;
    const named = plugin.perRouteNamed?.(settings);
    if (named) out[named[0]] = named[1];
  }
  return out;
}
